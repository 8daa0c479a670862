"""ISO weeks (tuần): keys like "2026-W49", their bounds in the app's zone, and the WeekSchedule rows."""
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from sqlalchemy import and_, or_, select, update

from meetings.calendar.models import WeekRevision, WeekSchedule
from meetings.errors import NotFound
from meetings.extensions import db
from meetings.realtime import publish
from meetings.timeutil import MAX_YEAR, MIN_YEAR

KEY_RE = re.compile(r"^(\d{4})-W(\d{2})$")


def announce_weeks(keys: list[str]) -> None:
    """Tell open schedule pages which weeks changed; only week keys travel, never an entry."""
    if keys:
        publish("schedule_changed", {"weeks": sorted(set(keys))})


@dataclass(frozen=True)
class Week:
    year: int
    number: int

    @property
    def key(self) -> str:
        return f"{self.year}-W{self.number:02d}"

    @property
    def monday(self) -> date:
        return date.fromisocalendar(self.year, self.number, 1)

    @property
    def days(self) -> list[date]:
        return [self.monday + timedelta(days=i) for i in range(7)]

    def bounds(self, zone: ZoneInfo) -> tuple[datetime, datetime]:
        """Monday 00:00 to the next Monday 00:00, local time, as aware datetimes."""
        start = datetime.combine(self.monday, time(), zone)
        return start, datetime.combine(self.monday + timedelta(days=7), time(), zone)

    def shifted(self, weeks: int) -> "Week":
        return week_of(self.monday + timedelta(weeks=weeks))


def week_of(day: date) -> Week:
    iso = day.isocalendar()
    return Week(iso.year, iso.week)


def parse_week(key: str) -> Week:
    match = KEY_RE.match(key or "")
    if not match:
        raise NotFound(_("No such week."))
    try:
        date.fromisocalendar(int(match[1]), int(match[2]), 1)
    except ValueError:
        raise NotFound(_("No such week."))
    if not MIN_YEAR <= int(match[1]) <= MAX_YEAR:  # week 1 of year 1 starts before datetime.min in UTC
        raise NotFound(_("No such week."))
    return Week(int(match[1]), int(match[2]))


def schedule_for(week: Week) -> WeekSchedule | None:
    return db.session.scalar(select(WeekSchedule).where(WeekSchedule.year == week.year,
                                                        WeekSchedule.week == week.number))


def schedules_for(weeks: list[Week]) -> dict[str, WeekSchedule]:
    if not weeks:
        return {}
    rows = db.session.scalars(select(WeekSchedule).where(
        or_(*[and_(WeekSchedule.year == w.year, WeekSchedule.week == w.number) for w in weeks])))
    return {row.key: row for row in rows}


def get_or_create_schedule(week: Week) -> WeekSchedule:
    schedule = schedule_for(week)
    if schedule is None:
        schedule = WeekSchedule(year=week.year, week=week.number, status="draft", revision=0)
        db.session.add(schedule)
        db.session.flush()
    return schedule


def weeks_between(first: datetime, last: datetime | None, zone: ZoneInfo, limit: int = 106) -> list[Week]:
    """Weeks touched by [first, last]; a series without end reaches `limit` weeks ahead at most."""
    week = week_of(first.astimezone(zone).date())
    end = week_of(last.astimezone(zone).date()) if last else week.shifted(limit)
    found = []
    while (week.year, week.number) <= (end.year, end.number) and len(found) < limit:
        found.append(week)
        week = week.shifted(1)
    return found


def raise_revisions(weeks: list[Week], event_id: int, batch: str, user_id: int | None, now: datetime) -> None:
    """A visible change to published weeks: each gets the next revision number, atomically.

    Open week and leader pages showing one of these weeks reload (after the commit, via realtime)."""
    announce_weeks([week.key for week in weeks])
    for schedule in schedules_for(weeks).values():
        if schedule.status != "published":
            continue
        number = db.session.execute(
            update(WeekSchedule).where(WeekSchedule.id == schedule.id)
            .values(revision=WeekSchedule.revision + 1, updated_at=now)
            .returning(WeekSchedule.revision)).scalar_one()
        db.session.add(WeekRevision(week_id=schedule.id, number=number, event_id=event_id, batch=batch,
                                    changed_at=now, user_id=user_id))
