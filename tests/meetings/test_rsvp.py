"""Attendance before the meeting: attend, decline with a reason, or send a delegate from one's unit,
who then reads what the participant reads; the secretary sees the answers and reminds the silent."""
from meetings.dossiers.models import Meeting
from meetings.extensions import db
from meetings.tasks.minutes_text import attendance_lines


def rsvp(board, user, meeting_id, **body):
    return board.put(user, f"/api/v1/meetings/{meeting_id}/rsvp", body)


def participants(board, user, meeting_id) -> dict:
    data = board.get(user, f"/api/v1/meetings/{meeting_id}").json
    return {p["user_id"]: p for p in data["participants"]}


def kinds(board, user) -> list[str]:
    return [n["kind"] for n in board.get(user, "/api/v1/me/notifications").json["notifications"]]


def test_attend_and_decline_are_answers_the_secretary_sees(board):
    meeting_id = board.meeting()["id"]
    assert participants(board, board.secretary, meeting_id)[board.member.id]["rsvp"] is None
    assert rsvp(board, board.member, meeting_id, response="accepted").status_code == 200
    refused = rsvp(board, board.other_member, meeting_id, response="declined")
    assert refused.status_code == 422 and "reason" in refused.json["error"]["fields"]
    declined = rsvp(board, board.other_member, meeting_id, response="declined", reason="Đi công tác Đà Nẵng")
    assert declined.status_code == 200 and declined.json["rsvp"] == "declined"
    seen = participants(board, board.secretary, meeting_id)
    assert seen[board.member.id]["rsvp"] == "accepted" and seen[board.member.id]["attendance"] == "accepted"
    assert seen[board.other_member.id]["rsvp_reason"] == "Đi công tác Đà Nẵng"
    assert seen[board.chair.id]["rsvp"] is None
    # Another participant sees the answer, not the private reason.
    assert participants(board, board.member, meeting_id)[board.other_member.id]["rsvp_reason"] is None
    assert rsvp(board, board.member, meeting_id, response="maybe").status_code == 422


def test_a_delegate_becomes_a_participant_who_reads_the_documents(board):
    meeting_id = board.meeting()["id"]
    colleague = board.make.user("member", name="Lê Minh Tâm", unit="Vụ Pháp chế")
    chosen = board.document(meeting_id, audience="chosen", reader_ids=str(board.member.id))
    assert board.get(colleague, f"/api/v1/meetings/{meeting_id}").status_code == 404

    answer = rsvp(board, board.member, meeting_id, response="delegated", delegate_id=colleague.id)
    assert answer.status_code == 200, answer.json
    seen = participants(board, board.secretary, meeting_id)
    assert seen[board.member.id]["rsvp"] == "delegated" and seen[board.member.id]["delegate_id"] == colleague.id
    assert seen[colleague.id]["delegate_for"] == board.member.id
    assert seen[colleague.id]["delegate_for_name"] == "Trần Thị Thu"
    assert seen[board.chair.id]["delegate_for"] is None

    assert board.get(colleague, f"/api/v1/meetings/{meeting_id}").status_code == 200
    assert board.get(colleague, f"/api/v1/documents/{chosen['id']}/file").status_code == 200
    assert board.get(board.other_member, f"/api/v1/documents/{chosen['id']}/file").status_code == 404
    assert kinds(board, colleague) == ["delegation"]
    entry = board.get(colleague, f"/api/v1/events/{meeting_id}").json
    assert colleague.id in entry["participant_ids"]  # on the delegate's own schedule too


def test_the_delegate_must_be_an_active_member_of_the_unit(board):
    meeting_id = board.meeting()["id"]
    retired = board.make.user("member", name="Vũ Văn Hưu", unit="Vụ Pháp chế", active=False)
    for delegate_id in (board.outsider.id, retired.id, board.member.id, 99999, "x", None):
        answer = rsvp(board, board.member, meeting_id, response="delegated", delegate_id=delegate_id)
        assert answer.status_code == 422 and "delegate_id" in answer.json["error"]["fields"], delegate_id
    assert board.member.id not in [p for p, v in participants(board, board.secretary, meeting_id).items()
                                   if v["delegate_for"]]


def test_changing_the_delegate_takes_the_first_ones_seat_and_documents_back(board):
    meeting_id = board.meeting()["id"]
    first = board.make.user("member", name="Lê Minh Tâm", unit="Vụ Pháp chế")
    second = board.make.user("member", name="Ngô Thị Hạnh", unit="Vụ Pháp chế")
    document = board.document(meeting_id)
    assert rsvp(board, board.member, meeting_id, response="delegated", delegate_id=first.id).status_code == 200
    assert rsvp(board, board.member, meeting_id, response="delegated", delegate_id=second.id).status_code == 200
    seen = participants(board, board.secretary, meeting_id)
    assert first.id not in seen and seen[second.id]["delegate_for"] == board.member.id
    assert board.get(first, f"/api/v1/documents/{document['id']}/file").status_code == 404
    assert kinds(board, first) == ["delegation", "delegation"]  # sent, then told it is withdrawn
    changes = board.get(board.secretary, f"/api/v1/meetings/{meeting_id}/changes").json["changes"]
    assert {"type": "participant_removed", "user_id": first.id} in [
        {"type": c["type"], "user_id": c["data"].get("user_id")} for c in changes]

    # Someone invited in their own right keeps their seat when the delegation moves on.
    assert rsvp(board, board.member, meeting_id, response="delegated",
                delegate_id=board.other_member.id).status_code == 200
    assert participants(board, board.secretary, meeting_id)[board.other_member.id]["delegate_for"] == board.member.id
    assert rsvp(board, board.member, meeting_id, response="accepted").status_code == 200
    seen = participants(board, board.secretary, meeting_id)
    assert seen[board.other_member.id]["delegate_for"] is None and second.id not in seen
    assert board.get(board.other_member, f"/api/v1/documents/{document['id']}/file").status_code == 200


def test_one_delegate_stands_in_for_one_person_and_cannot_delegate_again(board):
    meeting_id = board.meeting()["id"]
    colleague = board.make.user("member", name="Lê Minh Tâm", unit="Vụ Pháp chế")
    assert rsvp(board, board.member, meeting_id, response="delegated", delegate_id=colleague.id).status_code == 200
    again = rsvp(board, board.other_member, meeting_id, response="delegated", delegate_id=colleague.id)
    assert again.status_code == 422 and "Trần Thị Thu" in again.json["error"]["fields"]["delegate_id"]
    chain = rsvp(board, colleague, meeting_id, response="delegated", delegate_id=board.other_member.id)
    assert chain.status_code == 422 and "response" in chain.json["error"]["fields"]
    assert rsvp(board, colleague, meeting_id, response="accepted").status_code == 200


def test_removing_the_participant_removes_their_delegate(board):
    meeting_id = board.meeting()["id"]
    colleague = board.make.user("member", name="Lê Minh Tâm", unit="Vụ Pháp chế")
    rsvp(board, board.member, meeting_id, response="delegated", delegate_id=colleague.id)
    assert board.delete(board.secretary, f"/api/v1/meetings/{meeting_id}/participants/{board.member.id}").status_code == 204
    assert colleague.id not in participants(board, board.secretary, meeting_id)
    assert board.get(colleague, f"/api/v1/meetings/{meeting_id}").status_code == 404


def test_removing_the_delegate_opens_the_answer_again(board):
    meeting_id = board.meeting()["id"]
    colleague = board.make.user("member", name="Lê Minh Tâm", unit="Vụ Pháp chế")
    rsvp(board, board.member, meeting_id, response="delegated", delegate_id=colleague.id)
    assert board.delete(board.secretary, f"/api/v1/meetings/{meeting_id}/participants/{colleague.id}").status_code == 204
    assert participants(board, board.secretary, meeting_id)[board.member.id]["rsvp"] is None


def test_who_may_answer(board):
    meeting_id = board.meeting()["id"]
    assert rsvp(board, board.outsider, meeting_id, response="accepted").status_code == 404
    assert rsvp(board, board.secretary, meeting_id, response="accepted").status_code == 403
    assert board.patch(board.secretary, f"/api/v1/meetings/{meeting_id}", {"status": "ended"}).status_code == 200
    closed = rsvp(board, board.member, meeting_id, response="accepted")
    assert closed.status_code == 422 and "response" in closed.json["error"]["fields"]


def test_the_secretary_reminds_those_who_have_not_answered_once_an_hour(board):
    meeting_id = board.meeting()["id"]
    rsvp(board, board.member, meeting_id, response="accepted")
    url = f"/api/v1/meetings/{meeting_id}/rsvp/reminders"
    assert board.post(board.member, url).status_code == 403
    first = board.post(board.secretary, url)
    assert first.status_code == 200 and sorted(first.json["reminded"]) == sorted([board.chair.id, board.other_member.id])
    assert board.post(board.secretary, url).json == {"reminded": [], "skipped": 2}
    # Once each (besides the invitation every participant got at publication), and not to who answered.
    assert kinds(board, board.chair).count("rsvp_reminder") == 1 and "rsvp_reminder" not in kinds(board, board.member)
    draft = board.meeting(status="draft")["id"]
    assert board.post(board.secretary, f"/api/v1/meetings/{draft}/rsvp/reminders").status_code == 422


def test_delegate_choices_are_the_unit_colleagues(board):
    meeting_id = board.meeting()["id"]
    colleague = board.make.user("member", name="Lê Minh Tâm", unit="Vụ Pháp chế")
    choices = board.get(board.member, f"/api/v1/meetings/{meeting_id}/rsvp/delegates").json["delegates"]
    assert {c["user_id"] for c in choices} == {board.other_member.id, colleague.id}


def test_the_minutes_say_who_stood_in_for_whom_and_who_sent_apologies(board, app):
    meeting_id = board.meeting()["id"]
    colleague = board.make.user("member", name="Lê Minh Tâm", unit="Vụ Pháp chế")
    rsvp(board, board.member, meeting_id, response="delegated", delegate_id=colleague.id)
    rsvp(board, board.chair, meeting_id, response="declined", reason="Tiếp khách quốc tế")
    with app.test_request_context():
        text = "\n".join(attendance_lines(db.session.get(Meeting, meeting_id)))
    assert "Lê Minh Tâm, Vụ Pháp chế; dự thay cho Trần Thị Thu" in text
    assert "Trần Thị Thu, Vụ Pháp chế; cử Lê Minh Tâm dự thay" in text
    assert "báo vắng: Tiếp khách quốc tế" in text
