"""Scheduled sweepers for the calendar: reminders before entries, the daily digest, the Thursday
check on next week's draft, and word of cancellations.

Each run recomputes what is due from the entries as they are now, so a moved entry's reminders
move with it and a cancelled entry or a removed person gets none. Every notification carries a
dedupe key naming what it is about, recorded in the same transaction: a second run, a restarted
scheduler or a second scheduler finds it and sends nothing again.
"""
from datetime import date, datetime, time, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from meetings.calendar.access import can_see_entry
from meetings.calendar.models import Event
from meetings.calendar.queries import occurrences
from meetings.calendar.weeks import schedule_for, week_of
from meetings.directory.models import User
from meetings.extensions import db
from meetings.notify.scheduler import job
from meetings.notify.services import notify, reminder_times
from meetings.timeutil import app_zone, format_day, format_time
from meetings.web import link_to

# A reminder found later than this after its time (the scheduler was down) is no longer useful.
GRACE = timedelta(hours=3)
LOOKAHEAD = timedelta(days=2)


def _clock(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def settings_for(user: User) -> tuple[str | None, int | None, str | None]:
    times = reminder_times(user)
    return times["day_before_at"], times["minutes_before"], times["digest_at"]


def people_of(event: Event) -> list[User]:
    """Leaders and the people named as participants (whole units learn through their feeds)."""
    people = {link.user.id: link.user for link in event.leaders}
    people.update({p.user.id: p.user for p in event.participants if p.user is not None})
    return [person for person in people.values() if person.active]


def _entry_url(event: Event) -> str:
    return link_to("calendar.event", event_id=event.id)


def entry_ics(event: Event, now: datetime) -> str:
    """The entry as an .ics part (same UID and SEQUENCE as the feeds), so one tap adds it."""
    from meetings.feeds import feed, itip

    return itip.message(event, "PUBLISH", now, feed.context())


def due_reminders(user: User, start: datetime, all_day: bool) -> list[tuple[str, datetime]]:
    """(name, due time) of each reminder this person wants before an occurrence starting at `start`."""
    day_before, minutes_before, _digest = settings_for(user)
    zone = app_zone()
    due = []
    if day_before:
        day = start.astimezone(zone).date() - timedelta(days=1)
        due.append(("day-before", datetime.combine(day, _clock(day_before), zone)))
    if minutes_before and not all_day:
        due.append((f"{minutes_before}m", start - timedelta(minutes=minutes_before)))
    return due


@job("calendar_reminders", minutes=1)
def send_reminders(now: datetime) -> int:
    sent = 0
    zone = app_zone()
    for occurrence in occurrences(now, now + LOOKAHEAD, statuses=["published"]):
        event = occurrence.event
        if occurrence.cancelled or occurrence.start <= now:
            continue
        for person in people_of(event):
            if not can_see_entry(person, event):
                continue
            for name, due_at in due_reminders(person, occurrence.start, event.all_day):
                if not (due_at <= now < due_at + GRACE):
                    continue
                when = (format_day(occurrence.start.astimezone(zone).date()) if event.all_day else
                        f"{format_time(occurrence.start, zone)} {format_day(occurrence.start.astimezone(zone).date())}")
                place = event.room.name if event.room else (event.location or "")
                title = _("Reminder: %(title)s, %(when)s", title=event.title, when=when)
                text = "\n".join(filter(None, [title, place, event.online_url,
                                                link_to("calendar.event", external=True, event_id=event.id)]))
                key = f"reminder:{event.id}:{occurrence.start.isoformat()}:{name}"
                if notify(person, "reminder", title, now, url=_entry_url(event), dedupe_key=key, email_text=text,
                          calendar_ics=entry_ics(event, now), calendar_method="PUBLISH"):
                    sent += 1
    db.session.commit()
    return sent


def tomorrow_entries(user: User | None, day: date):
    zone = app_zone()
    start = datetime.combine(day, time(), zone)
    found = occurrences(start, start + timedelta(days=1), statuses=["published"],
                        **({"leader_id": user.id} if user is not None else {}))
    return [o for o in found if not o.cancelled]


def _digest_text(entries, zone) -> str:
    lines = []
    for occurrence in entries:
        event = occurrence.event
        clock = "" if event.all_day else format_time(occurrence.start, zone) + " "
        leaders = ", ".join(link.user.name for link in event.leaders)
        lines.append(f"- {clock}{event.title}" + (f" ({leaders})" if leaders else ""))
    return "\n".join(lines)


@job("calendar_digest", minutes=10)
def send_digests(now: datetime) -> int:
    """Tomorrow's schedule: each leader gets theirs, secretaries get every leader's; only if any."""
    zone = app_zone()
    local = now.astimezone(zone)
    tomorrow = local.date() + timedelta(days=1)
    sent = 0
    people = db.session.scalars(select(User).where(User.active.is_(True), User.role.in_(("leader", "secretary"))))
    for person in people:
        digest_at = settings_for(person)[2]
        if not digest_at or local.time() < _clock(digest_at):
            continue
        entries = [o for o in tomorrow_entries(person if person.role == "leader" else None, tomorrow)
                   if can_see_entry(person, o.event)]
        if not entries:
            continue  # only when there is something to say
        title = _("Tomorrow's schedule, %(day)s: %(n)d entries", day=format_day(tomorrow), n=len(entries))
        if notify(person, "digest", title, now, url=link_to("calendar.week"), dedupe_key=f"digest:{tomorrow}",
                  email_text=title + "\n\n" + _digest_text(entries, zone)):
            sent += 1
    db.session.commit()
    return sent


@job("calendar_draft_week", minutes=30)
def remind_draft_week(now: datetime) -> int:
    """On Thursday, tell the secretaries when next week's schedule is still unpublished."""
    local = now.astimezone(app_zone())
    if local.weekday() != 3 or local.time() < time(9, 0):
        return 0
    week = week_of(local.date() + timedelta(days=7))
    schedule = schedule_for(week)
    if schedule is not None and schedule.status == "published":
        return 0
    title = _("Next week's schedule (%(week)s) is still a draft", week=week.key)
    sent = 0
    for secretary in db.session.scalars(select(User).where(User.active.is_(True), User.role == "secretary")):
        if notify(secretary, "schedule_change", title, now, url=link_to("calendar.week", key=week.key),
                  dedupe_key=f"draft-week:{week.key}"):
            sent += 1
    db.session.commit()
    return sent


@job("calendar_cancellations", minutes=1)
def announce_cancellations(now: datetime) -> int:
    """Word of a cancelled entry, in place of the reminders it will no longer get.

    In-app only: the e-mail for a cancellation is the iTIP CANCEL that calendar clients understand.
    """
    zone = app_zone()
    sent = 0
    recent = db.session.scalars(select(Event).where(Event.status == "cancelled", Event.published_at.is_not(None),
                                                    Event.changed_at >= now - timedelta(days=2)))
    for event in recent:
        if event.span_end is not None and event.span_end < now:
            continue  # already over: nobody needs telling
        when = f"{format_time(event.start_at, zone)} {format_day(event.start_at.astimezone(zone).date())}"
        title = _("Cancelled: %(title)s, %(when)s", title=event.title, when=when)
        for person in people_of(event):
            if can_see_entry(person, event) and notify(
                    person, "schedule_change", title, now, url=_entry_url(event),
                    dedupe_key=f"cancelled:{event.id}:{event.sequence}", channels=("app",)):
                sent += 1
    db.session.commit()
    return sent
