"""Participants are told of a meeting, once each: publication (with the documents added while it was a
draft), a move, a cancellation, its start and new documents; in the app and by e-mail with the feeds'
iTIP part (same UID and SEQUENCE), as each of them chose."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from meetings.directory.models import User
from meetings.extensions import db
from meetings.notify import mail
from meetings.notify.models import OutboxEmail
from meetings.notify.scheduler import run_all_once
from meetings.notify.services import set_preference
from tests.dossiers import pdfs
from tests.meetings.conftest import NOW


@pytest.fixture
def app(make_app, smtp_server):
    return make_app(MEETINGS_FAKE_NOW=NOW, SMTP_HOST="127.0.0.1", SMTP_PORT=smtp_server.port,
                    MAIL_FROM="Văn phòng Bộ <vp@example.gov.vn>")


def kinds(board, user) -> list[str]:
    return sorted(n["kind"] for n in board.get(user, "/api/v1/me/notifications").json["notifications"])


def mails(board, user, method=None) -> list[OutboxEmail]:
    with board.app.app_context():
        rows = db.session.scalars(select(OutboxEmail).where(OutboxEmail.to_address == user.email)
                                  .order_by(OutboxEmail.id)).all()
        db.session.expunge_all()
    return [m for m in rows if method is None or m.calendar_method == method]


def draft_with_document(board):
    meeting = board.meeting(status="draft", participants=[{"user_id": board.member.id, "role": "member"}],
                            chair_id=board.chair.id)
    board.document(meeting["id"])
    return meeting


def publish(board, meeting_id, status="published"):
    response = board.patch(board.secretary, f"/api/v1/meetings/{meeting_id}", {"status": status})
    assert response.status_code == 200, response.json
    return response.json


def test_publishing_tells_each_participant_once_with_the_drafts_documents(board):
    meeting = draft_with_document(board)
    assert kinds(board, board.member) == []  # nothing while it is a draft
    publish(board, meeting["id"])
    with board.app.app_context():
        run_all_once(NOW)
        run_all_once(NOW + timedelta(minutes=5))
    publish(board, meeting["id"])  # again: no change, nothing more
    for person in (board.member, board.chair):
        assert kinds(board, person) == ["document", "meeting_published"]
        [invitation] = mails(board, person, "REQUEST")  # the calendar's plain invitation is not sent too
        entry = board.get(board.secretary, f"/api/v1/events/{meeting['id']}").json
        assert f"UID:calendar-event-{meeting['id']}@" in invitation.calendar_ics
        assert f"SEQUENCE:{entry['sequence']}" in invitation.calendar_ics
        assert invitation.subject.startswith("Mời họp: Họp Ban cán sự Đảng")
        assert "Chủ trì: Nguyễn Văn Minh" in invitation.body_text and "Báo cáo" in invitation.body_text
    assert kinds(board, board.outsider) == []


def test_each_person_is_told_as_they_chose(board):
    meeting = draft_with_document(board)
    with board.app.app_context():
        member = db.session.get(User, board.member.id)
        set_preference(member, "meeting_published", "email", False)
        set_preference(member, "document", "app", False)
        db.session.commit()
    publish(board, meeting["id"])
    assert kinds(board, board.member) == ["meeting_published"]
    assert mails(board, board.member, "REQUEST") == []
    assert [m.subject for m in mails(board, board.member)] == ["Tài liệu mới cho cuộc họp Họp Ban cán sự Đảng: Báo cáo"]


def test_a_move_a_cancellation_and_the_start_reach_everyone_once(board):
    meeting = draft_with_document(board)
    publish(board, meeting["id"])
    url = f"/api/v1/events/{meeting['id']}"
    moved = board.patch(board.secretary, url, {"start": "2026-12-03T14:00", "end": "2026-12-03T16:00"})
    assert moved.status_code == 200, moved.json
    [_first, update] = mails(board, board.member, "REQUEST")
    assert f"SEQUENCE:{moved.json['sequence']}" in update.calendar_ics and "14:00" in update.subject
    board.patch(board.secretary, url, {"title": "Họp Ban cán sự Đảng (mở rộng)"})  # not a move: no word
    publish(board, meeting["id"], "in_progress")
    publish(board, meeting["id"], "in_progress")
    cancelled = board.post(board.secretary, f"{url}/cancel", {"reason": "Lãnh đạo đi công tác"})
    assert cancelled.status_code == 200
    with board.app.app_context():
        run_all_once(NOW + timedelta(minutes=1))  # the calendar's cancellation sweeper finds it done
    assert kinds(board, board.member) == ["document", "meeting_published", "meeting_started",
                                          "schedule_change", "schedule_change"]
    [cancel] = mails(board, board.member, "CANCEL")
    assert "METHOD:CANCEL" in cancel.calendar_ics and f"SEQUENCE:{cancelled.json['sequence']}" in cancel.calendar_ics
    assert "Lãnh đạo đi công tác" in cancel.body_text


def test_someone_taken_out_of_a_published_meeting_gets_its_invitation_withdrawn(board):
    meeting = draft_with_document(board)
    url = f"/api/v1/meetings/{meeting['id']}/participants/{board.member.id}"
    publish(board, meeting["id"])
    [invitation] = mails(board, board.member, "REQUEST")
    assert board.delete(board.secretary, url).status_code == 204
    [withdrawn] = mails(board, board.member, "CANCEL")
    uid = f"UID:calendar-event-{meeting['id']}@"
    assert uid in invitation.calendar_ics and uid in withdrawn.calendar_ics  # the same entry in their calendar
    assert "METHOD:CANCEL" in withdrawn.calendar_ics and "STATUS:CANCELLED" in withdrawn.calendar_ics
    attendees = [line for line in withdrawn.calendar_ics.replace("\r\n ", "").splitlines() if line.startswith("ATTENDEE")]
    assert len(attendees) == 1 and board.member.email in attendees[0]  # only them: it goes on for the others
    assert withdrawn.subject.startswith("Đồng chí không còn tham dự: Họp Ban cán sự Đảng")
    notice = board.get(board.member, "/api/v1/me/notifications").json["notifications"][0]
    assert notice["kind"] == "schedule_change" and not notice.get("url")  # no link to what they cannot open
    assert mails(board, board.chair, "CANCEL") == []  # the others keep it
    back = board.post(board.secretary, f"/api/v1/meetings/{meeting['id']}/participants",
                      {"participants": [{"user_id": board.member.id, "role": "member"}]})
    assert back.status_code in (200, 201), back.json
    assert len(mails(board, board.member, "REQUEST")) == 2  # put back: invited again


def test_nobody_is_told_when_taken_out_of_a_draft(board):
    meeting = draft_with_document(board)
    url = f"/api/v1/meetings/{meeting['id']}/participants/{board.member.id}"
    assert board.delete(board.secretary, url).status_code == 204
    assert mails(board, board.member) == [] and kinds(board, board.member) == []


def test_documents_added_or_replaced_after_publication_are_announced_once(board):
    meeting = board.meeting(participants=[{"user_id": board.member.id, "role": "member"}])
    document = board.document(meeting["id"])
    assert kinds(board, board.member) == ["document", "meeting_published"]
    replaced = board.new_version(document["id"], pdfs.text_pdf(2))
    assert replaced.status_code == 202, replaced.json
    titles = [n["title"] for n in board.get(board.member, "/api/v1/me/notifications").json["notifications"]]
    assert titles[0] == "Tài liệu cập nhật cho cuộc họp Họp Ban cán sự Đảng: Báo cáo"
    assert len(titles) == 3


def test_people_added_after_publication_are_invited(board):
    meeting = board.meeting(participants=[])
    response = board.post(board.secretary, f"/api/v1/meetings/{meeting['id']}/participants",
                          {"participants": [{"user_id": board.other_member.id, "role": "member"}]})
    assert response.status_code == 201
    assert kinds(board, board.other_member) == ["meeting_published"]
    assert len(mails(board, board.other_member, "REQUEST")) == 1


def test_mail_goes_out_through_the_outbox(board, smtp_server):
    meeting = draft_with_document(board)
    publish(board, meeting["id"])
    with board.app.app_context():
        result = mail.deliver_due(NOW)
    assert result["failed"] == 0 and result["sent"] >= 2
    subjects = [m["Subject"] for m in smtp_server.messages]
    assert subjects.count(next(s for s in subjects if s.startswith("Mời họp"))) == 2  # chair and member



def test_the_start_by_the_clock_is_announced_once(board):
    from datetime import datetime, timezone

    meeting = board.meeting(participants=[{"user_id": board.member.id, "role": "member"}])
    start = datetime(2026, 12, 3, 1, 0, tzinfo=timezone.utc)  # 08:00 in Hà Nội
    with board.app.app_context():
        run_all_once(start + timedelta(minutes=1))
        run_all_once(start + timedelta(minutes=2))
    assert board.get(board.member, f"/api/v1/meetings/{meeting['id']}").json["status"] == "in_progress"
    assert kinds(board, board.member) == ["meeting_published", "meeting_started"]
