"""Written opinions (đợt lấy ý kiến): the request, its questions, who is asked, every version of every
answer, the deadline's extensions and each reminder sent (one row each, so none is sent twice)."""
from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from meetings.db import UTCDateTime
from meetings.directory.models import Unit, User
from meetings.extensions import db

# "recurring": a periodic report (chế độ báo cáo định kỳ) once started; it is never answered itself,
# the scheduler opens one round (a "sent" request of its own) per period of its rule.
STATUSES = ("draft", "sent", "closed", "recurring")
QUESTION_KINDS = ("choice", "text")


class Consultation(db.Model):
    __tablename__ = "consultations"
    # One round per period of a periodic report: the scheduler's inserts race on this key, so a round
    # is opened exactly once through restarts and second schedulers.
    __table_args__ = (UniqueConstraint("series_id", "period", name="uq_consultations_series_period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(500))
    status: Mapped[str] = mapped_column(String(10), default="draft", index=True)
    deadline: Mapped[datetime] = mapped_column(UTCDateTime)  # stored in UTC, set and shown in the office's zone
    # The meeting or task this request is about (optional, for the record and the summary's wording).
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id", ondelete="SET NULL"))
    task_id: Mapped[int | None] = mapped_column(ForeignKey("tasks.id", ondelete="SET NULL"))
    # The draft documents are documents of a hidden meeting that only carries them, so the upload
    # checks, stamps, the reader and annotations are the meetings' own (see carrier.py).
    carrier_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="RESTRICT"), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)
    # Frozen at closing: the summary as it was then, served as it is afterwards.
    summary_pdf: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    summary_csv: Mapped[str | None] = mapped_column(Text, deferred=True)
    summary_signed: Mapped[bool] = mapped_column(Boolean, default=False)
    # A periodic report: an RRULE (office zone) whose occurrences are the rounds' deadlines, the first
    # being `deadline`; each round opens `lead_days` before its deadline.
    recurrence: Mapped[str | None] = mapped_column(String(500))
    lead_days: Mapped[int | None] = mapped_column(Integer)
    # A round: the periodic report it belongs to and the period's planned deadline (its name).
    series_id: Mapped[int | None] = mapped_column(ForeignKey("consultations.id", ondelete="CASCADE"), index=True)
    period: Mapped[datetime | None] = mapped_column(UTCDateTime)

    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    questions: Mapped[list["Question"]] = relationship(
        back_populates="consultation", cascade="all, delete-orphan", order_by="Question.position")
    recipients: Mapped[list["Recipient"]] = relationship(
        back_populates="consultation", cascade="all, delete-orphan", order_by="Recipient.id")
    extensions: Mapped[list["Extension"]] = relationship(cascade="all, delete-orphan", order_by="Extension.id")


class Question(db.Model):
    __tablename__ = "consultation_questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)  # 1-based: "question": N in the API
    kind: Mapped[str] = mapped_column(String(10))
    text: Mapped[str] = mapped_column(Text)
    options: Mapped[list] = mapped_column(JSON, default=list)

    consultation: Mapped[Consultation] = relationship(back_populates="questions")


class Recipient(db.Model):
    """One who is asked: a person, or a unit (its head answers, or a member the head names)."""

    __tablename__ = "consultation_recipients"
    __table_args__ = (UniqueConstraint("consultation_id", "user_id", "unit_id",
                                       name="uq_consultation_recipients_consultation_user_unit"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"), index=True)
    # A unit's head may name a member who answers (submits) for the unit; who named them and when is
    # kept for the record. Taken back by setting it to None (see delegation.py).
    delegate_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    delegated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    delegated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    consultation: Mapped[Consultation] = relationship(back_populates="recipients")
    user: Mapped[User | None] = relationship(foreign_keys=[user_id])
    delegate: Mapped[User | None] = relationship(foreign_keys=[delegate_id])
    unit: Mapped[Unit | None] = relationship()
    versions: Mapped[list["AnswerVersion"]] = relationship(
        back_populates="recipient", cascade="all, delete-orphan", order_by="AnswerVersion.number")

    @property
    def submitted(self) -> "AnswerVersion | None":
        return next((v for v in reversed(self.versions) if v.submitted_at is not None), None)

    @property
    def draft(self) -> "AnswerVersion | None":
        last = self.versions[-1] if self.versions else None
        return last if last is not None and last.submitted_at is None else None


class AnswerVersion(db.Model):
    """One version of an answer. A draft is edited in place until submitted; a change after that is a
    new version, so every submitted answer stays as it was sent."""

    __tablename__ = "consultation_answers"
    __table_args__ = (UniqueConstraint("recipient_id", "number", name="uq_consultation_answers_recipient_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("consultation_recipients.id", ondelete="CASCADE"),
                                              index=True)
    number: Mapped[int] = mapped_column(Integer)
    # [{"question": N, "choice": str | None, "text": str | None}]
    answers: Mapped[list] = mapped_column(JSON, default=list)
    no_opinion: Mapped[bool] = mapped_column(Boolean, default=False)  # "Không có ý kiến", an answer in itself
    prepared_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A file with the answer (văn bản góp ý), checked and sanitised as the meetings' uploads, kept as PDF.
    attachment_name: Mapped[str | None] = mapped_column(String(300))
    attachment: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)

    recipient: Mapped[Recipient] = relationship(back_populates="versions")
    prepared_by: Mapped[User | None] = relationship(foreign_keys=[prepared_by_id])
    submitted_by: Mapped[User | None] = relationship(foreign_keys=[submitted_by_id])


class Extension(db.Model):
    """A deadline moved by the secretary: the record says from when, to when, by whom."""

    __tablename__ = "consultation_extensions"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id", ondelete="CASCADE"), index=True)
    old_deadline: Mapped[datetime] = mapped_column(UTCDateTime)
    new_deadline: Mapped[datetime] = mapped_column(UTCDateTime)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(UTCDateTime)

    by: Mapped[User | None] = relationship()


class Reminder(db.Model):
    """A reminder sent to one recipient. The unique key (recipient, occasion, deadline) is what makes
    the scheduler's reminders exactly-once: a second run, a restart or a second scheduler finds the
    row (or fails to insert it) and sends nothing. A new deadline earns its own reminders."""

    __tablename__ = "consultation_reminders"
    __table_args__ = (UniqueConstraint("recipient_id", "occasion", "deadline",
                                       name="uq_consultation_reminders_recipient_occasion_deadline"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("consultation_recipients.id", ondelete="CASCADE"),
                                              index=True)
    occasion: Mapped[str] = mapped_column(String(40))  # day_before, day_of, manual:<ISO time>
    deadline: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
