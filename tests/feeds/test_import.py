"""Importing an .ics file: a preview matched by UID with conflicts flagged, drafts on confirmation,
and broken files, unknown time zones and huge files refused with nothing created."""
import io
import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import stream_encode_multipart

from meetings.calendar.models import Event as Entry
from meetings.extensions import db
from meetings.feeds import imports

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def ics(*events) -> bytes:
    cal = Calendar()
    cal.add("version", "2.0")
    cal.add("prodid", "-//Outlook//EN")
    for uid, title, start, end in events:
        vevent = Event()
        vevent.add("uid", uid)
        vevent.add("dtstamp", datetime(2026, 11, 30, 1, 0, tzinfo=ZoneInfo("UTC")))
        vevent.add("summary", title)
        vevent.add("dtstart", start)
        vevent.add("dtend", end)
        vevent.add("location", "Hội trường Bộ Tài chính")
        cal.add_component(vevent)
    return cal.to_ical()


INVITATION = ics(("moi-hop-123@mof.gov.vn", "Hội nghị liên Bộ về ngân sách", datetime(2026, 12, 2, 8, 30, tzinfo=HANOI),
                  datetime(2026, 12, 2, 10, 0, tzinfo=HANOI)),
                 ("tap-huan-9@mof.gov.vn", "Tập huấn nghiệp vụ", date(2026, 12, 14), date(2026, 12, 16)))


def upload(client, data: bytes, leader_id=None):
    # Encoded in memory: the test client would spool a body over 500 KB to a file it never closes.
    stream, length, boundary = stream_encode_multipart(
        {"file": FileStorage(io.BytesIO(data), "moi-hop.ics", content_type="text/calendar"),
         "leader_id": str(leader_id or "")}, use_tempfile=False)
    return client.post("/feeds/import", input_stream=stream, content_length=length,
                       content_type=f"multipart/form-data; boundary={boundary}")


def entries(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Entry))


def test_preview_flags_conflicts_then_confirm_creates_drafts_and_a_second_import_updates(app, client, office, auth):
    office.book("Họp giao ban", "2026-12-02T08:00", "2026-12-02T09:00")
    auth.login(office.secretary)
    preview = upload(client, INVITATION, office.minister.id)
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert "Hội nghị liên Bộ về ngân sách" in page and "Tập huấn nghiệp vụ" in page
    assert page.count("has-conflict") == 1 and page.count("tạo dự thảo") == 2
    assert entries(app) == 1  # nothing yet
    confirm = re.search(r'action="(/feeds/import/[^"]+/confirm)"', page).group(1)
    assert client.post(confirm, data={"leader_id": office.minister.id}).status_code == 302
    with app.app_context():
        made = db.session.scalars(select(Entry).where(Entry.id > 1).order_by(Entry.id)).all()
        assert [(e.title, e.status, e.all_day, e.leader_ids) for e in made] == [
            ("Hội nghị liên Bộ về ngân sách", "draft", False, [office.minister.id]),
            ("Tập huấn nghiệp vụ", "draft", True, [office.minister.id])]
        assert made[0].has_conflict
    assert client.post(confirm).status_code == 404  # used once

    moved = ics(("moi-hop-123@mof.gov.vn", "Hội nghị liên Bộ về ngân sách (đổi giờ)",
                 datetime(2026, 12, 3, 14, 0, tzinfo=HANOI), datetime(2026, 12, 3, 16, 0, tzinfo=HANOI)))
    again = upload(client, moved).get_data(as_text=True)
    assert "cập nhật" in again
    client.post(re.search(r'action="(/feeds/import/[^"]+/confirm)"', again).group(1))
    with app.app_context():
        entry = db.session.get(Entry, 2)
        assert entry.title.endswith("(đổi giờ)") and entry.start_at.astimezone(HANOI).hour == 14
    assert entries(app) == 3


def test_broken_unknown_zone_and_huge_files_are_refused_and_create_nothing(app, client, office, auth):
    auth.login(office.secretary)
    unknown_zone = INVITATION.replace(b"DTSTART;TZID=Asia/Ho_Chi_Minh", b"DTSTART;TZID=Mars/Olympus")
    huge = INVITATION + b"X-PADDING:" + b"a" * imports.MAX_BYTES
    for data, message in ((b"BEGIN:VCALENDAR\r\nthis is not ical\r\n", "không phải là tệp iCalendar"),
                          (b"\x89PNG\r\n\x1a\n\x00\x00", "không phải là tệp iCalendar"),
                          (unknown_zone, "Múi giờ “Mars/Olympus”"),
                          (huge, "Tệp lớn hơn 1000 KB"),
                          (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n", "không có sự kiện")):
        response = upload(client, data)
        assert response.status_code == 422, message
        assert message in response.get_data(as_text=True)
    assert entries(app) == 0


def test_only_the_office_imports(client, office, auth):
    auth.login(office.member)
    assert client.get("/feeds/import").status_code == 403
    assert upload(client, INVITATION).status_code == 403


def test_the_preview_says_a_series_rule_in_words(app, client, office, auth):
    cal = Calendar.from_ical(ics(("giao-ban@mof.gov.vn", "Giao ban liên Bộ", datetime(2026, 12, 7, 8, 0, tzinfo=HANOI),
                                  datetime(2026, 12, 7, 9, 0, tzinfo=HANOI))))
    cal.walk("VEVENT")[0].add("rrule", {"freq": "weekly", "count": 8})
    auth.login(office.secretary)
    page = upload(client, cal.to_ical(), office.minister.id).get_data(as_text=True)
    assert "(Hằng tuần vào Thứ Hai, 8 lần)" in page and "FREQ=" not in page
