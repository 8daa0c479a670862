"""Passwords, sign-in, sessions and API tokens as plain functions of (user, values, now)."""
import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.orm import joinedload
from werkzeug.security import check_password_hash, generate_password_hash

from meetings.auth import throttle
from meetings.auth.models import ApiToken
from meetings.directory.models import User
from meetings.errors import NotFound, ValidationFailed
from meetings.extensions import db
from meetings.realtime import disconnect_token, disconnect_user

TOKEN_PREFIX = "mtg_"
MIN_PASSWORD_LENGTH = 8
# Compared against when the e-mail is unknown, so both failures take the same time.
_DUMMY_HASH = generate_password_hash("not-a-real-password", method="scrypt")
# Writing last_used_at on every call would turn each read into a write; once a minute is enough.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def hash_password(password: str) -> str:
    # scrypt (memory-hard) is Werkzeug's default; named here so a library change cannot weaken it.
    # Only the test configuration swaps in a cheap method, so that suites creating hundreds of
    # users stay fast; check_password_hash reads the method from the stored hash either way.
    return generate_password_hash(password, method=current_app.config.get("PASSWORD_HASH_METHOD", "scrypt"))


def check_password_strength(password: str | None) -> None:
    if not password or len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationFailed({"password": _("At least %(n)d characters.", n=MIN_PASSWORD_LENGTH)})


def new_session_token() -> str:
    return secrets.token_hex(16)


@dataclass(frozen=True)
class Credential:
    """What a request says about who sends it, not yet checked: a bearer token as sent, or the session's
    user id with the session token of its cookie (Flask-Login's id). meetings.dossiers.snapshot checks
    it in the same query that loads what is read."""

    token: str | None = None
    user_id: int | None = None
    session_token: str | None = None


@dataclass
class LoginResult:
    user: User | None


def authenticate(email: str, password: str, address: str, now: datetime) -> LoginResult:
    """Check a password from a client address. Every failure looks the same from outside: a wrong
    password, an unknown or inactive account, and a try made before the pair's wait is over (then
    the password is not even checked, so guessing during the wait learns nothing)."""
    email = (email or "").strip().lower()
    account, address = throttle.account_key(email), (address or "unknown")[:64]
    if throttle.must_wait(account, address, now):
        return LoginResult(None)
    user = db.session.scalar(select(User).where(User.email == email))
    if user is None or not user.active or not user.password_hash:
        check_password_hash(_DUMMY_HASH, password or "")  # the same time as a real check
        user = None
    elif not check_password_hash(user.password_hash, password or ""):
        user = None
    if user is None:
        throttle.record_failure(account, address, now)
        return LoginResult(None)
    throttle.forget(account, address)
    user.last_login_at = now
    db.session.commit()
    return LoginResult(user)


def revoke_everything(user: User, now: datetime) -> None:
    """End every way in that `user` holds: session cookies (they carry the session token, so a new
    one invalidates them all), API tokens and open live-room sockets. Part of the caller's
    transaction, which commits. Used when a password is set, an account is deactivated and on "sign
    out everywhere": a token or socket from before would otherwise outlive the very change meant to
    lock a thief out."""
    user.session_token = new_session_token()
    db.session.execute(update(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
                       .values(revoked_at=now))
    disconnect_user(user.id)  # open /live sockets too, in every process, once this commits


def logout_everywhere(user: User, now: datetime) -> None:
    revoke_everything(user, now)
    db.session.commit()


def change_password(user: User, current: str, new: str, now: datetime) -> None:
    if not user.password_hash or not check_password_hash(user.password_hash, current or ""):
        raise ValidationFailed({"current_password": _("The current password is not correct.")})
    check_password_strength(new)
    user.password_hash = hash_password(new)
    revoke_everything(user, now)
    db.session.commit()


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(user: User, name: str, now: datetime) -> tuple[ApiToken, str]:
    """A new token: the plain value is returned once and never stored."""
    name = (name or "").strip() or _("API token")
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, name=name[:100], token_hash=token_digest(plain),
                     prefix=plain[:12], created_at=now)
    db.session.add(token)
    db.session.commit()
    return token, plain


def revoke_token(user: User, token_id: int, now: datetime) -> ApiToken:
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        raise NotFound(_("No such token."))
    if token.revoked_at is None:
        token.revoked_at = now
        disconnect_token(token.id)  # its open /live sockets too, in every process, once this commits
        db.session.commit()
    return token


def user_for_token(plain: str, now: datetime) -> User | None:
    """The active user behind a token, or None for an unknown, revoked or deactivated one."""
    token = valid_token(plain, now)
    return token.user if token is not None else None


def valid_token(plain: str, now: datetime) -> ApiToken | None:
    """The token row, with its active user loaded, or None for an unknown, revoked or deactivated one."""
    if not plain or not plain.startswith(TOKEN_PREFIX):
        return None
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == token_digest(plain))
                              .options(joinedload(ApiToken.user).joinedload(User.unit)))  # one query per API call
    if token is None or token.revoked_at is not None or not token.user.active:
        return None
    note_token_use(token.id, token.last_used_at, now)
    return token


def note_token_use(token_id: int, last_used_at: datetime | None, now: datetime) -> None:
    """Record when a token was last used, at most once a minute (also for meetings.dossiers.snapshot,
    which reads tokens without loading them as objects)."""
    if last_used_at is None or now - last_used_at >= LAST_USED_RESOLUTION:
        db.session.execute(update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=now))
        db.session.commit()


def tokens_of(user: User) -> list[ApiToken]:
    return list(db.session.scalars(
        select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.created_at.desc())))
