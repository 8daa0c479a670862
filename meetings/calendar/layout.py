"""Arranging visible entries for the pages and the print: days down the side, then sáng/chiều/tối."""
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from flask_babel import lazy_gettext as _l

from meetings.calendar.present import EntryView
from meetings.timeutil import app_zone

SESSION_LABELS = {"all_day": _l("All day"), "morning": _l("Morning"), "afternoon": _l("Afternoon"),
                  "evening": _l("Evening")}


@dataclass
class Day:
    day: date
    is_today: bool
    sessions: list = field(default_factory=list)  # [(key, label, [EntryView])], empty sessions left out

    @property
    def entries(self) -> list[EntryView]:
        return [entry for _key, _label, entries in self.sessions for entry in entries]


def session_of(entry: EntryView, day: date) -> str:
    zone = app_zone()
    start = entry.start.astimezone(zone)
    if entry.all_day or start.date() < day:  # a multi-day entry fills the later days whole
        return "all_day"
    if entry.session:
        return entry.session
    return "morning" if start.hour < 12 else "afternoon" if start.hour < 18 else "evening"


def arrange(entries: list[EntryView], days: list[date], today: date) -> list[Day]:
    zone = app_zone()
    result = []
    for day in days:
        start = datetime.combine(day, time(), zone)
        end = start + timedelta(days=1)
        groups = {key: [] for key in SESSION_LABELS}
        for entry in entries:
            if entry.start < end and entry.end > start:
                groups[session_of(entry, day)].append(entry)
        result.append(Day(day, day == today, [(key, SESSION_LABELS[key], groups[key])
                                              for key in SESSION_LABELS if groups[key]]))
    return result


def next_entry(entries: list[EntryView], now: datetime) -> EntryView | None:
    """What the leader goes to next: the first entry not yet over and not cancelled."""
    upcoming = [e for e in entries if e.end > now and e.status != "cancelled"]
    return min(upcoming, key=lambda e: e.start) if upcoming else None
