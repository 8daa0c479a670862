"""The sign-in throttle: growing waits per (e-mail typed, client address) instead of locking accounts.

Locking an account after N failures let anyone lock the minister out, and answered differently for
real and made-up e-mails. Here a pair gets LOGIN_FREE_FAILURES tries, then must wait before each
next one, twice as long each time (up to LOGIN_MAX_DELAY_SECONDS). The owner, from another address,
is not slowed at all. "now" is passed in; nothing here reads the clock.
"""
import hashlib
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError

from meetings.auth.models import LoginThrottle
from meetings.extensions import db

FORGET_AFTER = timedelta(days=1)  # a pair quiet this long starts afresh (and its row is deleted)


def account_key(email: str) -> str:
    """The e-mail typed is not stored: a mistyped password is often someone's other address."""
    return hashlib.sha256(email.encode()).hexdigest()


def delay_after(failures: int) -> timedelta:
    config = current_app.config
    extra = failures - config["LOGIN_FREE_FAILURES"]
    if extra <= 0:
        return timedelta(0)
    seconds = config["LOGIN_FIRST_DELAY_SECONDS"] * 2 ** min(extra - 1, 30)
    return timedelta(seconds=min(seconds, config["LOGIN_MAX_DELAY_SECONDS"]))


def _row(account: str, address: str, now: datetime) -> LoginThrottle | None:
    row = db.session.get(LoginThrottle, (account, address))
    if row is not None and now - row.last_failed_at >= FORGET_AFTER:
        return None  # counted afresh below
    return row


def must_wait(account: str, address: str, now: datetime) -> bool:
    row = _row(account, address, now)
    return row is not None and now < row.last_failed_at + delay_after(row.failures)


def record_failure(account: str, address: str, now: datetime) -> None:
    """One more failure for the pair; commits. Two first failures at once both count."""
    for _attempt in range(2):
        row = _row(account, address, now)
        if row is None:
            db.session.execute(delete(LoginThrottle).where(LoginThrottle.last_failed_at < now - FORGET_AFTER))
            row = db.session.get(LoginThrottle, (account, address))
            if row is None:
                row = LoginThrottle(account=account, address=address, failures=0)
                db.session.add(row)
            else:
                row.failures = 0
        row.failures += 1
        row.last_failed_at = now
        try:
            db.session.commit()
            return
        except IntegrityError:  # the same pair's first failure, committed by a concurrent request
            db.session.rollback()


def forget(account: str, address: str) -> None:
    """A successful sign-in clears the pair (the caller commits)."""
    db.session.execute(delete(LoginThrottle).where(LoginThrottle.account == account,
                                                   LoginThrottle.address == address))
