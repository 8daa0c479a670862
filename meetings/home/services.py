"""Each role's home, gathered from the features' own services: the user and `now` come in, the page's
sections come out. Who sees which section is decided here and only here."""
from dataclasses import dataclass, field
from datetime import datetime

from meetings.home import changes, day, gatherings, office, work
from meetings.tasks.dates import local_today

MANAGERS = ("admin", "secretary")


def home_kind(user) -> str:
    """"leader", "secretary" (the office's secretaries and admins) or "member"."""
    if user.role in MANAGERS:
        return "secretary"
    return "leader" if user.role == "leader" else "member"


@dataclass
class Home:
    kind: str
    now: datetime
    days: list = field(default_factory=list)  # day.DayList for today and tomorrow
    live: list = field(default_factory=list)  # gatherings.MeetingCard in progress
    coming: list = field(default_factory=list)  # gatherings.MeetingCard, the next ones
    ballots: list = field(default_factory=list)  # gatherings.Ballot waiting for the user
    last_seen: datetime | None = None
    changed: list = field(default_factory=list)  # changes.Changed
    tasks: list = field(default_factory=list)  # work.TaskLine
    weeks: list = field(default_factory=list)  # office.WeekState (secretary)
    preparing: list = field(default_factory=list)  # gatherings.Preparation (secretary)
    refresh_at: datetime | None = None  # the next start or end on the page

    @property
    def meeting_ids(self) -> list[int]:
        """Meetings whose changes (start, vote, documents) must redraw the page: their rooms are watched."""
        ids = [c.meeting.id for c in self.live + self.coming] + [b.meeting.id for b in self.ballots]
        ids += [p.meeting.id for p in self.preparing]
        return list(dict.fromkeys(ids))


def home_for(user, now: datetime) -> Home:
    kind = home_kind(user)
    today = local_today(now)
    home = Home(kind, now, days=day.two_days(user, now, mine=kind != "secretary"))
    home.live, home.coming = gatherings.meetings_for(user, now)
    home.ballots = gatherings.waiting_ballots(user)
    if kind == "leader":
        home.last_seen, home.changed = changes.since_last_look(user, now)
        home.tasks = work.leader_tasks(user, today)
    elif kind == "member":
        home.last_seen, home.changed = changes.since_last_look(user, now)
        home.tasks = work.my_tasks(user, today)
    else:
        known = {c.meeting.id for c in home.live}
        home.live += [c for c in gatherings.managed_live(user, now) if c.meeting.id not in known]
        home.weeks = office.this_and_next(today)
        home.preparing = gatherings.being_prepared(user, now)
    starts = [c.event.start_at for c in home.coming] + [c.event.end_at for c in home.live]
    home.refresh_at = min([m for m in [day.next_boundary(home.days, now), *starts] if m and m > now], default=None)
    return home
