"""The notice is signed by the worker: issuing numbers, renders and freezes it at once; until the
worker has signed it its secretaries see "being signed" (the PDF answers 409) and its readers
nothing; then everyone reads the signed PDF."""
from datetime import datetime, timezone

from meetings import jobs
from meetings.tasks import notice_jobs
from tests.calendar.conftest import NOW
from tests.tasks.certs import p12, self_signed, validate
from tests.tasks.test_notice import NoticeOffice, sign_in, upload


def test_a_notice_waits_as_being_signed_until_the_worker_signs_it(app, client, monkeypatch):
    office = NoticeOffice(app)
    key, cert = self_signed("Văn phòng Bộ", datetime(2026, 1, 1, tzinfo=timezone.utc))
    sign_in(client, office.admin)
    assert upload(client, p12(key, cert, "mật khẩu"), "mật khẩu").status_code == 302
    queued = []
    monkeypatch.setattr(jobs, "enqueue", lambda name, *args: queued.append((name, args)))
    issued = office.issue(office.board)
    assert issued["text"] == "1/TB-VP" and not issued["signed"]
    assert [name for name, _args in queued] == ["sign_notice"]
    url = f"/api/v1/meetings/{office.board}/notice.pdf"
    waiting = client.get(url, headers=office.token(office.clerk))
    assert waiting.status_code == 409 and waiting.json["error"]["message"]
    assert client.get(url, headers=office.token(office.minister)).status_code == 404
    sign_in(client, office.clerk)
    assert "data-notice-signing" in client.get(f"/tasks/meetings/{office.board}/notice").get_data(as_text=True)

    with app.app_context():
        assert notice_jobs.sign_notice(*queued[0][1]) == "signed"
        assert notice_jobs.sign_notice(*queued[0][1]) == "nothing to do"  # a job run twice signs once
    signed = client.get(url, headers=office.token(office.minister))
    assert signed.status_code == 200
    assert validate(signed.data, cert, NOW).intact
