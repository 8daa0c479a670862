"""Secret feed URLs: one row per owner and feed, holding only what is needed to check a token."""
from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from meetings.db import UTCDateTime
from meetings.extensions import db

KINDS = ("personal", "leader", "room", "unit")


class FeedToken(db.Model):
    """The secret behind one feed URL. `target_id` is 0 for the personal feed (a NULL would slip past
    the unique constraint on PostgreSQL); rotating replaces `nonce` and `token_hash` in place."""

    __tablename__ = "feed_tokens"
    __table_args__ = (UniqueConstraint("user_id", "kind", "target_id", name="uq_feed_tokens_owner_feed"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    target_id: Mapped[int] = mapped_column(Integer, default=0)
    # Random per issue; the token is derived from it with the app's secret key (see tokens.py).
    nonce: Mapped[str] = mapped_column(String(64))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # SHA-256 of the token in the URL
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    rotated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ImportedEntry(db.Model):
    """Which entry an imported UID became, so importing the same invitation again updates it."""

    __tablename__ = "feed_imported_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(500), unique=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("calendar_events.id", ondelete="CASCADE"), index=True)
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime)
