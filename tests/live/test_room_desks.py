"""Each role's screen of the live room holds only that role's controls, decided on the server
(live/access.py room_desk and friends), so no CSS or script can show a member the chair's buttons."""
import pytest

from meetings.directory.models import User
from meetings.dossiers.models import Meeting
from meetings.extensions import db
from meetings.live import access

CHAIR_CONTROLS = ["data-next-item", "data-vote-form", "data-page-next", "data-present-document"]


def _page(app, meeting, user) -> str:
    client = app.test_client()
    client.post("/login", data={"email": user.email, "password": user.password})
    response = client.get(f"/meetings/{meeting.id}/live")
    assert response.status_code == 200
    return response.get_data(as_text=True)


@pytest.mark.parametrize("who, desk", [("secretary", "secretary"), ("chair", "chair"), ("member", "member"),
                                       ("guest", "member")])
def test_each_role_gets_its_own_desk(app, meeting, who, desk):
    user = meeting.members[0] if who == "member" else getattr(meeting, who)
    with app.app_context():
        record = db.session.get(Meeting, meeting.id)
        assert access.room_desk(db.session.get(User, user.id), record) == desk
    html = _page(app, meeting, user)
    assert f"live-desk-{desk}" in html
    for control in CHAIR_CONTROLS:
        assert (control in html) == (desk in ("chair", "secretary")), control
    assert ("data-notice-form" in html) == (desk == "secretary")
    assert ("data-ask" in html) == (who in ("member", "guest"))  # the chair gives the floor, not asks for it
    assert "data-version" not in html and "phiên bản" not in html


def test_an_item_presenter_gets_the_page_controls_a_member_does_not(app, meeting):
    presenter, other = meeting.members
    meeting.call(meeting.secretary, "PATCH", f"/api/v1/meetings/{meeting.id}/agenda/{meeting.items[1]}",
                 {"presenter_id": presenter.id})
    assert "data-page-next" in _page(app, meeting, presenter)
    html = _page(app, meeting, other)
    assert "data-page-next" not in html and "data-next-item" not in html


def test_reader_follows_only_a_meeting_the_reader_may_join(app, meeting):
    from io import BytesIO

    from tests.dossiers import pdfs
    response = meeting.http.post(
        f"/api/v1/meetings/{meeting.id}/documents", headers=meeting.headers(meeting.secretary),
        data={"file": (BytesIO(pdfs.text_pdf(2)), "a.pdf"), "title": "Tờ trình", "audience": "all"},
        content_type="multipart/form-data")
    document_id = response.get_json()["id"]
    client = app.test_client()
    client.post("/login", data={"email": meeting.members[0].email, "password": meeting.members[0].password})
    assert "data-follow-bar" in client.get(f"/reader/documents/{document_id}?follow={meeting.id}").get_data(as_text=True)
    # Presenting is for whoever may turn the shared page: a member's ?present= is an ordinary reader.
    assert "data-follow-bar" not in client.get(f"/reader/documents/{document_id}?present={meeting.id}").get_data(
        as_text=True)
    for follow in ("", "abc", str(meeting.id + 1)):
        assert "data-follow-bar" not in client.get(f"/reader/documents/{document_id}?follow={follow}").get_data(
            as_text=True)
