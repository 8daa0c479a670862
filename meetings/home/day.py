"""Today's and tomorrow's entries as a person lives them: what is on now, then what comes next."""
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from meetings.calendar import queries
from meetings.calendar.present import EntryView, views
from meetings.timeutil import app_zone


@dataclass
class DayEntry:
    entry: EntryView
    state: str  # "now" (đang diễn ra), "next" (the first one still to come), "later", "over", "cancelled"


@dataclass
class DayList:
    day: date
    entries: list[DayEntry]

    @property
    def coming(self) -> list[DayEntry]:
        return [e for e in self.entries if e.state not in ("over",)]

    @property
    def over(self) -> list[DayEntry]:
        return [e for e in self.entries if e.state == "over"]


def state_of(entry: EntryView, now: datetime) -> str:
    if entry.status == "cancelled":
        return "cancelled"
    if entry.end <= now:
        return "over"
    if entry.start <= now and not entry.all_day:
        return "now"
    return "later"


def _order(entries: list[EntryView], now: datetime) -> list[DayEntry]:
    """On now first, then the coming ones by start (the first of them marked "next"), then the
    cancelled ones, then what is over: the top of the list is always what matters next."""
    rank = {"now": 0, "later": 1, "cancelled": 2, "over": 3}
    found = sorted((DayEntry(e, state_of(e, now)) for e in entries),
                   key=lambda d: (rank[d.state], d.entry.start, d.entry.event_id))
    following = next((d for d in found if d.state == "later"), None)
    if following is not None:
        following.state = "next"
    return found


def two_days(user, now: datetime, mine: bool = True) -> list[DayList]:
    """Today and tomorrow in the office's zone; `mine` keeps the user's own entries (else the office's)."""
    zone = app_zone()
    today = now.astimezone(zone).date()
    start = datetime.combine(today, time(), zone)
    found = queries.occurrences(start, start + timedelta(days=2), **({"person": user} if mine else {}))
    seen = views(found, user)
    days = []
    for offset in (0, 1):
        day = today + timedelta(days=offset)
        begins = datetime.combine(day, time(), zone)
        ends = begins + timedelta(days=1)
        days.append(DayList(day, _order([e for e in seen if e.start < ends and e.end > begins], now)))
    return days


def next_boundary(days: list[DayList], now: datetime) -> datetime | None:
    """The next moment an entry starts or ends: the page redraws then, so "đang diễn ra" moves on time."""
    moments = [m for d in days for e in d.entries for m in (e.entry.start, e.entry.end) if m > now]
    return min(moments) if moments else None
