"""The chair presents a document that only some participants may read: the others' screens do not
follow to it (they are told it is not theirs to read), and no page number tells them its length."""
import html
import json
import re

from meetings.dossiers.models import Document, DocumentReader, Meeting
from meetings.extensions import db
from tests.live.conftest import join


def chosen_document(app, meeting, readers) -> int:
    """A five-page document for the chair and the chosen readers only."""
    with app.app_context():
        record = db.session.get(Meeting, meeting.id)
        document = Document(title="Phương án nhân sự", audience="chosen", pages=5, current_version=1,
                            readers=[DocumentReader(user_id=u.id) for u in readers])
        record.documents.append(document)
        db.session.commit()
        return document.id


def without_request_id(answer: dict) -> dict:
    """An error answer less its request id, which differs for every request by design."""
    error = {k: v for k, v in answer.get("error", {}).items() if k != "request_id"}
    return {**answer, "error": error} if "error" in answer else answer


def present(meeting, who, document_id, page, expect=200):
    return meeting.call(who, "POST", f"/api/v1/meetings/{meeting.id}/presenter",
                        {"document_id": document_id, "page": page}, expect=expect)


def test_only_readers_screens_get_the_document_in_the_state(app, meeting):
    reader, other = meeting.members
    document_id = chosen_document(app, meeting, [meeting.chair, reader])
    present(meeting, meeting.chair, document_id, 2)
    assert join(meeting.socket(reader), meeting.id)["state"]["live"]["presenter"]["document_id"] == document_id
    shown = join(meeting.socket(other), meeting.id)["state"]["live"]["presenter"]
    assert shown == {"presenter_id": meeting.chair.id, "document_id": None, "page": None, "zoom": None}
    assert document_id not in [d["id"] for d in join(meeting.socket(other), meeting.id)["state"]["documents"]]


def test_a_wrong_page_of_an_unreadable_document_answers_as_no_document(app, meeting):
    reader, other = meeting.members
    document_id = chosen_document(app, meeting, [meeting.chair, reader])
    headers = meeting.headers(other)
    missing = meeting.http.get("/api/v1/documents/999999/pages/1", headers=headers)
    for page in (1, 3, 9):
        for path in (f"/api/v1/documents/{document_id}/pages/{page}",
                     f"/api/v1/documents/{document_id}/pages/{page}/words"):
            response = meeting.http.get(path, headers=headers)
            assert (response.status_code, without_request_id(response.json)) == (404, without_request_id(
                missing.json)), path


def test_a_presenter_who_may_not_read_a_document_learns_nothing_of_it(app, meeting):
    reader, other = meeting.members
    document_id = chosen_document(app, meeting, [meeting.chair, reader])
    meeting.call(meeting.secretary, "PATCH", f"/api/v1/meetings/{meeting.id}/agenda/{meeting.items[0]}",
                 {"presenter_id": other.id})
    meeting.call(meeting.chair, "POST", f"/api/v1/meetings/{meeting.id}/current", {"item_id": meeting.items[0]})
    answers = {json.dumps(without_request_id(present(meeting, other, doc, page, expect=404)))
               for doc, page in ((document_id, 2), (document_id, 9), (999999, 2))}
    assert len(answers) == 1  # the same as for a document that does not exist
    present(meeting, meeting.chair, document_id, 9, expect=422)  # its reader is told the page is wrong


def test_the_room_says_in_vietnamese_that_the_document_is_not_theirs(app, meeting):
    client = app.test_client()
    client.post("/login", data={"email": meeting.members[1].email, "password": meeting.members[1].password})
    page = client.get(f"/meetings/{meeting.id}/live").get_data(as_text=True)
    strings = json.loads(html.unescape(re.search(r"data-strings='([^']*)'", page).group(1)))
    assert strings["not_yours"].lower().startswith("tài liệu không thuộc quyền xem của bạn")
