"""The entry form's repeat controls (how often, every how many, which weekdays, until when) and the
rule they stand for, both ways.

The form also posts the controls as they were drawn (`repeat_state`) and the rule they were drawn
from (`rrule_original`): when the secretary leaves the controls alone, the stored rule is kept
exactly, even one the controls cannot show in full (a typed BYMONTHDAY=1,15, the UNTIL a split
wrote); saving a series must not quietly rewrite it, which would also drop its moved occurrences.
"""
from datetime import date, datetime, time

from flask_babel import get_locale
from flask_babel import gettext as _

from meetings.calendar.recurrence import parse_rule
from meetings.calendar.rule_words import DAY_CODES, describe_rule, split_day, until_day
from meetings.errors import ValidationFailed
from meetings.timeutil import WEEKDAYS, app_zone

FREQUENCIES = {"daily": "DAILY", "weekly": "WEEKLY", "monthly": "MONTHLY", "yearly": "YEARLY"}
LEGACY = {"biweekly": ("weekly", 2)}  # the old form's "every two weeks" choice
CONTROLS = ("repeat", "repeat_interval", "repeat_days", "repeat_monthly", "repeat_count", "repeat_until")
SHOWN = {"FREQ", "INTERVAL", "BYDAY", "COUNT", "UNTIL", "WKST"}


def _day(value) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def controls_for(rule: str | None, first_day: date | None, first_time: time | None = None) -> dict:
    """The controls showing `rule` for a series starting on `first_day` at `first_time`; `complete` is
    False when the rule says more than the controls can (the form then opens the typed rule)."""
    controls = {"repeat": "", "repeat_interval": "1", "repeat_days": [], "repeat_monthly": "monthday",
                "repeat_count": "", "repeat_until": "", "complete": True}
    if not rule:
        return controls
    try:
        parts = parse_rule(rule)
        days = [split_day(code) for code in parts.get("BYDAY", "").split(",") if code]
    except ValueError:
        return controls | {"complete": False}
    freq = next((key for key, value in FREQUENCIES.items() if value == parts.get("FREQ")), "")
    controls.update(repeat=freq, repeat_interval=parts.get("INTERVAL", "1"), repeat_count=parts.get("COUNT", ""))
    complete = bool(freq) and set(parts) <= SHOWN
    if "UNTIL" in parts and first_day:
        try:
            controls["repeat_until"] = until_day(parts["UNTIL"], datetime.combine(first_day, first_time or time())).isoformat()
        except ValueError:
            complete = False
    if freq == "weekly":
        complete = complete and all(position is None for position, _d in days)
        weekdays = sorted({d for _p, d in days}) or ([first_day.weekday()] if first_day else [])
        controls["repeat_days"] = [DAY_CODES[d] for d in weekdays]
    elif freq == "monthly" and days:
        controls["repeat_monthly"] = "weekday"
        complete = complete and len(days) == 1 and days[0][0] is not None and (
            first_day is None or (days[0][1] == first_day.weekday() and days[0][0] == _position(first_day)))
    else:
        complete = complete and not days
    controls["complete"] = complete
    return controls


def state_of(controls: dict) -> str:
    """The controls as one comparable string (what the form posts back as `repeat_state`)."""
    days = controls.get("repeat_days") or []
    if isinstance(days, str):
        days = [days]
    return "|".join([str(controls.get("repeat") or ""), str(controls.get("repeat_interval") or "1").strip(),
                     ",".join(sorted(days, key=lambda c: DAY_CODES.index(c) if c in DAY_CODES else 9)),
                     str(controls.get("repeat_monthly") or "monthday"), str(controls.get("repeat_count") or "").strip(),
                     str(controls.get("repeat_until") or "").strip()])


def _clock(value) -> time | None:
    try:
        return time.fromisoformat(value) if value else None
    except ValueError:
        return None


def form_fields(rule: str | None, first_day, first_time=None) -> dict:
    """Everything the form needs to draw the repeat controls for `rule` (date and time as the form has them)."""
    controls = controls_for(rule, _day(first_day), _clock(first_time))
    return {**controls, "rrule": rule or "", "rrule_original": rule or "", "repeat_state": state_of(controls)}


def _position(day: date) -> int:
    """Which of the month's Mondays (…) this is; the fifth is called the last."""
    position = (day.day - 1) // 7 + 1
    return -1 if position == 5 else position


def rule_from_controls(form, first_day: date | None) -> str | None:
    """The rule the controls say; validation (counts, dates) is left to the rule's normaliser."""
    repeat, interval = form.get("repeat", ""), (form.get("repeat_interval") or "1").strip()
    repeat, interval = LEGACY.get(repeat, (repeat, interval))
    if repeat not in FREQUENCIES:
        return None
    parts = [f"FREQ={FREQUENCIES[repeat]}"]
    if str(interval) != "1":
        parts.append(f"INTERVAL={interval}")
    days = [code for code in DAY_CODES if code in form.getlist("repeat_days")] if hasattr(form, "getlist") \
        else [code for code in DAY_CODES if code in (form.get("repeat_days") or [])]
    if repeat == "weekly" and days and not (first_day and days == [DAY_CODES[first_day.weekday()]]):
        parts.append("BYDAY=" + ",".join(days))  # the start's own weekday alone needs no BYDAY
    if repeat == "monthly" and form.get("repeat_monthly") == "weekday" and first_day:
        parts.append(f"BYDAY={_position(first_day)}{DAY_CODES[first_day.weekday()]}")
    if (form.get("repeat_count") or "").strip() and (form.get("repeat_until") or "").strip():
        raise ValidationFailed({"rrule": _("Give either a number of times or a last day, not both.")})
    if (form.get("repeat_count") or "").strip():
        parts.append(f"COUNT={form.get('repeat_count').strip()}")
    if (form.get("repeat_until") or "").strip():
        until = _day(form.get("repeat_until").strip())
        parts.append(f"UNTIL={until:%Y%m%d}" if until else f"UNTIL={form.get('repeat_until').strip()}")
    return ";".join(parts)


def posted_rule(form) -> str | None:
    """The rule a posted form asks for: the controls when they were changed, else the typed rule
    when it was changed, else the rule the form was drawn with, untouched."""
    typed = (form.get("rrule") or "").strip()
    if "repeat_state" not in form:  # a post without the state (scripts, the old form): typed rule first
        return typed or rule_from_controls(form, _day(form.get("date")))
    posted = {name: (form.getlist(name) if name == "repeat_days" and hasattr(form, "getlist") else form.get(name))
              for name in CONTROLS}
    if state_of(posted) != form.get("repeat_state"):
        return rule_from_controls(form, _day(form.get("date")))
    original = (form.get("rrule_original") or "").strip()
    return (typed if typed != original else original) or None


def words_for_form(form) -> str:
    """The rule the form was drawn with, in words ("Hằng tuần vào Thứ Hai, 8 lần"), beside the controls."""
    rule, day = form.get("rrule_original"), _day(form.get("date"))
    if not rule or not day:
        return ""
    zone = app_zone()
    return describe_rule(rule, datetime.combine(day, _clock(form.get("start_time")) or time(), zone), zone)


def weekday_choices() -> list[tuple[str, str]]:
    """("MO", "Thứ Hai") … in the reader's language, for the weekday boxes."""
    locale = "en" if str(get_locale() or "vi").startswith("en") else "vi"
    return list(zip(DAY_CODES, WEEKDAYS[locale]))
