"""Tables of the live meeting room: item timing, check-in, presence, speaking queue, votes, notices,
the presenter's page. Every change to them goes through dossiers.services.changed()."""
from datetime import datetime

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from meetings.db import UTCDateTime
from meetings.extensions import db

CHECK_INS = ("not_yet", "in_person", "online", "absent")  # chưa điểm danh, có mặt, trực tuyến, vắng mặt
SPEAKING = ("waiting", "speaking", "done", "withdrawn")
VOTE_STATUSES = ("open", "closed")
YES_NO_ABSTAIN = ["yes", "no", "abstain"]


class ItemTiming(db.Model):
    """When an agenda item started and ended being discussed (the item itself belongs to dossiers)."""

    __tablename__ = "live_item_timings"

    agenda_item_id: Mapped[int] = mapped_column(ForeignKey("agenda_items.id", ondelete="CASCADE"), primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class CheckIn(db.Model):
    """Attendance on the day (điểm danh), by the participant or a secretary."""

    __tablename__ = "live_check_ins"
    __table_args__ = (UniqueConstraint("meeting_id", "user_id", name="uq_live_check_ins_meeting_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(String(300))
    at: Mapped[datetime] = mapped_column(UTCDateTime)


class Presence(db.Model):
    """One open socket in a meeting room; a user is "connected" while any of theirs remains.

    A socket lives in one server process (`instance`), which refreshes `seen_at` of all its rows on a
    heartbeat; the rows of a process that was killed stop being refreshed, are ignored once stale and
    swept (meetings/live/presence.py)."""

    __tablename__ = "live_presence"

    sid: Mapped[str] = mapped_column(String(64), primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    instance: Mapped[str] = mapped_column(String(32), index=True)
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class SpeakingRequest(db.Model):
    """Đăng ký phát biểu: waiting in `position` order, then speaking (with its start), then done."""

    __tablename__ = "live_speaking_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(20), default="waiting")
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Vote(db.Model):
    """Biểu quyết. A secret vote holds `ballot_key` only while open: ballots are filed under an HMAC of
    the voter's id with it, so a voter can change their choice; deleting the key at close leaves
    nothing that ties a choice to a person."""

    __tablename__ = "live_votes"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    question: Mapped[str] = mapped_column(String(500))
    options: Mapped[list] = mapped_column(JSON)
    secret: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(10), default="open")
    ballot_key: Mapped[bytes | None] = mapped_column(LargeBinary(32))
    result: Mapped[dict | None] = mapped_column(JSON)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Voter(db.Model):
    """Who has voted (never what): kept apart from the ballots."""

    __tablename__ = "live_voters"
    __table_args__ = (UniqueConstraint("vote_id", "user_id", name="uq_live_voters_vote_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    vote_id: Mapped[int] = mapped_column(ForeignKey("live_votes.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))


class Ballot(db.Model):
    """A choice, filed under `voter_key`: the user id for an open vote, an HMAC for a secret one."""

    __tablename__ = "live_ballots"
    __table_args__ = (UniqueConstraint("vote_id", "voter_key", name="uq_live_ballots_vote_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    vote_id: Mapped[int] = mapped_column(ForeignKey("live_votes.id", ondelete="CASCADE"), index=True)
    voter_key: Mapped[str] = mapped_column(String(64))
    choice: Mapped[str] = mapped_column(String(200))


class Notice(db.Model):
    """A short message from the secretary to every screen of the meeting."""

    __tablename__ = "live_notices"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(String(500))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(UTCDateTime)


class PresenterPage(db.Model):
    """The page the presenter shows now; followers' readers turn with it."""

    __tablename__ = "live_presenter_pages"

    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True)
    presenter_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    document_id: Mapped[int | None] = mapped_column(ForeignKey("meeting_documents.id", ondelete="SET NULL"))
    page: Mapped[int] = mapped_column(Integer, default=1)
    # The presenter's zoom in the reader (1 = the page's width): followers see what the presenter sees.
    zoom: Mapped[float | None] = mapped_column(Float)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
