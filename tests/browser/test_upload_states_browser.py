"""The secretary's meeting page follows an upload being checked by the worker: its progress bar moves
with the pushes, and when the worker is done the page shows the document, ready to read."""
import io

from meetings.dossiers import background
from meetings.extensions import db
from tests.browser.conftest import sign_in
from tests.dossiers import pdfs
from tests.factories import Factories


def test_the_meeting_page_follows_an_upload_until_it_is_ready(live_app, live_server, tablet, monkeypatch):
    make = Factories(live_app)
    secretary = make.user("secretary", name="Hoàng Thu Trang", unit="Văn phòng Bộ")
    member = make.user("member", name="Trần Thị Thu")
    api = live_app.test_client()
    headers = {"Authorization": f"Bearer {make.token(secretary)}"}
    meeting = api.post("/api/v1/meetings", headers=headers, json={
        "title": "Họp giao ban", "start": "2026-12-10T08:00", "end": "2026-12-10T10:00", "status": "published",
        "participants": [{"user_id": member.id, "role": "member"}]}).json
    held = []  # the worker has not taken it yet
    monkeypatch.setattr(background, "queue_intake", lambda *args: held.append(args))
    document = api.post(f"/api/v1/meetings/{meeting['id']}/documents", headers=headers,
                        data={"file": (io.BytesIO(pdfs.text_pdf(2)), "Tờ trình.pdf")},
                        content_type="multipart/form-data").json
    assert document["state"] == "processing"

    sign_in(tablet, live_server.url, secretary.email, secretary.password)
    tablet.goto(f"{live_server.url}/meetings/{meeting['id']}")
    row = tablet.locator(f'[data-upload-state="processing"][data-document-id="{document["id"]}"]')
    assert row.is_visible()
    tablet.wait_for_function("() => window.__liveConnected === true")

    document_id, token, ext, filename, actor_id, now = held.pop()
    live_app.config["JOBS_IMMEDIATE"] = False  # as in a worker process, which tells the progress
    with live_app.app_context():
        background.process_upload(document_id, token, ext, filename, actor_id, now.isoformat())
        db.session.remove()
    # Progress arrives, then "ready": the page is drawn again with the document to read.
    tablet.locator(f'li[data-document-id="{document_id}"] [data-open-reader]').wait_for(timeout=15_000)
    assert tablet.locator('[data-upload-state="processing"]').count() == 0
