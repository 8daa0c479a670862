"""RFC 5545 recurrence: expanding a series (with moved and cancelled occurrences) over a range.

Rules are expanded in the app's wall-clock time, so "every Monday 08:00" stays 08:00 local even
across a zone's offset change, then converted to UTC. Occurrences are named by the UTC start they
were first planned at (RECURRENCE-ID); overrides are keyed by it.
"""
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from dateutil.rrule import rrule as RRule
from dateutil.rrule import rrulestr

from meetings.timeutil import in_range

MAX_COUNT = 1000
ALLOWED_FREQ = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")


@dataclass(frozen=True)
class Occurrence:
    event: object  # Event; kept loose so this module stays free of the ORM
    start: datetime
    end: datetime
    recurrence_id: datetime | None = None  # original start, for occurrences of a series
    cancelled: bool = False  # this single occurrence was cancelled
    moved: bool = False


def _local_naive(moment: datetime, zone: ZoneInfo) -> datetime:
    return moment.astimezone(zone).replace(tzinfo=None)


def _utc(naive: datetime, zone: ZoneInfo) -> datetime:
    return naive.replace(tzinfo=zone).astimezone(timezone.utc)


def parse_rule(rule: str) -> dict[str, str]:
    """The rule's parts by name ("FREQ" -> "WEEKLY"), upper-cased; ValueError when malformed."""
    body = rule.strip()
    if body.upper().startswith("RRULE:"):
        body = body[6:]
    parts = {}
    for part in filter(None, body.upper().split(";")):
        key, sep, value = part.partition("=")
        if not sep or not value:
            raise ValueError(part)
        parts[key] = value
    return parts


def normalise_rule(text: str, zone: ZoneInfo) -> str:
    """Upper-case RRULE body; a UTC UNTIL becomes local wall-clock time to match DTSTART.

    Raises ValueError for anything we do not expand (sub-daily rules, huge counts, DTSTART inside).
    """
    parts = parse_rule(text)
    if parts.get("FREQ") not in ALLOWED_FREQ:
        raise ValueError("FREQ")
    if "COUNT" in parts and not (parts["COUNT"].isdigit() and 0 < int(parts["COUNT"]) <= MAX_COUNT):
        raise ValueError("COUNT")
    if "UNTIL" in parts:
        until = parts["UNTIL"]
        fmt = "%Y%m%dT%H%M%S" if "T" in until else "%Y%m%d"
        moment = datetime.strptime(until.rstrip("Z"), fmt)
        if in_range(moment) is None:
            raise ValueError("UNTIL")
        if until.endswith("Z"):
            moment = _local_naive(moment.replace(tzinfo=timezone.utc), zone)
        elif "T" not in until:
            moment = moment.replace(hour=23, minute=59, second=59)
        parts["UNTIL"] = f"{moment:%Y%m%dT%H%M%S}"
    rule = ";".join(f"{k}={v}" for k, v in parts.items())
    rrulestr(rule, dtstart=datetime(2000, 1, 3, 8, 0))  # raises ValueError when dateutil disagrees
    return rule


def build(rule: str, start: datetime, zone: ZoneInfo) -> RRule:
    return rrulestr(rule, dtstart=_local_naive(start, zone))


def is_bounded(rule: str) -> bool:
    return "COUNT=" in rule or "UNTIL=" in rule


def starts_between(rule: str, first: datetime, zone: ZoneInfo, after: datetime, before: datetime):
    """Original UTC starts of the series in [after, before]."""
    series = build(rule, first, zone)
    local = series.between(_local_naive(after, zone), _local_naive(before, zone), inc=True)
    return [_utc(moment, zone) for moment in local]


def all_starts(rule: str, first: datetime, zone: ZoneInfo) -> list[datetime]:
    """Every original start of a bounded series (COUNT is capped, so this is finite and small)."""
    return [_utc(moment, zone) for moment in build(rule, first, zone)]


def expand(event, range_start: datetime, range_end: datetime, zone: ZoneInfo) -> list[Occurrence]:
    """The event's occurrences overlapping [range_start, range_end), overrides applied."""
    duration = event.end_at - event.start_at
    if not event.rrule:
        if event.start_at < range_end and event.end_at > range_start:
            return [Occurrence(event, event.start_at, event.end_at)]
        return []
    overrides = {o.original_start: o for o in event.overrides}
    found = []
    for start in starts_between(event.rrule, event.start_at, zone, range_start - duration, range_end):
        if start + duration <= range_start or start >= range_end:
            continue
        override = overrides.get(start)
        if override is None:
            found.append(Occurrence(event, start, start + duration, start))
        elif override.cancelled:
            found.append(Occurrence(event, start, start + duration, start, cancelled=True))
    for override in overrides.values():  # moved ones may land anywhere, even outside the rule's reach
        if not override.cancelled and override.start_at < range_end and override.end_at > range_start:
            found.append(Occurrence(event, override.start_at, override.end_at, override.original_start,
                                    moved=True))
    return sorted(found, key=lambda o: o.start)


def span(event, zone: ZoneInfo) -> tuple[datetime, datetime | None]:
    """The first start and last end the event can reach; None for a series without end."""
    if not event.rrule:
        return event.start_at, event.end_at
    duration = event.end_at - event.start_at
    first, last = event.start_at, None
    if is_bounded(event.rrule):
        starts = all_starts(event.rrule, event.start_at, zone)
        last = (starts[-1] + duration) if starts else event.end_at
    for override in event.overrides:
        if override.start_at is not None:
            first = min(first, override.start_at)
            last = max(last, override.end_at) if last is not None else None
    return first, last


def split_rule(rule: str, first: datetime, at: datetime, zone: ZoneInfo) -> tuple[str, str]:
    """Rules for the part before `at` and the part from `at` on ("this and following")."""
    parts = dict(p.split("=", 1) for p in rule.split(";"))
    before_at = len(starts_between(rule, first, zone, first, at - timedelta(seconds=1)))
    head = {k: v for k, v in parts.items() if k not in ("COUNT", "UNTIL")}
    head["UNTIL"] = f"{_local_naive(at - timedelta(seconds=1), zone):%Y%m%dT%H%M%S}"
    tail = dict(parts)
    if "COUNT" in tail:
        tail["COUNT"] = str(max(1, int(tail["COUNT"]) - before_at))
    return (";".join(f"{k}={v}" for k, v in head.items()),
            ";".join(f"{k}={v}" for k, v in tail.items()))
