"""Votes (biểu quyết): open, cast or change a ballot until close, close with the result.

Secret ballots (phiếu kín) keep no link between voter and choice: who voted lives in `live_voters`,
choices in `live_ballots` under an HMAC of the voter's id with the vote's own key. The key lets a
voter change their choice while the vote is open; at close it is deleted and the ballots are
rewritten in choice order under random keys, so neither a key nor row order leads back to a person.
No secret choice is ever pushed: a ballot's change says only how many have voted.
"""
import hashlib
import hmac
import secrets
from collections import Counter
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import delete, func, select

from meetings.dossiers.services import changed
from meetings.errors import Conflict, NotFound, ValidationFailed
from meetings.extensions import db
from meetings.live import access
from meetings.live.models import YES_NO_ABSTAIN, Ballot, Vote, Voter
from meetings.live.services import locked, runners_room
from meetings.realtime import publish
from meetings.validation import Fields


def _voter_key(vote: Vote, user_id: int) -> str:
    if not vote.secret:
        return str(user_id)
    return hmac.new(vote.ballot_key, str(user_id).encode(), hashlib.sha256).hexdigest()


def counts(vote: Vote) -> dict[str, int]:
    found = Counter(db.session.scalars(select(Ballot.choice).where(Ballot.vote_id == vote.id)))
    return {option: found.get(option, 0) for option in vote.options}


def voters(vote: Vote) -> int:
    return db.session.scalar(select(func.count(Voter.id)).where(Voter.vote_id == vote.id)) or 0


def my_choice(vote: Vote, user_id: int) -> str | None:
    """Only while open (afterwards a secret ballot has no owner any more)."""
    if vote.status != "open":
        return None
    return db.session.scalar(select(Ballot.choice).where(Ballot.vote_id == vote.id,
                                                         Ballot.voter_key == _voter_key(vote, user_id)))


def vote_json(vote: Vote) -> dict:
    return {"id": vote.id, "question": vote.question, "options": vote.options, "secret": vote.secret,
            "status": vote.status, "opened_at": vote.opened_at.isoformat(),
            "closed_at": vote.closed_at.isoformat() if vote.closed_at else None, "voters": voters(vote),
            "result": vote.result}


def _open_vote(vote_id: int, actor, rule, message: str) -> tuple:
    vote = db.session.get(Vote, vote_id)
    if vote is None:
        raise NotFound(_("No such vote."))
    meeting = locked(vote.meeting_id, actor, rule, message)
    db.session.refresh(vote)
    if vote.status != "open":
        raise Conflict(_("This vote is closed."))
    return meeting, vote


def open_vote(meeting_id: int, data: dict, actor, now: datetime) -> Vote:
    meeting = locked(meeting_id, actor, access.can_run_meeting, _("Only the chair opens a vote."))
    fields = Fields(data)
    question = fields.string("question", required=True, max_length=500)
    secret = fields.boolean("secret", default=False)
    options = data.get("options") or YES_NO_ABSTAIN
    # Text is checked before the set is made: an object in the list would make set() raise.
    if (not isinstance(options, list) or not 2 <= len(options) <= 20
            or not all(isinstance(o, str) and 0 < len(o.strip()) <= 200 and "\x00" not in o for o in options)
            or len(set(options)) != len(options)):
        fields.fail("options", _("Give two to twenty different options of at most 200 characters."))
    fields.raise_if_errors()
    vote = Vote(meeting_id=meeting.id, question=question, options=[o.strip() for o in options], secret=secret,
                status="open", ballot_key=secrets.token_bytes(32) if secret else None, opened_at=now)
    db.session.add(vote)
    db.session.flush()
    changed(meeting, "vote_opened", {"vote": vote_json(vote)}, now)
    db.session.commit()
    return vote


def cast(vote_id: int, data: dict, actor, now: datetime) -> dict:
    """Once per participant; a second ballot replaces the first until the vote closes."""
    meeting, vote = _open_vote(vote_id, actor, access.can_vote, _("Only the meeting's members vote."))
    choice = data.get("choice")
    if choice not in vote.options:
        raise ValidationFailed({"choice": _("Must be one of: %(choices)s.", choices=", ".join(vote.options))})
    key = _voter_key(vote, actor.id)
    ballot = db.session.scalar(select(Ballot).where(Ballot.vote_id == vote.id, Ballot.voter_key == key))
    if ballot is None:
        db.session.add(Ballot(vote_id=vote.id, voter_key=key, choice=choice))
        db.session.add(Voter(vote_id=vote.id, user_id=actor.id))
    else:
        ballot.choice = choice
    db.session.flush()
    data = {"vote_id": vote.id, "voters": voters(vote)}
    if not vote.secret:
        data["user_id"] = actor.id  # an open vote's roll call; never sent for a secret one
    changed(meeting, "ballot", data, now)
    publish("vote_tally", {"meeting_id": meeting.id, "vote_id": vote.id, "version": meeting.version,
                           "counts": counts(vote), "voters": data["voters"]}, room=runners_room(meeting.id))
    db.session.commit()
    return {"vote_id": vote.id, "choice": choice}


def close(vote_id: int, actor, now: datetime) -> Vote:
    meeting, vote = _open_vote(vote_id, actor, access.can_run_meeting, _("Only the chair closes a vote."))
    result = counts(vote)
    vote.status, vote.closed_at, vote.result = "closed", now, {"counts": result, "voters": voters(vote)}
    if vote.secret:
        vote.ballot_key = None
        choices = sorted(db.session.scalars(select(Ballot.choice).where(Ballot.vote_id == vote.id)))
        db.session.execute(delete(Ballot).where(Ballot.vote_id == vote.id))
        db.session.add_all(Ballot(vote_id=vote.id, voter_key=secrets.token_hex(16), choice=c) for c in choices)
    changed(meeting, "vote_closed", {"vote": vote_json(vote)}, now)
    db.session.commit()
    return vote


def meeting_votes(meeting_id: int) -> list[Vote]:
    return list(db.session.scalars(select(Vote).where(Vote.meeting_id == meeting_id).order_by(Vote.id)))

