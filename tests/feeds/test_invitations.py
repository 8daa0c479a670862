"""iTIP invitations received by a real SMTP server: REQUEST on publishing and on a move, CANCEL on
cancelling, with the feed's UID and a rising SEQUENCE; nothing for a change that was refused."""
from icalendar import Calendar
from sqlalchemy import func, select

from meetings.calendar import publishing, services
from meetings.calendar.weeks import parse_week
from meetings.directory import services as directory
from meetings.errors import Conflict
from meetings.extensions import db
from meetings.notify import mail
from meetings.notify.models import OutboxEmail
from tests.calendar.conftest import NOW, Office


def deliver(app) -> None:
    with app.app_context():
        mail.deliver_due(NOW)


def invitation(message) -> tuple[str, Calendar]:
    assert message.get_content_type() == "multipart/alternative"
    [part] = [p for p in message.iter_parts() if p.get_content_type() == "text/calendar"]
    return part.get_param("method"), Calendar.from_ical(part.get_content())


def test_participants_get_request_then_cancel_with_the_feeds_uid_and_rising_sequence(mail_app, smtp_server):
    office = Office(mail_app)
    client = mail_app.test_client()
    event_id = office.book("Họp về Đề án chuyển đổi số", participant_ids=[office.member.id],
                           room_id=office.room)
    deliver(mail_app)
    assert sorted(m["To"].addresses[0].display_name for m in smtp_server.messages) == \
        ["Nguyễn Văn Minh", "Trần Thị Thu"]
    method, cal = invitation(smtp_server.messages[0])
    [vevent] = cal.walk("VEVENT")
    assert method == "REQUEST" and cal["method"] == "REQUEST"
    assert str(vevent["organizer"]) == "mailto:vp@example.gov.vn"
    assert all(a.params["RSVP"] == "TRUE" for a in vevent["attendee"])
    assert vevent["sequence"] == 0
    uid = str(vevent["uid"])

    with mail_app.app_context():
        actor = directory.get_user(office.secretary.id)
        services.update_event(event_id, {"start": "2026-12-02T15:00", "end": "2026-12-02T16:00"}, actor, NOW)
        services.update_event(event_id, {"description": "Thêm tài liệu"}, actor, NOW)  # no new invitation
        services.cancel_event(event_id, "Lãnh đạo bận đột xuất", actor, NOW)
    deliver(mail_app)
    later = [invitation(m) for m in smtp_server.messages[2:] if "Trần Thị Thu" in m["To"]]
    assert [(m, c.walk("VEVENT")[0]["sequence"]) for m, c in later] == [("REQUEST", 1), ("CANCEL", 3)]
    moved, cancelled = later[0][1].walk("VEVENT")[0], later[1][1].walk("VEVENT")[0]
    assert {str(moved["uid"]), str(cancelled["uid"])} == {uid}
    assert moved.decoded("dtstart").hour == 15 and cancelled["status"] == "CANCELLED"

    token = office.token(office.member)
    url = client.get("/api/v1/me/feeds", headers=token).json["personal"]["url"].removeprefix("http://localhost")
    [in_feed] = Calendar.from_ical(client.get(url).data).walk("VEVENT")
    assert str(in_feed["uid"]) == uid and in_feed["sequence"] == 3 and in_feed["status"] == "CANCELLED"


def test_drafts_send_nothing_until_the_week_is_published(mail_app, smtp_server):
    office = Office(mail_app)
    office.book("Làm việc với Vụ Pháp chế", status="draft", participant_ids=[office.member.id])
    deliver(mail_app)
    assert smtp_server.messages == []
    with mail_app.app_context():
        publishing.publish_week(parse_week("2026-W49"), directory.get_user(office.secretary.id), NOW)
    deliver(mail_app)
    assert len(smtp_server.messages) == 2 and invitation(smtp_server.messages[0])[0] == "REQUEST"


def test_a_refused_change_queues_no_invitation(mail_app, smtp_server):
    office = Office(mail_app)
    office.book("Họp giao ban")
    try:
        office.book("Họp trùng giờ", participant_ids=[office.member.id])
    except Conflict:
        pass
    with mail_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(OutboxEmail)) == 1  # the first entry's only
