"""Meeting tables: the meeting (1:1 with its calendar entry), participants, agenda, documents and their
versions, page texts for search, the view/download log, personal stamps, the change log and reusable templates."""
from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from meetings.calendar.models import Event
from meetings.db import UTCDateTime, utcnow
from meetings.directory.models import Unit, User
from meetings.extensions import db

MEETING_STATUSES = ("draft", "published", "in_progress", "ended")
ROLES = ("chair", "secretary", "member", "guest")  # chủ trì, thư ký, thành viên, khách mời
ATTENDANCE = ("invited", "accepted", "declined", "present", "absent")
RSVP = ("accepted", "declined", "delegated")  # xác nhận tham dự: dự, không dự (lý do), cử người dự thay
ITEM_STATUSES = ("pending", "current", "done", "skipped")
AUDIENCES = ("all", "chosen")
# How a document may leave the server (cấp độ truy cập): `download` the reader's stamped copy to read
# and keep; `app` the same copy, drawn in the browser with no download or print control; `screen`
# (tài liệu mật) never leaves as a file: stamped page images and their text only.
ACCESS_LEVELS = ("download", "app", "screen")
# Of the newest upload to a document: checked, sanitised and indexed by a background job. A new
# document is readable once it is "ready"; a new version replaces the current one only then.
DOCUMENT_STATES = ("processing", "ready", "refused")


class Meeting(db.Model):
    """The meeting side of a calendar entry: its id IS the entry's id, so feeds and calendars show it."""

    __tablename__ = "meetings"

    id: Mapped[int] = mapped_column(ForeignKey("calendar_events.id", ondelete="CASCADE"), primary_key=True)
    status: Mapped[str] = mapped_column(String(20), default="draft")
    confidential: Mapped[bool] = mapped_column(Boolean, default=False)
    # Rises by exactly one with every change to agenda, documents or participants: live screens
    # compare it to know whether they missed something.
    version: Mapped[int] = mapped_column(Integer, default=1)
    # No foreign key: agenda items point at the meeting, and a cycle would need use_alter on both
    # databases for little gain; the service clears it when the item goes.
    current_item_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    event: Mapped[Event] = relationship()
    participants: Mapped[list["MeetingParticipant"]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", order_by="MeetingParticipant.id")
    agenda: Mapped[list["AgendaItem"]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", order_by="AgendaItem.position")
    documents: Mapped[list["Document"]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", order_by="Document.position")


class MeetingParticipant(db.Model):
    __tablename__ = "meeting_participants"
    __table_args__ = (UniqueConstraint("meeting_id", "user_id", name="uq_meeting_participants_meeting_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20), default="member")
    attendance: Mapped[str] = mapped_column(String(20), default="invited")
    # The participant's own answer before the meeting (None: not answered yet), see dossiers/rsvp.py.
    rsvp: Mapped[str | None] = mapped_column(String(20))
    rsvp_reason: Mapped[str | None] = mapped_column(String(500))
    rsvp_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    rsvp_reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # On a delegate's row: whom they stand in for ("dự thay cho ..."). `by_delegation` says the row
    # exists only because of it, so withdrawing the delegation removes the row; someone invited in
    # their own right who also stands in for a colleague keeps their seat.
    delegate_for_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    by_delegation: Mapped[bool] = mapped_column(Boolean, default=False)

    meeting: Mapped[Meeting] = relationship(back_populates="participants")
    user: Mapped[User] = relationship(foreign_keys=[user_id])
    delegate_for: Mapped[User | None] = relationship(foreign_keys=[delegate_for_id])


class AgendaItem(db.Model):
    """A point of the agenda (nội dung); `parent_id` makes it a sub-item, one level deep."""

    __tablename__ = "agenda_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("agenda_items.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(String(500))
    presenter_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    presenter_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="SET NULL"))
    duration_minutes: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), default="pending")

    meeting: Mapped[Meeting] = relationship(back_populates="agenda")
    presenter: Mapped[User | None] = relationship()
    presenter_unit: Mapped[Unit | None] = relationship()


class Document(db.Model):
    """A document of the dossier; its content lives in versions, the newest is `current_version`."""

    __tablename__ = "meeting_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    agenda_item_id: Mapped[int | None] = mapped_column(ForeignKey("agenda_items.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(500))
    position: Mapped[int] = mapped_column(Integer, default=0)
    audience: Mapped[str] = mapped_column(String(10), default="all")
    access: Mapped[str] = mapped_column(String(10), default="download", server_default="download")
    # 0 until the first upload is ready: no version, nothing anyone can read.
    current_version: Mapped[int] = mapped_column(Integer, default=1)
    pages: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    state: Mapped[str] = mapped_column(String(20), default="ready", server_default="ready")
    progress: Mapped[int] = mapped_column(Integer, default=100, server_default="100")  # percent of the newest upload
    refusal_code: Mapped[str | None] = mapped_column(String(40))
    refusal_reason: Mapped[str | None] = mapped_column(String(500))

    meeting: Mapped[Meeting] = relationship(back_populates="documents")
    versions: Mapped[list["DocumentVersion"]] = relationship(
        back_populates="document", cascade="all, delete-orphan", order_by="DocumentVersion.number")
    readers: Mapped[list["DocumentReader"]] = relationship(cascade="all, delete-orphan")

    @property
    def read_only(self) -> bool:
        """The flag clients knew before the three levels: true for anything the reader may not keep."""
        return self.access != "download"

    @property
    def reader_ids(self) -> list[int]:
        return [r.user_id for r in self.readers]

    @property
    def latest(self) -> "DocumentVersion | None":
        return next((v for v in self.versions if v.number == self.current_version), None)

    @property
    def readable(self) -> bool:
        """Whether a finished version exists: a first upload still in the worker has none."""
        return self.current_version > 0


class DocumentReader(db.Model):
    """One of the chosen participants of a document whose audience is "chosen"."""

    __tablename__ = "meeting_document_readers"
    __table_args__ = (UniqueConstraint("document_id", "user_id", name="uq_meeting_document_readers_doc_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("meeting_documents.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))


class DocumentVersion(db.Model):
    """One uploaded content; old ones stay (annotations made on them stay attached to them)."""

    __tablename__ = "meeting_document_versions"
    __table_args__ = (UniqueConstraint("document_id", "number", name="uq_meeting_document_versions_doc_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("meeting_documents.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    pages: Mapped[int] = mapped_column(Integer)
    size: Mapped[int] = mapped_column(Integer)  # of the sanitised PDF
    sha256: Mapped[str] = mapped_column(String(64))
    filename: Mapped[str] = mapped_column(String(300))  # as uploaded
    original_ext: Mapped[str] = mapped_column(String(10), default="pdf")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    document: Mapped[Document] = relationship(back_populates="versions")
    created_by: Mapped[User | None] = relationship()


class DocumentPage(db.Model):
    """A page's text from the original upload (never a stamped copy: that holds a reader's name)."""

    __tablename__ = "meeting_document_pages"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("meeting_document_versions.id", ondelete="CASCADE"),
                                            index=True)
    page: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text, default="")
    folded: Mapped[str] = mapped_column(Text, default="")  # fold_vietnamese(text), for a quick LIKE filter


class DocumentAccess(db.Model):
    """Who opened or downloaded what, which version, when."""

    __tablename__ = "meeting_document_access"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("meeting_documents.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    action: Mapped[str] = mapped_column(String(20))  # view, download, dossier, page_view
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    page: Mapped[int | None] = mapped_column(Integer)  # page_view: a page image of a restricted document

    user: Mapped[User] = relationship()


class DocumentStamp(db.Model):
    """When a reader's personal stamp on a version was first issued: its time is one of the stamp's
    lines, so the copy and every page image made for that reader later carry the same lines."""

    __tablename__ = "meeting_document_stamps"
    __table_args__ = (UniqueConstraint("version_id", "user_id", name="uq_meeting_document_stamps_version_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("meeting_document_versions.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime)


class MeetingChange(db.Model):
    """The last changes of a meeting, one per version: a screen that missed some can catch up."""

    __tablename__ = "meeting_changes"
    __table_args__ = (UniqueConstraint("meeting_id", "version", name="uq_meeting_changes_meeting_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    type: Mapped[str] = mapped_column(String(40))
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    at: Mapped[datetime] = mapped_column(UTCDateTime)


class MeetingTemplate(db.Model):
    """A reusable set-up: agenda titles with minutes and participants with roles (mẫu cuộc họp)."""

    __tablename__ = "meeting_templates"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300), unique=True)
    data: Mapped[dict] = mapped_column(JSON, default=dict)
