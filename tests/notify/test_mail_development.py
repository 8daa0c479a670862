"""A fresh development set-up without SMTP_HOST: e-mail is kept on the outbox page, unsent, with one
console line instead of a retry warning per message per minute; production always delivers."""
import logging

import pytest

from meetings import config as config_module
from meetings.extensions import db
from meetings.notify import mail
from meetings.notify.models import OutboxEmail
from meetings.notify.services import queue_email
from meetings.timeutil import now_utc
from tests.factories import Factories


@pytest.mark.parametrize("env, expected", [
    ({}, "outbox"),
    ({"SMTP_HOST": "mail.bo.gov.vn"}, "smtp"),
    ({"MEETINGS_ENV": "production"}, "smtp"),
    ({"MAIL_TRANSPORT": "smtp"}, "smtp"),
])
def test_transport_follows_the_environment(monkeypatch, env, expected):
    for name in ("SMTP_HOST", "MEETINGS_ENV", "MAIL_TRANSPORT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert config_module.mail_transport() == expected


def test_production_refuses_to_keep_mail_unsent():
    base = {"MEETINGS_TIMEZONE": "Asia/Ho_Chi_Minh", "MEETINGS_ENV": "production", "SECRET_KEY": "x" * 40,
            "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://db/m"}
    config_module.check(base)
    with pytest.raises(config_module.ConfigError):
        config_module.check({**base, "MAIL_TRANSPORT": "outbox"})


def signed_in_admin(app):
    admin = Factories(app).user("admin")
    client = app.test_client()
    client.post("/login", data={"email": admin.email, "password": admin.password})
    return client


def test_messages_are_kept_readable_with_one_line_said(make_app, caplog, monkeypatch):
    app = make_app(MAIL_TRANSPORT="outbox")
    monkeypatch.setattr(mail, "_told_kept", False)
    now = now_utc()
    with app.app_context():
        for n in range(3):
            queue_email(f"p{n}@example.gov.vn", f"Mời họp số {n}", "Kính mời đồng chí dự họp.", now)
        db.session.commit()
        with caplog.at_level(logging.WARNING):
            assert mail.deliver_due(now)["held"] == 3
            assert mail.deliver_due(now)["held"] == 0  # the next minute: nothing new, nothing said
        assert [r.status for r in db.session.scalars(db.select(OutboxEmail))] == ["held"] * 3
    lines = [r.getMessage() for r in caplog.records if r.name == app.logger.name]
    assert len(lines) == 1 and "/admin/outbox" in lines[0]

    page = signed_in_admin(app).get("/admin/outbox").get_data(as_text=True)
    assert "Mời họp số 2" in page and "Kính mời đồng chí dự họp." in page
    assert "Chưa gửi" in page and "SMTP_HOST" in page


def test_the_outbox_page_without_keeping_shows_failed_first(make_app):
    app = make_app()
    page = signed_in_admin(app).get("/admin/outbox").get_data(as_text=True)
    assert "SMTP_HOST" not in page and 'aria-current="page">Gửi thất bại' in page
