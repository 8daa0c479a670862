"""A recurrence rule said in words, in the reader's language: "Hằng tuần vào Thứ Hai, 8 lần".

Pages, tooltips and previews show this instead of the raw RRULE; feeds and the API keep the rule.
The rule is read together with the series' first start, because "FREQ=WEEKLY" alone does not say
which day: dateutil (and RFC 5545) take it from DTSTART.
"""
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import ngettext

from meetings.calendar.recurrence import parse_rule
from meetings.timeutil import WEEKDAYS

DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
             "October", "November", "December")
# What the words below can say; any other part is shown raw after them rather than silently dropped.
UNDERSTOOD = {"FREQ", "INTERVAL", "BYDAY", "BYMONTHDAY", "BYMONTH", "BYSETPOS", "COUNT", "UNTIL", "WKST"}


def split_day(code: str) -> tuple[int | None, int]:
    """"-1FR" -> (-1, 4); "MO" -> (None, 0)."""
    position, name = code[:-2], code[-2:]
    if name not in DAY_CODES or (position and not position.lstrip("+-").isdigit()):
        raise ValueError(code)
    return (int(position) if position else None), DAY_CODES.index(name)


def until_day(until: str, first_local: datetime):
    """The last calendar day the series can still meet on. "This and following" ends a series one
    second before the split occurrence (UNTIL=...T075959 for an 08:00 series): that day is already over."""
    moment = datetime.strptime(until.rstrip("Z")[:15], "%Y%m%dT%H%M%S" if "T" in until else "%Y%m%d")
    if "T" in until and moment.time() < first_local.time():
        return (moment - timedelta(days=1)).date()
    return moment.date()


def _locale() -> str:
    return "en" if str(get_locale() or "vi").startswith("en") else "vi"


def _join(items: list[str]) -> str:
    if len(items) == 1:
        return items[0]
    return _("%(first)s and %(last)s", first=", ".join(items[:-1]), last=items[-1])


def _weekday(index: int) -> str:
    return WEEKDAYS[_locale()][index]


def _every(freq: str, interval: int) -> str:
    if interval == 1:
        return {"DAILY": _("Daily"), "WEEKLY": _("Weekly"), "MONTHLY": _("Monthly"), "YEARLY": _("Yearly")}[freq]
    return {"DAILY": _("Every %(n)d days", n=interval), "WEEKLY": _("Every %(n)d weeks", n=interval),
            "MONTHLY": _("Every %(n)d months", n=interval), "YEARLY": _("Every %(n)d years", n=interval)}[freq]


def _on_weekdays(days: list[int]) -> str:
    if days == [0, 1, 2, 3, 4]:
        return _("on weekdays (Monday to Friday)")
    return _("on %(days)s", days=_join([_weekday(d) for d in days]))


def _nth_weekday(position: int, day: int) -> str:
    if position == 1:
        return _("on the first %(day)s of the month", day=_weekday(day))
    if position == -1:
        return _("on the last %(day)s of the month", day=_weekday(day))
    if position > 0:
        return _("on %(day)s of week %(n)d of the month", day=_weekday(day), n=position)
    return _("on the %(day)s %(n)d weeks before the month's end", day=_weekday(day), n=-position)


def _month_days(days: list[int]) -> str:
    named = [_("the last day of the month") if d == -1 else str(d) for d in days]
    if named == [_("the last day of the month")]:
        return _("on the last day of the month")
    return _("on day %(days)s", days=_join(named))


def _months(numbers: list[int]) -> str:
    if _locale() == "en":
        return _("in %(months)s", months=_join([MONTHS_EN[n - 1] for n in numbers]))
    return _("in %(months)s", months="tháng " + _join([str(n) for n in numbers]))


def _when(parts: dict, freq: str, first: datetime) -> list[str]:
    """The "on ..." phrases; raises ValueError for values that are not numbers or day codes."""
    days = [split_day(code) for code in parts.get("BYDAY", "").split(",") if code]
    month_days = [int(d) for d in parts.get("BYMONTHDAY", "").split(",") if d]
    months = [int(m) for m in parts.get("BYMONTH", "").split(",") if m]
    if "BYSETPOS" in parts and len(days) == 1:  # BYDAY=MO;BYSETPOS=1 says the same as BYDAY=1MO
        days = [(int(parts["BYSETPOS"]), days[0][1])]
    phrases = []
    if freq in ("DAILY", "WEEKLY"):
        plain = sorted({d for _p, d in days})
        if plain or freq == "WEEKLY":
            phrases.append(_on_weekdays(plain or [first.weekday()]))
    elif freq == "MONTHLY":
        if month_days:
            phrases.append(_month_days(month_days))
        elif days and all(p is not None for p, _d in days):
            phrases.append(_join([_nth_weekday(p, d) for p, d in days]))
        elif days:
            phrases.append(_on_weekdays(sorted({d for _p, d in days})))
        else:
            phrases.append(_month_days([first.day]))
    else:  # YEARLY
        if days:
            phrases.append(_on_weekdays(sorted({d for _p, d in days})))
        else:
            day_numbers = month_days or [first.day]
            month_numbers = months or [first.month]
            phrases.append(_("on %(dates)s", dates=_join(
                [f"{d:02d}/{m:02d}" for m in month_numbers for d in day_numbers])))
            months = []
    if months:
        phrases.append(_months(months))
    return phrases


def describe_rule(rule: str | None, first_start: datetime, zone: ZoneInfo) -> str:
    """"Hằng tuần vào Thứ Hai, 8 lần" / "Weekly on Monday, 8 times"; "" without a rule.

    `first_start` is the series' first start (any zone; read in `zone`). A rule we cannot read at all
    is returned as it is, so a reader is never shown less than what is stored."""
    if not rule:
        return ""
    first = first_start.astimezone(zone)
    try:
        parts = parse_rule(rule)
        freq = parts["FREQ"]
        interval = int(parts.get("INTERVAL", "1"))
        if freq not in ("DAILY", "WEEKLY", "MONTHLY", "YEARLY") or interval < 1:
            raise ValueError(freq)
        words = " ".join([_every(freq, interval)] + _when(parts, freq, first))
        if "COUNT" in parts:
            words = _("%(rule)s, %(times)s", rule=words,
                      times=ngettext("%(num)d time", "%(num)d times", int(parts["COUNT"])))
        if "UNTIL" in parts:
            words = _("%(rule)s, until %(date)s", rule=words,
                      date=f"{until_day(parts['UNTIL'], first.replace(tzinfo=None)):%d/%m/%Y}")
    except (KeyError, ValueError, IndexError):
        return rule
    unknown = [f"{k}={v}" for k, v in parts.items() if k not in UNDERSTOOD]
    return f"{words} ({';'.join(unknown)})" if unknown else words
