"""Text folding, Vietnamese dates, configuration checks and security headers."""
from datetime import date, datetime, timezone

import pytest

from meetings.config import ConfigError, check, database_url
from meetings.text import fold_vietnamese
from meetings.timeutil import as_utc, format_datetime, format_day, to_local
from zoneinfo import ZoneInfo


@pytest.mark.parametrize("text", ["Họp giao ban", "HỌP GIAO BAN", "hop giao ban", "  Họp   giao\tban "])
def test_folding_makes_every_spelling_equal(text):
    assert fold_vietnamese(text) == "hop giao ban"


def test_folding_handles_d_with_stroke_and_decomposed_input():
    assert fold_vietnamese("Đặng Đình Đức") == "dang dinh duc"
    assert fold_vietnamese("Nguye\u0302\u0303n") == "nguyen"  # combining marks typed separately


def test_vietnamese_day_format():
    assert format_day(date(2026, 11, 30)) == "Thứ Hai, 30/11/2026"
    assert format_day(date(2026, 12, 6)) == "Chủ Nhật, 06/12/2026"
    assert format_day(date(2026, 11, 30), "en") == "Monday, 30/11/2026"


def test_times_convert_at_the_edges():
    zone = ZoneInfo("Asia/Ho_Chi_Minh")
    moment = as_utc(datetime(2026, 3, 17, 14, 36), zone)
    assert moment == datetime(2026, 3, 17, 7, 36, tzinfo=timezone.utc)
    assert format_datetime(moment, zone) == "14:36 17/03/2026"
    assert to_local(moment, zone).hour == 14


def test_postgres_urls_use_psycopg3():
    assert database_url("postgres://u@h/db", "/x") == "postgresql+psycopg://u@h/db"
    assert database_url(None, "/inst").startswith("sqlite:////inst/")


def test_production_refuses_unsafe_settings():
    base = {"MEETINGS_TIMEZONE": "Asia/Ho_Chi_Minh", "MEETINGS_ENV": "production", "SECRET_KEY": "x" * 40,
            "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://db/m", "REDIS_URL": "redis://r"}
    check(base)
    for bad in ({"DEBUG": True}, {"SECRET_KEY": "short"},
                {"SQLALCHEMY_DATABASE_URI": "sqlite:///x.db"}, {"MEETINGS_TIMEZONE": "Nowhere/City"}):
        with pytest.raises(ConfigError):
            check({**base, **bad})


def test_secret_key_is_generated_once_into_instance(tmp_path, monkeypatch):
    from meetings.config import secret_key

    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = secret_key(str(tmp_path))
    assert len(first) >= 64 and secret_key(str(tmp_path)) == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_pages_carry_security_headers(client):
    response = client.get("/login")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"


def test_no_page_loads_anything_from_outside(client, factories, auth):
    auth.login(factories.user("admin"))
    for path in ("/login", "/", "/profile", "/admin/users", "/admin/units", "/admin/rooms"):
        page = client.get(path).get_data(as_text=True)
        assert "src=\"http" not in page and "href=\"http" not in page.replace('href="https://hop', ""), path


def test_unexpected_error_is_a_500_page_and_rolls_back(make_app):
    app = make_app(HANDLE_ERRORS=True)

    @app.get("/boom")
    def boom():
        raise RuntimeError("boom")

    response = app.test_client().get("/boom")
    assert response.status_code == 500
    assert "chưa được lưu" in response.get_data(as_text=True)
