"""What the secretary's home shows of the office's week: this week's and next week's schedule state."""
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from meetings.calendar.conflicts import overlapping
from meetings.calendar.models import Event, WeekSchedule
from meetings.calendar.weeks import Week, schedule_for, week_of
from meetings.extensions import db
from meetings.timeutil import app_zone


@dataclass
class WeekState:
    week: Week
    schedule: WeekSchedule | None
    drafts: int  # entries still in draft
    overlaps: int  # drafts flagged as overlapping another entry

    @property
    def published(self) -> bool:
        return self.schedule is not None and self.schedule.status == "published"


def week_state(week: Week) -> WeekState:
    start, end = week.bounds(app_zone())
    drafts = select(func.count(Event.id)).where(overlapping(start, end), Event.status == "draft")
    return WeekState(week, schedule_for(week), db.session.scalar(drafts) or 0,
                     db.session.scalar(drafts.where(Event.has_conflict.is_(True))) or 0)


def this_and_next(today: date) -> list[WeekState]:
    this = week_of(today)
    return [week_state(this), week_state(this.shifted(1))]
