"""The calendar's edge clock: the real time, or the fixed moment a test or demo configures.

Only routes read it and pass `now` down; services never do.
"""
from datetime import datetime

from flask import current_app

from meetings.timeutil import now_utc


def now() -> datetime:
    return current_app.config.get("MEETINGS_FAKE_NOW") or now_utc()
