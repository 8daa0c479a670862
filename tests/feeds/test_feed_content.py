"""A personal feed read by three parsers: what they expand must be what the calendar itself expands,
and the text must survive Vietnamese, commas, semicolons and line breaks."""
import unicodedata
from datetime import date

from meetings.calendar import queries, series, services
from meetings.directory import services as directory
from meetings.feeds.feed import context
from tests.calendar.conftest import NOW
from tests.feeds.interop import (app_occurrences, by_icaljs, by_icalendar, by_recurring_ical_events, check_bytes,
                                 local_day)

LONG_TITLE = ("Họp Ban Chỉ đạo; rà soát, hoàn thiện dự thảo Nghị định về quản lý tài nguyên nước, "
              "đất đai; khoáng sản, biển và hải đảo; ý kiến của các Vụ, Cục, Viện, Trung tâm trực thuộc Bộ; "
              "tổng hợp báo cáo Thủ tướng Chính phủ")[:200]
DESCRIPTION = "Nội dung: thứ nhất, báo cáo; thứ hai, thảo luận.\nChuẩn bị: tài liệu \"số 1\", bản in; USB.\n\nHết."
START, END = local_day(date(2026, 11, 30)), local_day(date(2027, 2, 1))


def populate(office) -> dict:
    ids = {}
    ids["series"] = office.book("Giao ban tuần", "2026-12-07T08:00", "2026-12-07T09:00", rrule="FREQ=WEEKLY;COUNT=6",
                                participant_ids=[office.member.id], room_id=office.room,
                                online_url="https://hop.example.gov.vn/giao-ban")
    ids["trip"] = office.book("Công tác tỉnh Lào Cai", "2026-12-09", "2026-12-11", all_day=True)
    ids["long"] = office.book(LONG_TITLE, "2026-12-03T14:00", "2026-12-03T16:00", description=DESCRIPTION,
                              preparing_unit="Vụ Pháp chế", location="Tầng 3, nhà A")
    ids["cancelled"] = office.book("Tiếp Đại sứ Nhật Bản", "2026-12-04T09:00", "2026-12-04T10:00")
    with office.app.app_context():
        actor = directory.get_user(office.secretary.id)
        series.edit_occurrence(ids["series"], "2026-12-14T08:00:00+07:00",
                               {"start": "2026-12-15T14:00", "end": "2026-12-15T15:00"}, actor, NOW)
        series.edit_occurrence(ids["series"], "2026-12-21T08:00:00+07:00", {"cancelled": True}, actor, NOW)
        services.cancel_event(ids["cancelled"], "Đoàn khách hoãn chuyến thăm", actor, NOW)
    return ids


def personal_feed(client, office, user):
    urls = client.get("/api/v1/me/feeds", headers=office.token(user)).json["personal"]
    return client.get(urls["url"].removeprefix("http://localhost"))


def test_three_parsers_expand_the_feed_as_the_calendar_does(app, client, office, tmp_path):
    ids = populate(office)
    response = personal_feed(client, office, office.minister)
    assert response.status_code == 200
    body = response.data
    check_bytes(body)
    with app.app_context():
        domain = context().uid_domain
        minister = directory.get_user(office.minister.id)
        expected = app_occurrences(queries.occurrences(START, END, person=minister),
                                   lambda i: f"calendar-event-{i}@{domain}")
    assert len(expected) == 5 + 1 + 1 + 1  # the series less its cancelled Monday, trip, long, cancelled entry
    by_rie = by_recurring_ical_events(body, START, END)
    by_js = by_icaljs(body, START, END, tmp_path)
    assert by_rie == expected
    assert by_js["occurrence_set"] == expected
    cal = by_icalendar(body)
    assert cal["method"] == "PUBLISH" and by_js["calendar"]["method"] == "PUBLISH"
    assert by_js["calendar"]["name"] == by_js["calendar"]["calname"] == "Lịch của tôi – Nguyễn Văn Minh"

    long_uid = f"calendar-event-{ids['long']}@{domain}"
    [long_js] = [e for e in by_js["events"] if e["uid"] == long_uid]
    [long_py] = [e for e in cal.walk("VEVENT") if str(e["uid"]) == long_uid]
    assert len(LONG_TITLE) == 200
    assert long_js["summary"] == str(long_py["summary"]) == unicodedata.normalize("NFC", LONG_TITLE)
    assert long_js["description"].startswith(DESCRIPTION)
    assert str(long_py["description"]).startswith(DESCRIPTION)
    link = f"{app.config['MEETINGS_BASE_URL']}/schedule/events/{ids['long']}"  # the same whatever Host asked
    assert link in long_js["description"]
    assert "Nguyễn Văn Minh" in long_js["description"] and "Vụ Pháp chế" in long_js["description"]
    assert str(long_py["url"]) == link
    assert long_js["location"] == "Tầng 3, nhà A"

    [cancelled] = [e for e in by_js["events"] if e["uid"].startswith(f"calendar-event-{ids['cancelled']}@")]
    assert cancelled["status"] == "CANCELLED" and cancelled["summary"] == "[ĐÃ HỦY] Tiếp Đại sứ Nhật Bản"
    assert cancelled["sequence"] == 1

    series_events = [e for e in by_js["events"] if e["uid"].startswith(f"calendar-event-{ids['series']}@")]
    assert {e["recurrenceId"] for e in series_events} == {None, "2026-12-14T01:00:00.000Z"}
    assert {e["sequence"] for e in series_events} == {2}  # moved, then one cancelled: two changes
    assert series_events[0]["attendees"] == ["Nguyễn Văn Minh", "Trần Thị Thu"]


def test_the_text_follows_rfc_5545_and_avoids_known_traps(app, client, office):
    populate(office)
    text = personal_feed(client, office, office.minister).data.decode()
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:")
    for line in ("METHOD:PUBLISH", "REFRESH-INTERVAL;VALUE=DURATION:PT1H", "X-PUBLISHED-TTL:PT1H",
                 "BEGIN:VTIMEZONE\r\nTZID:Asia/Ho_Chi_Minh\r\nBEGIN:STANDARD\r\nDTSTART:19700101T000000\r\n"
                 "TZOFFSETFROM:+0700\r\nTZOFFSETTO:+0700\r\nEND:STANDARD\r\nEND:VTIMEZONE",
                 "DTSTART;VALUE=DATE:20261209", "DTEND;VALUE=DATE:20261212",
                 "RRULE:FREQ=WEEKLY;COUNT=6", "EXDATE;TZID=Asia/Ho_Chi_Minh:20261221T080000",
                 "RECURRENCE-ID;TZID=Asia/Ho_Chi_Minh:20261214T080000",
                 "DTSTART;TZID=Asia/Ho_Chi_Minh:20261215T140000", "STATUS:CONFIRMED", "STATUS:CANCELLED",
                 "DTSTAMP:20261202T030000Z", "LAST-MODIFIED:20261202T030000Z"):
        assert line in text, line
    assert "+0800" not in text and "Z\r\n" not in text.split("BEGIN:VEVENT")[1].split("DTSTART")[1][:40]
    unfolded = text.replace("\r\n ", "")
    assert 'ATTENDEE;CN="Nguyễn Văn Minh";ROLE=CHAIR:mailto:' in unfolded
    assert 'ORGANIZER;CN=' in unfolded


def test_a_draft_is_tentative_for_its_leader_and_absent_for_others(app, client, office):
    office.book("Dự thảo lịch làm việc", "2026-12-08T08:00", "2026-12-08T09:00", status="draft",
                participant_ids=[office.member.id])
    assert "STATUS:TENTATIVE" in personal_feed(client, office, office.minister).data.decode()
    assert "Dự thảo" not in personal_feed(client, office, office.member).data.decode()
