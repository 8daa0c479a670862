"""Feed tokens: which feeds a user may have, issuing, rotating, revoking and checking them.

The URL must be shown again on every visit to the profile page (and by the API), yet the database
must not hold it: the token is HMAC(SECRET_KEY, nonce) and the table keeps the random nonce and the
token's SHA-256. A stolen database alone gives no working URL; rotating draws a new nonce, so the
old URL's hash is gone at once.
"""
import hashlib
import hmac
import secrets
from base64 import urlsafe_b64encode
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from meetings.calendar.access import can_manage_calendar
from meetings.directory.models import Room, Unit, User
from meetings.errors import NotFound
from meetings.extensions import db
from meetings.feeds.models import KINDS, FeedToken
from meetings.validation import MAX_ID

TOKEN_BYTES = 24  # 192 bits, above the 128 the issue asks for


@dataclass(frozen=True)
class FeedRef:
    """One feed a user may subscribe to: `key` names it in the API ("personal", "leader-12")."""

    kind: str
    target_id: int
    name: str

    @property
    def key(self) -> str:
        return self.kind if self.kind == "personal" else f"{self.kind}-{self.target_id}"


def parse_key(key: str) -> tuple[str, int]:
    kind, _sep, target = key.partition("-")
    number = target.isascii() and target.isdigit() and len(target) <= 10 and int(target) <= MAX_ID
    if kind not in KINDS or (kind == "personal") != (target == "") or (target and not number):
        raise NotFound(_("No such feed."))  # also for ids no row can have: a query would overflow
    return kind, int(target or 0)


def derive(nonce: str) -> str:
    mac = hmac.new(current_app.config["SECRET_KEY"].encode(), f"feed-token:{nonce}".encode(), hashlib.sha256)
    return urlsafe_b64encode(mac.digest()[:TOKEN_BYTES]).decode().rstrip("=")


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def available(user: User) -> list[FeedRef]:
    """Personal for everyone; a leader's calendar for that leader and the secretaries; rooms for the
    secretaries; the own unit for everyone, every unit for the secretaries."""
    found = [FeedRef("personal", 0, _("My schedule"))]
    manager = can_manage_calendar(user)
    leaders = select(User).where(User.role == "leader", User.active.is_(True)).order_by(User.rank, User.name)
    if not manager:
        leaders = leaders.where(User.id == user.id)
    found += [FeedRef("leader", u.id, u.display_name) for u in db.session.scalars(leaders)]
    if manager:
        found += [FeedRef("room", r.id, r.name) for r in db.session.scalars(
            select(Room).where(Room.active.is_(True)).order_by(Room.name))]
    units = select(Unit).order_by(Unit.name)
    if not manager:
        units = units.where(Unit.id == (user.unit_id or 0))
    found += [FeedRef("unit", u.id, u.name) for u in db.session.scalars(units)]
    return found


def may_have(user: User, kind: str, target_id: int) -> bool:
    """The same rule as `available`, for one feed: checked on every fetch, so a feed stops when its
    owner loses the right to it."""
    manager = can_manage_calendar(user)
    if kind == "personal":
        return target_id == 0
    if kind == "leader":
        leader = db.session.get(User, target_id)
        return bool(leader and leader.role == "leader" and leader.active and (manager or leader.id == user.id))
    if kind == "room":
        room = db.session.get(Room, target_id)
        return bool(manager and room and room.active)
    if kind == "unit":
        return db.session.get(Unit, target_id) is not None and (manager or user.unit_id == target_id)
    return False


def _fresh(feed: FeedToken) -> None:
    feed.nonce = secrets.token_hex(16)
    feed.token_hash = digest(derive(feed.nonce))


def ensure(user: User, kind: str, target_id: int, now: datetime) -> FeedToken:
    """The owner's token row for this feed, issued on first use. Does not commit."""
    feed = db.session.scalar(select(FeedToken).where(FeedToken.user_id == user.id, FeedToken.kind == kind,
                                                     FeedToken.target_id == target_id))
    if feed is None:
        feed = FeedToken(user_id=user.id, kind=kind, target_id=target_id, created_at=now, rotated_at=now)
        _fresh(feed)
        db.session.add(feed)
    elif feed.token_hash != digest(derive(feed.nonce)):
        feed.token_hash = digest(derive(feed.nonce))  # SECRET_KEY changed: the old URLs die with it
    return feed


def token_of(feed: FeedToken) -> str:
    return derive(feed.nonce)


def rotate(user: User, key: str, now: datetime) -> FeedToken:
    """A new URL for the feed (revoked feeds come back this way); the old one stops at once."""
    kind, target_id = parse_key(key)
    if not may_have(user, kind, target_id):
        raise NotFound(_("No such feed."))
    feed = ensure(user, kind, target_id, now)
    _fresh(feed)
    feed.rotated_at, feed.revoked_at = now, None
    db.session.commit()
    return feed


def revoke(user: User, key: str, now: datetime) -> None:
    kind, target_id = parse_key(key)
    feed = db.session.scalar(select(FeedToken).where(FeedToken.user_id == user.id, FeedToken.kind == kind,
                                                     FeedToken.target_id == target_id))
    if feed is None:
        raise NotFound(_("No such feed."))
    feed.revoked_at = now
    db.session.commit()


def feeds_of(user: User, now: datetime) -> list[tuple[FeedRef, FeedToken]]:
    """Every feed the user may have with its token row (issued now when missing); commits."""
    pairs = [(ref, ensure(user, ref.kind, ref.target_id, now)) for ref in available(user)]
    db.session.commit()
    return pairs


def find(token: str) -> FeedToken | None:
    """The live feed behind a token in a URL, or None (unknown, rotated, revoked, owner gone)."""
    if not token or len(token) > 100:
        return None
    feed = db.session.scalar(select(FeedToken).where(FeedToken.token_hash == digest(token)))
    if feed is None or feed.revoked_at is not None:
        return None
    owner = db.session.get(User, feed.user_id)
    if owner is None or not owner.active or not may_have(owner, feed.kind, feed.target_id):
        return None
    return feed
