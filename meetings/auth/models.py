"""Personal API tokens (shown once, stored only as a hash) and the sign-in throttle."""
from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from meetings.db import UTCDateTime, utcnow
from meetings.directory.models import User
from meetings.extensions import db


class ApiToken(db.Model):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    # SHA-256 of a 256-bit random token: a slow hash adds nothing at that entropy.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))  # shown in lists so the owner can tell tokens apart
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()

    @property
    def active(self) -> bool:
        return self.revoked_at is None


class LoginThrottle(db.Model):
    """Failed sign-ins for one e-mail (as typed, known or not) from one client address.

    Per pair, not per account: failures from one address make that address wait, never the owner
    signing in from another. Kept for unknown e-mails alike, so the answers never tell them apart."""

    __tablename__ = "login_throttles"

    account: Mapped[str] = mapped_column(String(64), primary_key=True)  # SHA-256 of the e-mail typed
    address: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failed_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
