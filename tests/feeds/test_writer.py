"""The hand-written writer against the icalendar-based builder it replaced (reference_ical.py): the
same bytes for every entry of the feed tests, in full and as a busy block, read through the ORM or
through the feeds' Core loader, in feeds and in invitations."""
import random
import unicodedata
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from meetings.calendar import series
from meetings.calendar.access import Access, entry_access
from meetings.calendar.models import Event, EventChange, EventLeader, EventParticipant
from meetings.directory import services as directory
from meetings.extensions import db
from meetings.feeds import feed, ical, itip
from meetings.feeds.selection import FeedSpec, stubs
from meetings.feeds.zones import vtimezone, vtimezone_text
from tests.calendar.conftest import NOW
from tests.feeds import reference_ical as reference
from tests.feeds.test_feed_content import LONG_TITLE, personal_feed, populate


def more_entries(office) -> None:
    """Beyond the interop fixtures: drafts, confidential, units, guests, a chair among several
    leaders, rules with UNTIL (timed and all-day), an all-day series with a moved day, awkward names."""
    make = office.factories
    awkward = make.user("member", name="O'Brien, Mary ^ Nguyễn", unit="Vụ Pháp chế")
    plain = make.user("member", name="Admin")
    unit = db_unit_id(office, "Vụ Pháp chế")
    office.book("Dự thảo lịch làm việc", "2026-12-08T08:00", "2026-12-08T09:00", status="draft",
                participant_ids=[office.member.id])
    office.book("Làm việc về nhân sự cấp cao", "2026-12-08T14:00", "2026-12-08T15:00",
                visibility="confidential", preparing_unit="Vụ Tổ chức cán bộ", leaders=[office.deputy])
    office.book(unicodedata.normalize("NFD", LONG_TITLE), "2026-12-16T08:00", "2026-12-16T09:00",
                leaders=[office.deputy, office.minister], chair_id=office.minister.id,
                participant_ids=[awkward.id, plain.id, office.member.id], participant_unit_ids=[unit],
                guests="Đoàn Đại sứ quán Hà Lan; phiên dịch, lái xe", online_url="https://hop.example.gov.vn/a?b=1,2",
                description="Đường dẫn C:\\Tai lieu\\ban in; \"bản 2\"\nHết.", location="Nhà A, tầng 3",
                room_id=office.other_room, visibility="public")
    timed = office.book("Trực ban", "2026-12-11T07:30", "2026-12-11T08:00",
                        rrule="FREQ=DAILY;INTERVAL=2;UNTIL=20261219T073000",
                        leaders=[office.deputy])
    days = office.book("Tập huấn", "2026-12-14", "2026-12-14", all_day=True, rrule="FREQ=WEEKLY;COUNT=4",
                       leaders=[office.deputy])
    with office.app.app_context():
        actor = directory.get_user(office.secretary.id)
        series.edit_occurrence(days, "2026-12-21T00:00:00+07:00", {"start": "2026-12-22T00:00",
                                                                  "end": "2026-12-23T00:00"}, actor, NOW)
        series.edit_occurrence(days, "2026-12-28T00:00:00+07:00", {"cancelled": True}, actor, NOW)
        series.edit_occurrence(timed, "2026-12-13T07:30:00+07:00", {"cancelled": True}, actor, NOW)


def db_unit_id(office, name: str) -> int:
    with office.app.app_context():
        return directory.unit_by_name(name).id


@pytest.fixture
def entries(office):
    populate(office)
    more_entries(office)


def orm_entries() -> list[Event]:
    return list(db.session.scalars(select(Event).order_by(Event.id).options(
        selectinload(Event.leaders).selectinload(EventLeader.user),
        selectinload(Event.participants).selectinload(EventParticipant.user),
        selectinload(Event.participants).selectinload(EventParticipant.unit),
        selectinload(Event.overrides), selectinload(Event.room))))


def last_change(event) -> object:
    moment = db.session.scalar(select(func.max(EventChange.changed_at)).where(EventChange.event_id == event.id))
    return feed._aware(moment or event.changed_at or event.updated_at or event.created_at)


def test_every_entry_is_written_as_the_icalendar_builder_wrote_it(app, office, entries):
    with app.test_request_context("/"):
        ctx, words = feed.context(), ical.labels()
        events = orm_entries()
        loaded = feed.load([e.id for e in events])
        assert len(events) == 9 and {e.status for e in events} == {"published", "draft", "cancelled"}
        for event in events:
            entry = ical.entry_of(event, last_change(event))
            assert loaded[event.id] == entry  # Core loader and ORM agree, order of people included
            for full in (True, False):
                expected = b"".join(reference.to_bytes(c) for c in reference.components(
                    event, full, entry.last_change, ctx, words=words))
                assert feed.serialise(loaded[event.id], full, ctx, words) == expected, (event.title, full)
            for method in ("REQUEST", "CANCEL", "PUBLISH"):
                assert itip.message(event, method, NOW, ctx) == reference.message(event, method, NOW, ctx)


def test_whole_feeds_are_the_reference_bytes(app, client, office, entries):
    for user in (office.minister, office.member, office.outsider, office.secretary):
        body = personal_feed(client, office, user).data
        with app.test_request_context("/"):
            owner = directory.get_user(user.id)
            spec, ctx = FeedSpec("personal", 0, owner), feed.context()
            with feed.force_locale(feed.locale_of(spec)):
                words = ical.labels()
                events = {e.id: e for e in orm_entries()}
                vevents = []
                for stub in stubs(spec, NOW):
                    access = entry_access(owner, stub)
                    if access is not Access.NONE:
                        event = events[stub.id]
                        vevents += reference.components(event, access is Access.FULL, last_change(event), ctx,
                                                        words=words)
                expected = reference.feed(feed.feed_name(spec), ctx, vevents)
        assert body == expected, user.name


def test_header_and_time_zone_blocks_match(app):
    with app.test_request_context("/"):
        ctx = feed.context()
        for name in ("Lịch của tôi – Nguyễn Văn Minh", "Tên; có, dấu\nxuống dòng", ""):
            for method in ("PUBLISH", "REQUEST", "CANCEL"):
                assert ical.to_bytes(ical.calendar_lines(name, method) + ["END:VCALENDAR"]) == \
                    reference.to_bytes(reference.calendar(name, method))
        for zone in (ctx.zone, ZoneInfo("Europe/Berlin")):
            assert vtimezone_text(zone).encode() == reference.to_bytes(vtimezone(zone))


def test_text_escaping_keeps_a_typed_backslash_n(app):
    assert ical.text("a\\N, b; c\nd") == "a\\\\N\\, b\\; c\\nd"


def test_folding_cuts_between_characters_as_before():
    rng = random.Random(4)
    alphabet = "aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂĐ ,;\\ạảãàáặẳẵằắậẩẫầấẹẻẽèéệểễềếọỏõòóộổỗồốợởỡờớụủũùúựửữừứỵỷỹỳý€𝄞"
    for length in list(range(60, 90)) + [200, 400, 1000]:
        for _ in range(20):
            line = "DESCRIPTION:" + "".join(rng.choice(alphabet) for _ in range(length))
            assert ical.fold(line) == reference.fold(line)
