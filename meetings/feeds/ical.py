"""iCalendar text of entries, shared by feeds (METHOD:PUBLISH) and invitations (REQUEST/CANCEL).

Built with `icalendar`, avoiding its traps: no Calendar.new()/Event.new() (they invent a random UID
and stamp the current time, so an unchanged feed would change on every fetch); durations passed as
vDuration (a bare timedelta on an X- property renders as "1:00:00"); VALUE=DURATION added by hand on
REFRESH-INTERVAL; names cleaned of line breaks, which the library refuses in NAME.
"""
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from flask_babel import pgettext
from icalendar import Calendar, Event, vCalAddress, vDuration, vRecur, vText

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


CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f]")  # category Cc less the line feed


def clean(text: str | None) -> str:
    """NFC (Vietnamese typed on some phones arrives decomposed) without stray control characters."""
    text = unicodedata.normalize("NFC", text or "").replace("\r\n", "\n").replace("\r", "\n")
    return CONTROL.sub("", text).strip()


def labels() -> dict:
    """The words the text uses, translated once per feed rather than once per entry."""
    return {"chair": pgettext("ical", "chair"), "leaders": pgettext("ical", "Leaders"),
            "participants": pgettext("ical", "Participants"), "guests": pgettext("ical", "Guests"),
            "unit": pgettext("ical", "Preparing unit"), "online": _("Online meeting"),
            "reason": _("Reason for cancelling"), "details": pgettext("ical", "Details"),
            "busy": pgettext("ical", "Busy"), "cancelled": _("[CANCELLED] ")}


def fold(line: str) -> bytes:
    """One content line, folded at 75 octets between characters, never inside one."""
    raw = line.encode()
    if len(raw) <= 75:
        return raw + b"\r\n"
    parts, current, size = [], [], 0
    for char in line:
        width = len(char.encode())
        if size + width > (75 if not parts else 74):  # a continuation line starts with a space
            parts.append("".join(current))
            current, size = [], 0
        current.append(char)
        size += width
    parts.append("".join(current))
    return "\r\n ".join(parts).encode() + b"\r\n"


def to_bytes(component) -> bytes:
    """The component's lines from the library, folded here: its folding walks every character of
    every line, short or not, and took most of a large feed's build time."""
    return b"".join(fold(str(line)) for line in component.content_lines() if line)


def one_line(text: str | None) -> str:
    return " ".join(clean(text).split())


def common_name(name: str | None) -> str:
    """CN parameter: quotes and semicolons confuse several parsers even when quoted, so none at all."""
    return " ".join(one_line(name).replace('"', " ").replace(";", ",").split())


def calendar(name: str, method: str = "PUBLISH") -> Calendar:
    cal = Calendar()
    cal.add("version", "2.0")
    cal.add("prodid", PRODID)
    cal.add("calscale", "GREGORIAN")
    cal.add("method", method)
    if method == "PUBLISH":
        cal.add("name", vText(one_line(name)))
        cal.add("x-wr-calname", vText(one_line(name)))
        cal.add("refresh-interval", vDuration(REFRESH), parameters={"VALUE": "DURATION"})
        cal.add("x-published-ttl", vDuration(REFRESH))
    return cal


def uid(event_id: int, ctx: Context) -> str:
    return f"calendar-event-{event_id}@{ctx.uid_domain}"


def entry_url(event_id: int, ctx: Context) -> str:
    return f"{ctx.base_url}/schedule/events/{event_id}"


def _moment(moment: datetime, all_day: bool, ctx: Context):
    local = moment.astimezone(ctx.zone)
    return local.date() if all_day else local


def _rule(event, ctx: Context) -> vRecur:
    """The stored rule, whose UNTIL is local wall-clock time: RFC 5545 wants UTC beside a TZID
    start, and a date beside an all-day start."""
    rule = vRecur.from_ical(event.rrule)
    if "UNTIL" in rule:
        until = rule["UNTIL"][0]
        if isinstance(until, datetime):
            local = until.replace(tzinfo=ctx.zone) if until.tzinfo is None else until
            rule["UNTIL"] = [local.date() if event.all_day else local.astimezone(timezone.utc)]
    return rule


def _people(event, ctx: Context) -> list[vCalAddress]:
    found = []
    for link in event.leaders:
        found.append((link.user, "CHAIR" if link.role == "chair" else "REQ-PARTICIPANT"))
    found += [(p.user, "REQ-PARTICIPANT") for p in event.participants if p.user]
    addresses, seen = [], set()
    for user, role in found:
        if user is None or not user.email or user.id in seen:
            continue
        seen.add(user.id)
        address = vCalAddress(f"mailto:{user.email}")
        address.params["CN"] = common_name(user.name)
        address.params["ROLE"] = role
        addresses.append(address)
    return addresses


def organizer(ctx: Context) -> vCalAddress:
    address = vCalAddress(f"mailto:{ctx.organizer_email}")
    address.params["CN"] = common_name(ctx.organizer_name)
    return address


def describe(event, ctx: Context, words: dict) -> str:
    """DESCRIPTION: the entry's own text, then who, who prepares, how to join, and the link
    (Exchange ignores URL, so the link is here too)."""
    lines = [clean(event.description)] if clean(event.description) else []
    leaders = [f"{link.user.name} ({words['chair']})" if link.role == "chair" else link.user.name
               for link in event.leaders if link.user]
    people = [p.user.name for p in event.participants if p.user] + [p.unit.name for p in event.participants
                                                                     if p.unit]
    for label, value in ((words["leaders"], ", ".join(leaders)), (words["participants"], ", ".join(people)),
                         (words["guests"], event.guests), (words["unit"], event.preparing_unit),
                         (words["online"], event.online_url),
                         (words["reason"], event.cancel_reason if event.status == "cancelled" else None)):
        if clean(value):
            lines.append(f"{label}: {clean(value)}")
    lines.append(f"{words['details']}: {entry_url(event.id, ctx)}")
    return "\n".join(lines)


def _place(event) -> str:
    return one_line(", ".join(p for p in (event.room.name if event.room else None, event.location) if p))


def _base(event, full: bool, last_change: datetime, ctx: Context, status: str, words: dict) -> Event:
    vevent = Event()
    vevent.add("uid", uid(event.id, ctx))
    vevent.add("dtstamp", last_change.astimezone(timezone.utc))
    vevent.add("last-modified", last_change.astimezone(timezone.utc))
    vevent.add("sequence", event.sequence or 0)
    vevent.add("status", STATUS[status])
    title = one_line(event.title) if full else words["busy"]
    vevent.add("summary", (words["cancelled"] + title) if status == "cancelled" else title)
    vevent.add("transp", "OPAQUE")
    if not full:
        vevent.add("class", "CONFIDENTIAL")
        return vevent
    vevent.add("class", CLASSES.get(event.visibility, "PRIVATE"))
    if _place(event):
        vevent.add("location", _place(event))
    vevent.add("url", entry_url(event.id, ctx))
    vevent.add("description", describe(event, ctx, words))
    return vevent


def components(event, full: bool, last_change: datetime, ctx: Context, attendees: bool = True,
               rsvp: bool = False, words: dict | None = None) -> list[Event]:
    """The entry as VEVENTs: the entry (the series, with RRULE and EXDATE for cancelled occurrences)
    and one per moved occurrence (same UID, RECURRENCE-ID = the start it was planned at)."""
    words = words or labels()
    people = []
    if full and attendees:
        people = [("organizer", organizer(ctx))] + [("attendee", a) for a in _people(event, ctx)]
        for _name, address in people[1:]:
            if rsvp:
                address.params["RSVP"] = "TRUE"
                address.params["PARTSTAT"] = "NEEDS-ACTION"
    master = _base(event, full, last_change, ctx, event.status, words)
    _times(master, event.start_at, event.end_at, event.all_day, ctx)
    for name, address in people:
        master.add(name, address)
    found = [master]
    if not event.rrule:
        return found
    master.add("rrule", _rule(event, ctx))
    cancelled = [o.original_start for o in event.overrides if o.cancelled]
    if cancelled:
        master.add("exdate", [_moment(m, event.all_day, ctx) for m in sorted(cancelled)])
    for override in event.overrides:
        if override.cancelled:
            continue
        moved = _base(event, full, last_change, ctx, event.status, words)
        moved.add("recurrence-id", _moment(override.original_start, event.all_day, ctx))
        _times(moved, override.start_at, override.end_at, event.all_day, ctx)
        for name, address in people:
            moved.add(name, address)
        found.append(moved)
    return found


def _times(vevent: Event, start: datetime, end: datetime, all_day: bool, ctx: Context) -> None:
    vevent.add("dtstart", _moment(start, all_day, ctx))
    end_value = _moment(end, all_day, ctx)
    if all_day and end_value <= _moment(start, all_day, ctx):
        end_value = _moment(start, all_day, ctx) + timedelta(days=1)
    vevent.add("dtend", end_value)

