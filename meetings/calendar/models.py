"""Calendar tables: entries (sự kiện), their leaders and participants, occurrence overrides,
history, the weekly schedule with its revisions, and each reader's last-seen marker."""
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from meetings.db import TimestampMixin, UTCDateTime
from meetings.directory.models import Room, Unit, User
from meetings.extensions import db

VISIBILITIES = ("public", "internal", "confidential")
STATUSES = ("draft", "published", "cancelled")
KINDS = ("meeting", "conference", "reception", "working", "trip", "other")
SESSIONS = ("morning", "afternoon", "evening")  # sáng / chiều / tối, when the time is not fixed yet
LEADER_ROLES = ("chair", "attend")  # chủ trì / dự


class Event(TimestampMixin, db.Model):
    """One entry, or the first occurrence of a series when `rrule` is set."""

    __tablename__ = "calendar_events"
    # Range queries read [span_start, span_end): the whole reach of a series, overrides included.
    __table_args__ = (Index("ix_calendar_events_span", "span_start", "span_end"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(500))
    start_at: Mapped[datetime] = mapped_column(UTCDateTime)
    end_at: Mapped[datetime] = mapped_column(UTCDateTime)
    all_day: Mapped[bool] = mapped_column(Boolean, default=False)
    session: Mapped[str | None] = mapped_column(String(10))
    kind: Mapped[str] = mapped_column(String(20), default="meeting")
    visibility: Mapped[str] = mapped_column(String(20), default="internal")
    status: Mapped[str] = mapped_column(String(20), default="draft", index=True)
    cancel_reason: Mapped[str | None] = mapped_column(String(500))
    room_id: Mapped[int | None] = mapped_column(ForeignKey("rooms.id", ondelete="SET NULL"), index=True)
    location: Mapped[str | None] = mapped_column(String(300))
    online_url: Mapped[str | None] = mapped_column(String(500))
    preparing_unit: Mapped[str | None] = mapped_column(String(300))  # đơn vị chuẩn bị
    guests: Mapped[str | None] = mapped_column(String(1000))  # khách mời ngoài danh bạ
    description: Mapped[str | None] = mapped_column(Text)
    rrule: Mapped[str | None] = mapped_column(String(300))
    span_start: Mapped[datetime] = mapped_column(UTCDateTime)
    span_end: Mapped[datetime | None] = mapped_column(UTCDateTime)  # None: a series without end
    # The series this one was split from by a "this and following" edit.
    split_from_id: Mapped[int | None] = mapped_column(ForeignKey("calendar_events.id", ondelete="SET NULL"))
    search_folded: Mapped[str] = mapped_column(Text, default="")
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    version: Mapped[int] = mapped_column(Integer, default=1)
    has_conflict: Mapped[bool] = mapped_column(Boolean, default=False)  # flagged on a saved draft
    changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # last change others must notice
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    room: Mapped[Room | None] = relationship()
    leaders: Mapped[list["EventLeader"]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="EventLeader.position")
    participants: Mapped[list["EventParticipant"]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="EventParticipant.id")
    overrides: Mapped[list["EventOverride"]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="EventOverride.original_start")

    @property
    def leader_ids(self) -> list[int]:
        return [link.user_id for link in self.leaders]

    @property
    def participant_ids(self) -> list[int]:
        return [p.user_id for p in self.participants if p.user_id is not None]

    @property
    def participant_unit_ids(self) -> list[int]:
        return [p.unit_id for p in self.participants if p.unit_id is not None]


class EventLeader(db.Model):
    __tablename__ = "calendar_event_leaders"
    __table_args__ = (UniqueConstraint("event_id", "user_id", name="uq_calendar_event_leaders_event_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("calendar_events.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(10), default="attend")
    position: Mapped[int] = mapped_column(Integer, default=0)  # the chair first

    event: Mapped[Event] = relationship(back_populates="leaders")
    user: Mapped[User] = relationship()


class EventParticipant(db.Model):
    """A person or a whole unit taking part (thành phần)."""

    __tablename__ = "calendar_event_participants"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("calendar_events.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"), index=True)

    event: Mapped[Event] = relationship(back_populates="participants")
    user: Mapped[User | None] = relationship()
    unit: Mapped[Unit | None] = relationship()


class EventOverride(db.Model):
    """One occurrence of a series moved or cancelled, keyed by the start it was first planned at."""

    __tablename__ = "calendar_event_overrides"
    __table_args__ = (UniqueConstraint("event_id", "original_start", name="uq_calendar_event_overrides_occurrence"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("calendar_events.id", ondelete="CASCADE"), index=True)
    original_start: Mapped[datetime] = mapped_column(UTCDateTime)
    cancelled: Mapped[bool] = mapped_column(Boolean, default=False)
    start_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    end_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    event: Mapped[Event] = relationship(back_populates="overrides")


class EventChange(db.Model):
    """History: one row per changed field; rows saved together share a batch."""

    __tablename__ = "calendar_event_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("calendar_events.id", ondelete="CASCADE"), index=True)
    batch: Mapped[str] = mapped_column(String(32), index=True)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    field: Mapped[str] = mapped_column(String(40))
    old: Mapped[str | None] = mapped_column(Text)
    new: Mapped[str | None] = mapped_column(Text)

    user: Mapped[User | None] = relationship()


class WeekSchedule(db.Model):
    """Lịch công tác tuần: an ISO week with its publication state and revision number."""

    __tablename__ = "calendar_weeks"
    __table_args__ = (UniqueConstraint("year", "week", name="uq_calendar_weeks_year_week"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    week: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), default="draft")
    revision: Mapped[int] = mapped_column(Integer, default=0)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def key(self) -> str:
        return f"{self.year}-W{self.week:02d}"


class WeekRevision(db.Model):
    """One raise of a week's revision: which entry changed, pointing at its history batch."""

    __tablename__ = "calendar_week_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    week_id: Mapped[int] = mapped_column(ForeignKey("calendar_weeks.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("calendar_events.id", ondelete="CASCADE"))
    batch: Mapped[str | None] = mapped_column(String(32))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    event: Mapped[Event | None] = relationship()


class LastSeen(db.Model):
    """When a reader last looked at a leader's schedule: what changed after it gets a mark."""

    __tablename__ = "calendar_last_seen"
    __table_args__ = (UniqueConstraint("user_id", "leader_id", name="uq_calendar_last_seen_user_leader"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    leader_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime)
