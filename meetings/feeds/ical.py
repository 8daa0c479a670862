"""iCalendar text of entries: feeds (METHOD:PUBLISH), invitations (REQUEST/CANCEL) and reminders' .ics.

The one place that writes a VEVENT, by hand: building them with `icalendar` cost about 350 µs each
(its component model, parameter objects and re-escaping), most of a 5,000-entry feed's first
response. The writer produces exactly the bytes the former icalendar-based builder produced
(icalendar's canonical property order, then alphabetical; its TEXT escaping and CN quoting),
which tests/feeds/test_writer.py checks over the feed tests' entries against that builder, kept
there as the reference. One difference, deliberate: a literal backslash followed by "N" in a
text stays as typed (icalendar turned it into a line break).

It works on `Entry`, plain values read either with SQLAlchemy Core for feeds (feed.py) or from an
ORM entry for invitations (`entry_of`): the rules below (title, place, description, attendees,
recurrence) exist once, whatever the source. `icalendar` stays for what is written once per
body or read: the VTIMEZONE of a zone with daylight saving (zones.py), RRULE normalisation, and
imported files.

Traps avoided since the icalendar days: no invented UID and no current time (an unchanged feed
must stay byte-identical), durations as `PT1H`, `VALUE=DURATION` on REFRESH-INTERVAL, names and
CN parameters cleaned of line breaks, quotes and semicolons.
"""
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from flask_babel import pgettext
from icalendar import vRecur

PRODID = "-//meetings//Lich cong tac//VI"
REFRESH = timedelta(hours=1)
STATUS = {"published": "CONFIRMED", "draft": "TENTATIVE", "cancelled": "CANCELLED"}
CLASSES = {"public": "PUBLIC", "internal": "PRIVATE", "confidential": "CONFIDENTIAL"}


@dataclass(frozen=True)
class Context:
    """What every entry's text needs besides the entry: zone, links, identity of the office."""

    zone: ZoneInfo
    base_url: str  # "http://host" without the trailing slash
    uid_domain: str
    organizer_name: str
    organizer_email: str


@dataclass(slots=True)
class Person:
    user_id: int
    name: str
    email: str | None


@dataclass(slots=True)
class Moved:
    """One occurrence of a series moved (or cancelled) away from `original_start`."""

    original_start: datetime
    cancelled: bool
    start_at: datetime | None
    end_at: datetime | None


@dataclass(slots=True)
class Entry:
    """What the text of one calendar entry is made of, as plain values."""

    id: int
    title: str
    status: str
    visibility: str
    all_day: bool
    start_at: datetime
    end_at: datetime
    sequence: int
    last_change: datetime  # DTSTAMP and LAST-MODIFIED
    rrule: str | None = None
    description: str | None = None
    location: str | None = None
    room_name: str | None = None
    guests: str | None = None
    preparing_unit: str | None = None
    online_url: str | None = None
    cancel_reason: str | None = None
    leaders: list = field(default_factory=list)  # (Person, role), the chair first
    participants: list = field(default_factory=list)  # Person, in the order they were added
    units: list = field(default_factory=list)  # names of participating units
    moved: list = field(default_factory=list)  # Moved, by original start


def entry_of(event, last_change: datetime) -> Entry:
    """An ORM entry (with its links loaded) as an Entry."""
    def person(user):
        return Person(user.id, user.name, user.email)

    return Entry(
        id=event.id, title=event.title, status=event.status, visibility=event.visibility, all_day=event.all_day,
        start_at=event.start_at, end_at=event.end_at, sequence=event.sequence or 0, last_change=last_change,
        rrule=event.rrule, description=event.description, location=event.location,
        room_name=event.room.name if event.room else None, guests=event.guests,
        preparing_unit=event.preparing_unit, online_url=event.online_url, cancel_reason=event.cancel_reason,
        leaders=[(person(link.user), link.role) for link in event.leaders if link.user],
        participants=[person(p.user) for p in event.participants if p.user],
        units=[p.unit.name for p in event.participants if p.unit],
        moved=[Moved(o.original_start, o.cancelled, o.start_at, o.end_at) for o in event.overrides])


CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f]")  # category Cc less the line feed


def clean(text: str | None) -> str:
    """NFC (Vietnamese typed on some phones arrives decomposed) without stray control characters."""
    if not text:
        return ""
    text = unicodedata.normalize("NFC", text or "").replace("\r\n", "\n").replace("\r", "\n")
    return CONTROL.sub("", text).strip()


def labels() -> dict:
    """The words the text uses, translated once per feed rather than once per entry."""
    return {"chair": pgettext("ical", "chair"), "leaders": pgettext("ical", "Leaders"),
            "participants": pgettext("ical", "Participants"), "guests": pgettext("ical", "Guests"),
            "unit": pgettext("ical", "Preparing unit"), "online": _("Online meeting"),
            "reason": _("Reason for cancelling"), "details": pgettext("ical", "Details"),
            "busy": pgettext("ical", "Busy"), "cancelled": _("[CANCELLED] ")}


def fold_line(raw: bytes) -> bytes:
    """One content line, folded at 75 octets between characters, never inside one (RFC 5545 §3.1):
    a cut falls back while the next byte continues a UTF-8 character."""
    if len(raw) <= 75:
        return raw
    parts, start, limit = [], 0, 75
    while len(raw) - start > limit:
        cut = start + limit
        while raw[cut] & 0xC0 == 0x80:
            cut -= 1
        parts.append(raw[start:cut])
        start, limit = cut, 74  # a continuation line starts with a space
    parts.append(raw[start:])
    return b"\r\n ".join(parts)


def fold(line: str) -> bytes:
    return fold_line(line.encode()) + b"\r\n"


def to_bytes(lines: list[str]) -> bytes:
    # Most lines are short ASCII (isascii() is O(1) in CPython): only the others are encoded apart.
    return ("\r\n".join([line if len(line) <= 75 and line.isascii() else fold_line(line.encode()).decode()
                          for line in lines]) + "\r\n").encode()


def one_line(text: str | None) -> str:
    return " ".join(clean(text).split())


def common_name(name: str | None) -> str:
    """CN parameter: quotes and semicolons confuse several parsers even when quoted, so none at all."""
    return " ".join(one_line(name).replace('"', " ").replace(";", ",").split())


def text(value: str) -> str:
    """A TEXT value escaped (RFC 5545 §3.3.11); carriage returns never get here (see `clean`)."""
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


QUOTED = re.compile("[,;:’ ']")  # as icalendar quotes a CN: the typographic apostrophe too


@lru_cache(maxsize=4096)
def _cn(name: str | None) -> str:
    value = common_name(name).replace("^", "^^")  # RFC 6868; quotes and line breaks are gone already
    return f'"{value}"' if QUOTED.search(value) else value


def calendar_lines(name: str, method: str = "PUBLISH") -> list[str]:
    """The calendar's own properties, before its components."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{text(PRODID)}", "CALSCALE:GREGORIAN", f"METHOD:{method}"]
    if method == "PUBLISH":
        lines += [f"NAME:{text(one_line(name))}", f"X-WR-CALNAME:{text(one_line(name))}",
                  f"REFRESH-INTERVAL;VALUE=DURATION:{_duration(REFRESH)}", f"X-PUBLISHED-TTL:{_duration(REFRESH)}"]
    return lines


def _duration(span: timedelta) -> str:
    hours, rest = divmod(int(span.total_seconds()), 3600)
    assert rest == 0 and hours > 0, "only whole hours are written"
    return f"PT{hours}H"


def uid(event_id: int, ctx: Context) -> str:
    return f"calendar-event-{event_id}@{ctx.uid_domain}"


def entry_url(event_id: int, ctx: Context) -> str:
    return f"{ctx.base_url}/schedule/events/{event_id}"


def _stamp(v: datetime) -> str:
    """YYYYMMDDTHHMMSS: %-formatting, three times faster than strftime, and a feed has 20,000 of them."""
    return "%04d%02d%02dT%02d%02d%02d" % (v.year, v.month, v.day, v.hour, v.minute, v.second)


def _day(v: date) -> str:
    return "%04d%02d%02d" % (v.year, v.month, v.day)


def _utc(moment: datetime) -> str:
    return _stamp(moment.astimezone(timezone.utc)) + "Z"


def _moment(moment: datetime, all_day: bool, ctx: Context) -> datetime | date:
    local = moment.astimezone(ctx.zone)
    return local.date() if all_day else local


def _when(name: str, value: datetime | date, ctx: Context) -> str:
    """A DATE (all-day) or a local DATE-TIME with its TZID: never UTC, never floating."""
    if isinstance(value, datetime):
        return f"{name};TZID={ctx.zone.key}:{_stamp(value)}"
    return f"{name};VALUE=DATE:{_day(value)}"


def _whens(name: str, values: list, ctx: Context) -> str:
    if isinstance(values[0], datetime):
        return f"{name};TZID={ctx.zone.key}:" + ",".join(_stamp(v) for v in values)
    return f"{name};VALUE=DATE:" + ",".join(_day(v) for v in values)


@lru_cache(maxsize=4096)
def _rule(rrule: str, all_day: bool, zone: ZoneInfo) -> str:
    """The stored rule, whose UNTIL is local wall-clock time: RFC 5545 wants UTC beside a TZID
    start, and a date beside an all-day start. Normalised by icalendar, once per distinct rule."""
    rule = vRecur.from_ical(rrule)
    if "UNTIL" in rule:
        until = rule["UNTIL"][0]
        if isinstance(until, datetime):
            local = until.replace(tzinfo=zone) if until.tzinfo is None else until
            rule["UNTIL"] = [local.date() if all_day else local.astimezone(timezone.utc)]
    return rule.to_ical().decode()


def _people(entry: Entry) -> list[tuple[Person, str]]:
    """Each person once, with an address: leaders (the chair as CHAIR), then participants."""
    found = [(person, "CHAIR" if role == "chair" else "REQ-PARTICIPANT") for person, role in entry.leaders]
    found += [(person, "REQ-PARTICIPANT") for person in entry.participants]
    people, seen = [], set()
    for person, role in found:
        if person.email and person.user_id not in seen:
            seen.add(person.user_id)
            people.append((person, role))
    return people


def _addresses(entry: Entry, rsvp: bool) -> list[str]:
    """ATTENDEE lines, parameters in alphabetical order as icalendar wrote them."""
    reply, answer = (";PARTSTAT=NEEDS-ACTION", ";RSVP=TRUE") if rsvp else ("", "")
    return [f"ATTENDEE;CN={_cn(person.name)}{reply};ROLE={role}{answer}:mailto:{person.email}"
            for person, role in _people(entry)]


def describe(entry: Entry, ctx: Context, words: dict) -> str:
    """DESCRIPTION: the entry's own text, then who, who prepares, how to join, and the link
    (Exchange ignores URL, so the link is here too)."""
    own = clean(entry.description)
    lines = [own] if own else []
    leaders = [f"{person.name} ({words['chair']})" if role == "chair" else person.name
               for person, role in entry.leaders]
    people = [person.name for person in entry.participants] + list(entry.units)
    for label, value in ((words["leaders"], ", ".join(leaders)), (words["participants"], ", ".join(people)),
                         (words["guests"], entry.guests), (words["unit"], entry.preparing_unit),
                         (words["online"], entry.online_url),
                         (words["reason"], entry.cancel_reason if entry.status == "cancelled" else None)):
        value = clean(value)
        if value:
            lines.append(f"{label}: {value}")
    lines.append(f"{words['details']}: {entry_url(entry.id, ctx)}")
    return "\n".join(lines)


def place(entry: Entry) -> str:
    return one_line(", ".join(p for p in (entry.room_name, entry.location) if p))


def _times(entry: Entry, start: datetime, end: datetime, ctx: Context) -> list[str]:
    start_value, end_value = _moment(start, entry.all_day, ctx), _moment(end, entry.all_day, ctx)
    if entry.all_day and end_value <= start_value:
        end_value = start_value + timedelta(days=1)
    return [_when("DTSTART", start_value, ctx), _when("DTEND", end_value, ctx)]


def vevent_lines(entry: Entry, full: bool, ctx: Context, words: dict, attendees: bool = True,
                 rsvp: bool = False, status: str | None = None) -> list[str]:
    """The entry as VEVENTs: the entry (the series, with RRULE and EXDATE for cancelled occurrences)
    and one per moved occurrence (same UID, RECURRENCE-ID = the start it was planned at). Full
    entries carry their content and people; the others are "Bận" busy blocks. `status` replaces
    the entry's STATUS (an iTIP CANCEL), not its title."""
    title = one_line(entry.title) if full else words["busy"]
    summary = f"SUMMARY:{text((words['cancelled'] + title) if entry.status == 'cancelled' else title)}"
    stamp = _utc(entry.last_change)
    head = [f"DTSTAMP:{stamp}", f"UID:{text(uid(entry.id, ctx))}"]
    sequence = f"SEQUENCE:{entry.sequence or 0}"
    # After icalendar's canonical properties (SUMMARY ... EXDATE), the others alphabetically:
    # ATTENDEE CLASS DESCRIPTION LAST-MODIFIED LOCATION ORGANIZER STATUS TRANSP URL.
    tail = []
    if full:
        if attendees:
            tail += _addresses(entry, rsvp)
        tail.append(f"CLASS:{CLASSES.get(entry.visibility, 'PRIVATE')}")
        tail.append(f"DESCRIPTION:{text(describe(entry, ctx, words))}")
        tail.append(f"LAST-MODIFIED:{stamp}")
        where = place(entry)
        if where:
            tail.append(f"LOCATION:{text(where)}")
        if attendees:
            tail.append(f"ORGANIZER;CN={_cn(ctx.organizer_name)}:mailto:{ctx.organizer_email}")
    else:
        tail += ["CLASS:CONFIDENTIAL", f"LAST-MODIFIED:{stamp}"]
    tail += [f"STATUS:{STATUS[status or entry.status]}", "TRANSP:OPAQUE"]
    if full:
        tail.append(f"URL:{entry_url(entry.id, ctx)}")
    tail.append("END:VEVENT")

    lines = ["BEGIN:VEVENT", summary, *_times(entry, entry.start_at, entry.end_at, ctx), *head, sequence]
    if entry.rrule:
        lines.append(f"RRULE:{_rule(entry.rrule, entry.all_day, ctx.zone)}")
        cancelled = sorted(m.original_start for m in entry.moved if m.cancelled)
        if cancelled:
            lines.append(_whens("EXDATE", [_moment(m, entry.all_day, ctx) for m in cancelled], ctx))
    lines += tail
    if entry.rrule:
        for moved in entry.moved:
            if not moved.cancelled:
                lines += ["BEGIN:VEVENT", summary, *_times(entry, moved.start_at, moved.end_at, ctx), *head,
                          _when("RECURRENCE-ID", _moment(moved.original_start, entry.all_day, ctx), ctx), sequence,
                          *tail]
    return lines


def forget() -> None:
    """Empty the writer's memos: the benchmark's cold first response starts from nothing."""
    from meetings.feeds.zones import vtimezone_text

    _rule.cache_clear()
    _cn.cache_clear()
    vtimezone_text.cache_clear()
