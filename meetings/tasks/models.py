"""Tables for conclusions (kết luận), the tasks (nhiệm vụ) they give, with every change kept, and the
meeting's minutes (biên bản)."""
from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from meetings.calendar.models import Event
from meetings.db import UTCDateTime
from meetings.directory.models import Unit, User
from meetings.extensions import db

STATUSES = ("assigned", "in_progress", "extension_requested", "done", "cancelled")
OPEN_STATUSES = ("assigned", "in_progress", "extension_requested")
PRIORITIES = ("normal", "high", "urgent")
SOURCES = ("meeting", "conclusion", "direct")  # direct: a leader's assignment outside a meeting


class Conclusion(db.Model):
    """What a meeting concluded, per agenda item when there is one."""

    __tablename__ = "task_conclusions"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("calendar_events.id", ondelete="CASCADE"), index=True)
    # An item deleted from the agenda leaves its conclusion standing, for the whole meeting.
    agenda_item_id: Mapped[int | None] = mapped_column(ForeignKey("agenda_items.id", ondelete="SET NULL"),
                                                       index=True)
    text: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    meeting: Mapped[Event] = relationship()
    author: Mapped[User | None] = relationship()
    tasks: Mapped[list["Task"]] = relationship(back_populates="conclusion", order_by="Task.id")


class Task(db.Model):
    __tablename__ = "tasks"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(1000))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="RESTRICT"), index=True)  # chủ trì
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    due_date: Mapped[date] = mapped_column(Date, index=True)  # a local date in the app's zone
    priority: Mapped[str] = mapped_column(String(10), default="normal")
    source: Mapped[str] = mapped_column(String(20))
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("calendar_events.id", ondelete="SET NULL"),
                                                   index=True)
    conclusion_id: Mapped[int | None] = mapped_column(ForeignKey("task_conclusions.id", ondelete="SET NULL"),
                                                      index=True)
    # The leader who gave the task: the meeting's chair, or the leader of a direct assignment.
    leader_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    status: Mapped[str] = mapped_column(String(30), default="assigned", index=True)
    requested_due: Mapped[date | None] = mapped_column(Date)  # while an extension is asked for
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    report_text: Mapped[str | None] = mapped_column(Text)
    report_file_name: Mapped[str | None] = mapped_column(String(255))  # as uploaded, for the download
    report_file_key: Mapped[str | None] = mapped_column(String(255))  # where it lies under MEETINGS_STORAGE
    report_file_size: Mapped[int | None] = mapped_column(Integer)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)

    # The UPDATE carries "WHERE version = read version": two writers cannot both win.
    __mapper_args__ = {"version_id_col": version}

    unit: Mapped[Unit] = relationship(foreign_keys=[unit_id])
    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_id])
    leader: Mapped[User | None] = relationship(foreign_keys=[leader_id])
    meeting: Mapped[Event | None] = relationship()
    conclusion: Mapped[Conclusion | None] = relationship(back_populates="tasks")
    cooperating: Mapped[list["TaskCooperatingUnit"]] = relationship(cascade="all, delete-orphan",
                                                                    order_by="TaskCooperatingUnit.id")
    changes: Mapped[list["TaskChange"]] = relationship(cascade="all, delete-orphan", order_by="TaskChange.id",
                                                       back_populates="task")

    @property
    def cooperating_unit_ids(self) -> list[int]:
        return [link.unit_id for link in self.cooperating]

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class TaskCooperatingUnit(db.Model):
    """A unit that works with the responsible one (đơn vị phối hợp)."""

    __tablename__ = "task_cooperating_units"
    __table_args__ = (UniqueConstraint("task_id", "unit_id", name="uq_task_cooperating_units_task_unit"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"), index=True)

    unit: Mapped[Unit] = relationship()


class TaskChange(db.Model):
    """One recorded change: who, when, what (a field, a status, a progress note), old and new."""

    __tablename__ = "task_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(30))  # created, status, progress, extension, edit
    field: Mapped[str | None] = mapped_column(String(40))
    old: Mapped[str | None] = mapped_column(Text)
    new: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)

    task: Mapped[Task] = relationship(back_populates="changes")
    user: Mapped[User | None] = relationship()


MINUTES_STATUSES = ("draft", "approved", "superseded")


class Minutes(db.Model):
    """One version of a meeting's minutes (biên bản). The secretary edits a draft, the chair approves
    it and it is frozen; reopening supersedes it with a new draft, so an approved text stays readable."""

    __tablename__ = "minutes"
    __table_args__ = (UniqueConstraint("meeting_id", "version_no", name="uq_minutes_meeting_version_no"),
                      # NULLs never collide, so this allows one current version and any number of old ones.
                      UniqueConstraint("meeting_id", "current", name="uq_minutes_meeting_current"))

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    version_no: Mapped[int] = mapped_column(Integer)  # lần 1, 2, ... per meeting
    status: Mapped[str] = mapped_column(String(20), default="draft")
    # True while draft or approved, NULL once superseded (see the unique constraint above).
    current: Mapped[bool | None] = mapped_column(Boolean, default=True)
    body: Mapped[str] = mapped_column(Text, default="")
    generated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    generated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    edited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # On a version made by reopening an approved one: who, when and why.
    reopened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reopened_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reopen_reason: Mapped[str | None] = mapped_column(String(1000))
    superseded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)

    # The UPDATE carries "WHERE version = read version": a stale edit cannot overwrite a newer one.
    __mapper_args__ = {"version_id_col": version}

    generated_by: Mapped[User | None] = relationship(foreign_keys=[generated_by_id])
    edited_by: Mapped[User | None] = relationship(foreign_keys=[edited_by_id])
    approved_by: Mapped[User | None] = relationship(foreign_keys=[approved_by_id])
    reopened_by: Mapped[User | None] = relationship(foreign_keys=[reopened_by_id])

    @property
    def frozen(self) -> bool:
        return self.status != "draft"


NOTICE_STATUSES = ("draft", "issued")


class ConclusionNotice(db.Model):
    """The conclusion notice (thông báo kết luận) of a meeting: a draft the secretary prepares, then
    issued with its number and frozen as the PDF that was issued (signed when a certificate is set)."""

    __tablename__ = "conclusion_notices"
    __table_args__ = (UniqueConstraint("issuing_unit_id", "year", "number", name="uq_conclusion_notices_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("calendar_events.id", ondelete="CASCADE"), unique=True)
    status: Mapped[str] = mapped_column(String(10), default="draft")
    # The office that issues it: its short name ends the number (12/TB-VP), its place heads the date.
    issuing_unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="RESTRICT"), index=True)
    year: Mapped[int | None] = mapped_column(Integer)  # numbers start again at 1 each year
    number: Mapped[int | None] = mapped_column(Integer)
    issued_on: Mapped[date | None] = mapped_column(Date)  # the local date printed on it
    issued_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    subtitle: Mapped[str] = mapped_column(Text)  # "Kết luận của ... tại cuộc họp ..."
    intro: Mapped[str] = mapped_column(Text, default="")
    signer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    signer_capacity: Mapped[str] = mapped_column(String(300), default="")  # e.g. "KT. BỘ TRƯỞNG\nTHỨ TRƯỞNG"
    other_recipients: Mapped[str] = mapped_column(Text, default="")  # one per line, besides the units
    pdf: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)  # as issued; never changes after
    pdf_sha256: Mapped[str | None] = mapped_column(String(64))
    signed: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}

    meeting: Mapped[Event] = relationship()
    issuing_unit: Mapped[Unit] = relationship()
    signer: Mapped[User | None] = relationship(foreign_keys=[signer_id])
    issued_by: Mapped[User | None] = relationship(foreign_keys=[issued_by_id])
    recipient_units: Mapped[list["NoticeRecipientUnit"]] = relationship(cascade="all, delete-orphan",
                                                                       order_by="NoticeRecipientUnit.id")

    @property
    def recipient_unit_ids(self) -> list[int]:
        return [link.unit_id for link in self.recipient_units]


class NoticeRecipientUnit(db.Model):
    """A unit the notice is sent to (nơi nhận): its members may read the issued notice."""

    __tablename__ = "conclusion_notice_units"
    __table_args__ = (UniqueConstraint("notice_id", "unit_id", name="uq_conclusion_notice_units_notice_unit"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("conclusion_notices.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"), index=True)

    unit: Mapped[Unit] = relationship()


class NoticeCounter(db.Model):
    """The last number issued by one office in one year. Locked and raised inside the issuing
    transaction, so a failed issue gives its number back and two issuers wait for each other."""

    __tablename__ = "conclusion_notice_counters"

    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_number: Mapped[int] = mapped_column(Integer, default=0)


class SigningCertificate(db.Model):
    """The certificate notices are signed with (PAdES). The key is kept as PKCS#12 encrypted under a
    key derived from SECRET_KEY, never under the admin's passphrase, which is not stored at all."""

    __tablename__ = "signing_certificates"

    id: Mapped[int] = mapped_column(primary_key=True)
    pkcs12: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    subject: Mapped[str] = mapped_column(String(500))
    issuer: Mapped[str] = mapped_column(String(500))
    serial: Mapped[str] = mapped_column(String(100))
    fingerprint: Mapped[str] = mapped_column(String(64))  # SHA-256 of the certificate
    not_before: Mapped[datetime] = mapped_column(UTCDateTime)
    not_after: Mapped[datetime] = mapped_column(UTCDateTime)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime)

    uploaded_by: Mapped[User | None] = relationship()
