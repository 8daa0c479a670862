"""An upload's life in the worker as its secretary and its readers see it: processing (invisible to
readers, "being checked" to its secretaries), then ready or refused; a new version replaces the old
one only when ready; copies made ahead; a page being drawn elsewhere answers 503 with Retry-After."""
import pytest

from meetings.dossiers import background, storage
from meetings.dossiers.cache import cache_key
from meetings.dossiers.models import DocumentVersion
from meetings.extensions import db
from meetings.singleflight import one_maker
from tests.dossiers import pdfs


def hold(monkeypatch) -> list:
    """From now on uploads wait in the queue instead of running inline: the test runs each job when it chooses."""
    jobs = []
    monkeypatch.setattr(background, "queue_intake", lambda *args: jobs.append(args))
    return jobs


@pytest.fixture
def held(monkeypatch):
    return hold(monkeypatch)


@pytest.fixture
def pushed(monkeypatch):
    sent = []
    monkeypatch.setattr(background, "publish", lambda event, payload, room=None: sent.append((event, payload, room)))
    return sent


def run(app, job):
    document_id, token, ext, filename, actor_id, now = job
    with app.app_context():
        result = background.process_upload(document_id, token, ext, filename, actor_id, now.isoformat())
        db.session.remove()
    return result


def test_a_document_being_checked_is_invisible_to_readers_and_shown_as_such_to_its_secretary(board, app, held,
                                                                                             pushed):
    meeting_id = board.meeting()["id"]
    version = board.get(board.secretary, f"/api/v1/meetings/{meeting_id}").json["version"]
    response = board.upload(meeting_id, pdfs.text_pdf(3, text="Dự toán ngân sách"), title="Dự toán")
    assert response.status_code == 202
    assert (response.json["state"], response.json["progress"], response.json["version"]) == ("processing", 0, 0)
    doc_id = response.json["id"]
    # Readers: the document does not exist yet, through every door.
    for url in (f"/api/v1/documents/{doc_id}", f"/api/v1/documents/{doc_id}/pages/1",
                f"/api/v1/documents/{doc_id}/file", f"/api/v1/documents/{doc_id}/thumbnails/1"):
        assert board.get(board.member, url).status_code == 404, url
    assert doc_id not in [d["id"] for d in board.get(board.member, f"/api/v1/meetings/{meeting_id}").json["documents"]]
    assert board.get(board.member, f"/api/v1/meetings/{meeting_id}/search?q=ngan+sach").json["hits"] == []
    # Its secretary: the state, and a 409 with the reason for the content.
    assert board.get(board.secretary, f"/api/v1/documents/{doc_id}").json["state"] == "processing"
    page = board.get(board.secretary, f"/api/v1/documents/{doc_id}/pages/1")
    assert page.status_code == 409 and page.json["error"]["message"]
    assert board.get(board.secretary, f"/reader/documents/{doc_id}").status_code in (302, 409)
    assert board.page(board.secretary, f"/meetings/documents/{doc_id}").status_code == 200
    # Only the managers' own screens hear about it while it is being checked.
    assert {room for _event, _payload, room in pushed} <= {f"user:{board.secretary.id}", f"user:{board.admin.id}"}
    assert f"user:{board.secretary.id}" in {room for *_rest, room in pushed}

    app.config["JOBS_IMMEDIATE"] = False  # as in a worker process, which tells the progress
    assert run(app, held.pop()) == "ready"
    states = [payload["progress"] for event, payload, room in pushed if event == "document_state"
              and room == f"user:{board.secretary.id}"]
    assert states == sorted(states) and states[-1] == 100 and len(states) >= 5
    assert board.get(board.member, f"/api/v1/documents/{doc_id}").status_code == 200
    assert board.get(board.member, f"/api/v1/documents/{doc_id}/pages/1").status_code == 200
    assert board.get(board.member, f"/api/v1/meetings/{meeting_id}/search?q=ngan+sach").json["hits"]
    assert board.get(board.secretary, f"/api/v1/meetings/{meeting_id}").json["version"] == version + 1


def test_a_new_version_replaces_the_current_one_only_when_it_is_ready(board, app, monkeypatch):
    doc = board.document(board.meeting()["id"])
    held = hold(monkeypatch)
    response = board.new_version(doc["id"], pdfs.text_pdf(5))
    assert response.status_code == 202 and response.json["state"] == "processing"
    assert board.get(board.member, f"/api/v1/documents/{doc['id']}").json["version"] == 1
    assert board.get(board.member, f"/api/v1/documents/{doc['id']}/pages/3").status_code == 200
    assert board.get(board.member, f"/api/v1/documents/{doc['id']}/pages/5").status_code == 404
    assert run(app, held.pop()) == "ready"
    current = board.get(board.member, f"/api/v1/documents/{doc['id']}").json
    assert (current["version"], current["pages"]) == (2, 5)


def test_a_refused_new_version_leaves_the_current_one_readable_and_says_why(board, app, monkeypatch):
    doc = board.document(board.meeting()["id"])
    held = hold(monkeypatch)
    board.new_version(doc["id"], pdfs.encrypted_pdf())
    assert run(app, held.pop()) == "refused"
    seen = board.get(board.secretary, f"/api/v1/documents/{doc['id']}").json
    assert (seen["state"], seen["refusal"]["code"], seen["version"]) == ("refused", "encrypted", 1)
    assert board.get(board.member, f"/api/v1/documents/{doc['id']}/pages/1").status_code == 200


def test_every_participants_copy_is_made_when_a_document_arrives_in_a_published_meeting(board, app):
    from meetings.dossiers.models import Document
    from meetings.dossiers.personal import copy_key, stamp_lines
    from meetings.dossiers.models import DocumentStamp

    app.config["JOBS_PREPARE_AHEAD"] = True
    doc = board.document(board.meeting()["id"])
    with app.test_request_context():
        document = db.session.get(Document, doc["id"])
        stamps = {s.user_id: s for s in db.session.scalars(db.select(DocumentStamp))}
        for person in (board.chair, board.member, board.other_member):
            user = db.session.get(type(document.meeting.participants[0].user), person.id)
            lines = tuple(stamp_lines(user, stamps[person.id].issued_at))
            assert storage.cache().has(copy_key(document.latest, lines, person.id)), person.name
        sha = document.latest.sha256
        assert storage.cache().has(cache_key("page", sha, 1, 1024, "jpeg"))  # the shared first pages too
        assert storage.cache().has(cache_key("thumb", sha, 3, 1024, "jpeg"))


def test_a_page_image_being_made_elsewhere_answers_503_with_retry_after(board, app):
    doc = board.document(board.meeting()["id"])
    app.config["GENERATION_WAIT_SECONDS"] = 0.1
    with app.test_request_context():
        sha = db.session.scalar(db.select(DocumentVersion.sha256).where(DocumentVersion.document_id == doc["id"]))
        lock = storage.cache().lock_path(cache_key("page", sha, 1, 1024, "jpeg"))
    with one_maker(lock, timeout=1):  # another process is drawing this very page
        response = board.get(board.member, f"/api/v1/documents/{doc['id']}/pages/1")
    assert response.status_code == 503
    assert response.headers["Retry-After"].isdigit()
    assert response.json["error"]["code"] == "still_being_made" and response.json["error"]["message"]
    assert board.get(board.member, f"/api/v1/documents/{doc['id']}/pages/1").status_code == 200


def test_page_images_are_drawn_in_the_pool_when_the_web_process_has_one(board, app):
    from meetings.dossiers import drawing

    app.config["DRAW_PROCESSES"] = 1
    try:
        doc = board.document(board.meeting()["id"])
        response = board.get(board.member, f"/api/v1/documents/{doc['id']}/pages/2?width=768")
        assert response.status_code == 200 and response.mimetype == "image/jpeg"
        with app.app_context():
            assert drawing.pool().started  # drawn by its child, not in this thread
        assert board.get(board.member, f"/api/v1/documents/{doc['id']}/pages/9").status_code == 404
    finally:
        with app.app_context():
            drawing.pool().close()
