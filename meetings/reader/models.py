"""Annotations: one row per annotation, attached to a document VERSION and a page of it."""
from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from meetings.db import UTCDateTime
from meetings.directory.models import User
from meetings.dossiers.models import Document, DocumentVersion
from meetings.extensions import db

KINDS = ("highlight", "ink", "note", "freetext")


class Annotation(db.Model):
    """A highlight, ink drawing, sticky note or free-text box, in PDF points of the page's unrotated
    space with the origin at its top-left (PyMuPDF's convention), so it lands on the same words at
    any zoom, on any device and in the exported PDF.

    The id is a UUID chosen by the browser: an edit made offline and sent twice is the same row.
    A deletion leaves a tombstone (`deleted_at`) so that an older edit arriving late cannot bring the
    annotation back; last writer wins by `updated_at`.
    """

    __tablename__ = "reader_annotations"
    __table_args__ = (Index("ix_reader_annotations_version_user", "version_id", "user_id"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("meeting_documents.id", ondelete="CASCADE"), index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("meeting_document_versions.id", ondelete="CASCADE"))
    page: Mapped[int] = mapped_column(Integer)  # 1-based
    kind: Mapped[str] = mapped_column(String(10))
    geometry: Mapped[dict] = mapped_column(JSON)  # {"rects": ...} | {"paths": ..., "width": w} | {"rect": ...}
    color: Mapped[str] = mapped_column(String(7))
    text: Mapped[str] = mapped_column(Text, default="")
    shared: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()
    document: Mapped[Document] = relationship()
    version: Mapped[DocumentVersion] = relationship()
