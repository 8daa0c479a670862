"""The one place that knows time zones and how Vietnamese dates are written.

Times are stored in UTC. Code converts at the edges with these helpers; services receive `now`
from their caller (route, CLI, scheduler, test) and never read the clock themselves.
"""
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import current_app, has_app_context

DEFAULT_ZONE = "Asia/Ho_Chi_Minh"

# The years an input date may fall in. Far enough for any calendar, near enough that moving a moment
# between zones, adding a week or a recurrence never leaves datetime's range (year 1 .. 9999). The API
# document says the same (meetings/calendar/openapi_paths.py MOMENT: years 19xx-21xx).
MIN_YEAR, MAX_YEAR = 1900, 2199


def in_range(moment: date | None) -> date | None:
    """The date or datetime itself when its year is one we accept, else None (like a parse failure)."""
    return moment if moment is not None and MIN_YEAR <= moment.year <= MAX_YEAR else None

WEEKDAYS = {
    "vi": ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật"],
    "en": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
}


def now_utc() -> datetime:
    """The current time: call only at the edges (routes, CLI, scheduler) and pass it down.

    MEETINGS_FAKE_NOW (a datetime in the config) pins it, for tests and demos that drive the
    app from outside, such as a browser test.
    """
    if has_app_context() and current_app.config.get("MEETINGS_FAKE_NOW"):
        return current_app.config["MEETINGS_FAKE_NOW"]
    return datetime.now(timezone.utc)


def app_zone() -> ZoneInfo:
    name = DEFAULT_ZONE
    if has_app_context():
        name = current_app.config.get("MEETINGS_TIMEZONE", DEFAULT_ZONE)
    return ZoneInfo(name)


def is_valid_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def to_local(moment: datetime, zone: ZoneInfo | None = None) -> datetime:
    return moment.astimezone(zone or app_zone())


def as_utc(moment: datetime, zone: ZoneInfo | None = None) -> datetime:
    """A naive datetime means wall-clock time in the app's zone (or `zone`)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone or app_zone())
    return moment.astimezone(timezone.utc)


def format_day(day: date, locale: str = "vi") -> str:
    """'Thứ Hai, 30/11/2026' in Vietnamese, 'Monday, 30/11/2026' in English."""
    names = WEEKDAYS.get(locale, WEEKDAYS["vi"])
    return f"{names[day.weekday()]}, {day:%d/%m/%Y}"


def format_time(moment: datetime, zone: ZoneInfo | None = None) -> str:
    """24-hour clock in local time: '14:36'."""
    return f"{to_local(moment, zone):%H:%M}"


def format_datetime(moment: datetime, zone: ZoneInfo | None = None) -> str:
    """'14:36 17/03/2026', the order used in Vietnamese office documents."""
    return f"{to_local(moment, zone):%H:%M %d/%m/%Y}"
