"""The meeting page at a desk and on a tablet: the participant's answer form, the secretary's view of
answers with a reminder, the start/end steps, names that say what they are, and the people picker."""
from meetings.dossiers.models import Meeting
from meetings.extensions import db


def browser(board, user):
    client = board.app.test_client()
    client.post("/login", data={"email": user.email, "password": user.password})
    return client


def test_a_participant_answers_from_the_page_and_the_secretary_sees_it(board):
    meeting_id = board.meeting()["id"]
    colleague = board.make.user("member", name="Lê Minh Tâm", unit="Vụ Pháp chế", title="Chuyên viên chính")
    member = browser(board, board.member)
    page = member.get(f"/meetings/{meeting_id}").get_data(as_text=True)
    assert "Xác nhận tham dự" in page and "Cử người dự thay" in page and "Lê Minh Tâm — Chuyên viên chính" in page
    assert "Phan Đức Long" not in page  # another unit's people are no choice

    refused = member.post(f"/meetings/{meeting_id}/rsvp", data={"response": "declined"}, follow_redirects=True)
    assert "Xin cho biết lý do không dự được." in refused.get_data(as_text=True)
    sent = member.post(f"/meetings/{meeting_id}/rsvp", data={"response": "delegated", "delegate_id": str(colleague.id)},
                       follow_redirects=True).get_data(as_text=True)
    assert "Đã gửi xác nhận tới thư ký cuộc họp." in sent and "Đồng chí đã cử Lê Minh Tâm dự thay." in sent

    delegate_page = browser(board, colleague).get(f"/meetings/{meeting_id}").get_data(as_text=True)
    assert "Đồng chí dự họp thay cho Trần Thị Thu." in delegate_page
    assert 'value="delegated"' not in delegate_page  # no delegate of a delegate

    desk = browser(board, board.secretary)
    page = desk.get(f"/meetings/{meeting_id}").get_data(as_text=True)
    assert "dự thay cho Trần Thị Thu" in page and "Chưa trả lời:" in page
    assert 'data-rsvp-count="delegated"><strong>1</strong>' in page
    assert 'data-rsvp-count="not_answered"><strong>2</strong>' in page
    done = desk.post(f"/meetings/{meeting_id}/rsvp/reminders", follow_redirects=True).get_data(as_text=True)
    assert "Đã nhắc 2 người chưa trả lời." in done and "đã nhắc lúc" in done


def test_the_secretary_starts_and_ends_with_explicit_steps(board, app):
    meeting_id = board.meeting(status="draft", confidential=True)["id"]
    desk = browser(board, board.secretary)
    page = desk.get(f"/meetings/{meeting_id}").get_data(as_text=True)
    assert "Công bố cuộc họp" in page and 'id="meeting-status"' not in page
    page = desk.post(f"/meetings/{meeting_id}/status", data={"status": "published"}, follow_redirects=True)
    assert "Bắt đầu họp" in page.get_data(as_text=True)
    page = desk.post(f"/meetings/{meeting_id}/status", data={"status": "in_progress"}, follow_redirects=True)
    text = page.get_data(as_text=True)
    assert "Cuộc họp đã bắt đầu." in text and "Kết thúc họp" in text and "Kết thúc cuộc họp ngay bây giờ?" in text
    desk.post(f"/meetings/{meeting_id}/status", data={"status": "ended"})
    with app.app_context():
        meeting = db.session.get(Meeting, meeting_id)
        assert meeting.status == "ended" and meeting.confidential  # a step button leaves confidentiality alone
    desk.post(f"/meetings/{meeting_id}/status", data={"confidentiality": "1"})
    with app.app_context():
        assert not db.session.get(Meeting, meeting_id).confidential


def test_names_say_what_they_are_and_the_picker_leaves_out_participants(board):
    meeting_id = board.meeting()["id"]
    document = board.document(meeting_id)
    desk = browser(board, board.secretary)
    assert "Tên cuộc họp" in desk.get("/meetings/new").get_data(as_text=True)
    settings = desk.get(f"/meetings/documents/{document['id']}").get_data(as_text=True)
    assert "Tên tài liệu" in settings and "Chức vụ" not in settings
    assert "Người mở" in settings and "Thời điểm" in settings and "Người thay đổi" not in settings
    page = desk.get(f"/meetings/{meeting_id}").get_data(as_text=True)
    picker = page[page.index("data-picker-list"):page.index("data-picker-empty")]
    assert "Phan Đức Long" in picker and "Trần Thị Thu" not in picker and "Nguyễn Văn Minh" not in picker
    assert "Thành phần dự họp (ưu tiên)" in page and "liệt kê thành phần dự họp trước" in page
