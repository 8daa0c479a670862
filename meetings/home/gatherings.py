"""The meetings on a person's home: the one in progress, the next ones with their documents and how
many are unread, and open votes still waiting for the person's ballot."""
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from meetings.calendar.models import Event
from meetings.dossiers.access import (
    can_manage_meeting,
    can_see_document,
    can_see_meeting,
    participation,
)
from meetings.dossiers.models import Meeting, MeetingParticipant
from meetings.dossiers.reading import reading_state
from meetings.extensions import db
from meetings.live.access import can_vote
from meetings.live.models import Vote, Voter

AHEAD = timedelta(days=14)  # how far "the next meetings" look
SHOWN = 5


def in_progress(meeting: Meeting, now: datetime) -> bool:
    """Started by the secretary, or published and inside its planned time (the scheduler may not have
    turned it yet): either way the room is where the participants should be."""
    if meeting.event.status == "cancelled" or meeting.status in ("draft", "ended"):
        return False
    return meeting.status == "in_progress" or meeting.event.start_at <= now < meeting.event.end_at


@dataclass
class MeetingCard:
    meeting: Meeting
    live: bool
    role: str | None
    documents: list = field(default_factory=list)  # [(Document, "new" | "updated" | None)]

    @property
    def unread(self) -> int:
        return sum(1 for _document, state in self.documents if state)

    @property
    def event(self) -> Event:
        return self.meeting.event


def _card(meeting: Meeting, user, now: datetime) -> MeetingCard:
    states = reading_state(meeting, user)
    documents = [(d, states.get(d.id)) for d in meeting.documents if can_see_document(user, d)]
    part = participation(user, meeting)
    return MeetingCard(meeting, in_progress(meeting, now), part.role if part else None, documents)


def _taking_part(user, now: datetime) -> list[Meeting]:
    """The user's meetings from yesterday to AHEAD, by start: a meeting running late still shows."""
    query = (select(Meeting).join(Event, Event.id == Meeting.id)
             .join(MeetingParticipant, MeetingParticipant.meeting_id == Meeting.id)
             .where(MeetingParticipant.user_id == user.id, Event.status != "cancelled",
                    Event.end_at > now - timedelta(days=1), Event.start_at < now + AHEAD)
             .order_by(Event.start_at, Meeting.id)
             .options(selectinload(Meeting.participants), selectinload(Meeting.documents)))
    return [m for m in db.session.scalars(query) if can_see_meeting(user, m)]


def meetings_for(user, now: datetime) -> tuple[list[MeetingCard], list[MeetingCard]]:
    """(in progress now, the next ones): the person's own meetings only."""
    cards = [_card(m, user, now) for m in _taking_part(user, now)]
    live = [c for c in cards if c.live]
    coming = [c for c in cards if not c.live and c.event.start_at > now and c.meeting.status != "ended"]
    return live, coming[:SHOWN]


@dataclass
class Ballot:
    vote: Vote
    meeting: Meeting


def waiting_ballots(user) -> list[Ballot]:
    """Open votes of the user's meetings in which they may vote and have not voted yet."""
    mine = select(MeetingParticipant.meeting_id).where(MeetingParticipant.user_id == user.id)
    voted = select(Voter.vote_id).where(Voter.user_id == user.id)
    votes = db.session.scalars(select(Vote).where(Vote.status == "open", Vote.meeting_id.in_(mine),
                                                  Vote.id.not_in(voted)).order_by(Vote.opened_at, Vote.id))
    found = []
    for vote in votes:
        meeting = db.session.get(Meeting, vote.meeting_id)
        if meeting is not None and can_vote(user, meeting):
            found.append(Ballot(vote, meeting))
    return found


@dataclass
class Preparation:
    """A meeting a secretary is setting up, with what it still lacks."""

    meeting: Meeting
    no_agenda: bool
    no_documents: int  # agenda items without a document (the whole meeting, when there is no agenda)
    unanswered: int  # participants who have neither accepted nor declined
    draft: bool

    @property
    def ready(self) -> bool:
        return not (self.no_agenda or self.no_documents or self.unanswered or self.draft)


def being_prepared(user, now: datetime) -> list[Preparation]:
    """Meetings the user manages that have not started, within AHEAD, the soonest first."""
    query = (select(Meeting).join(Event, Event.id == Meeting.id)
             .where(Meeting.status.in_(("draft", "published")), Event.status != "cancelled",
                    Event.start_at > now, Event.start_at < now + AHEAD)
             .order_by(Event.start_at, Meeting.id)
             .options(selectinload(Meeting.participants), selectinload(Meeting.documents),
                      selectinload(Meeting.agenda)))
    found = []
    for meeting in db.session.scalars(query):
        if not can_manage_meeting(user, meeting):
            continue
        with_documents = {d.agenda_item_id for d in meeting.documents}
        items = [i for i in meeting.agenda if i.parent_id is None]
        lacking = sum(1 for i in items if i.id not in with_documents and not any(
            c.id in with_documents for c in meeting.agenda if c.parent_id == i.id))
        if not items:
            lacking = 0 if meeting.documents else 1
        unanswered = sum(1 for p in meeting.participants if p.attendance == "invited" and p.role != "secretary")
        found.append(Preparation(meeting, not items, lacking, unanswered, meeting.status == "draft"))
    return found[:10]


def managed_live(user, now: datetime) -> list[MeetingCard]:
    """Meetings in progress that the secretary runs from the desk, whether or not they sit in them."""
    query = (select(Meeting).join(Event, Event.id == Meeting.id)
             .where(Meeting.status.in_(("published", "in_progress")), Event.status != "cancelled",
                    Event.start_at <= now, Event.end_at > now - timedelta(hours=12))
             .order_by(Event.start_at, Meeting.id))
    return [_card(m, user, now) for m in db.session.scalars(query)
            if can_manage_meeting(user, m) and in_progress(m, now)]
