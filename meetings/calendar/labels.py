"""An entry's history in words: field names, people, rooms, units, states and local times in the
reader's language, for the entry page, the changes view and the API (`old_label`, `new_label`).

History rows keep ids, codes and ISO times (see history.py); only here do they become words, so a
renamed room or a reader in English sees today's names in their own language.
"""
import re
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from meetings.calendar.access import can_see_entry
from meetings.calendar.models import Event, EventChange
from meetings.calendar.rule_words import describe_rule
from meetings.directory.models import Room, Unit, User
from meetings.extensions import db
from meetings.timeutil import app_zone, format_day, is_valid_zone

FIELDS = {
    "title": _l("Entry title"), "start": _l("Start time"), "end": _l("End time"), "all_day": _l("All day"),
    "session": _l("Session"), "kind": _l("Type"), "visibility": _l("Visibility"), "status": _l("Status"),
    "cancel_reason": _l("Reason for cancelling"), "leaders": _l("Leaders"), "participants": _l("People taking part"),
    "units": _l("Participating units"), "guests": _l("Guests"), "room": _l("Room"), "location": _l("Location"),
    "online_url": _l("Online meeting link"), "preparing_unit": _l("Preparing unit"),
    "description": _l("Notes"), "rrule": _l("Repeats"), "created": _l("Entry created"),
    "conflict_override": _l("Saved despite a double-booking with"), "split_from": _l("Split from the series"),
}
OCCURRENCE = "occurrence "  # "occurrence <ISO start>": one occurrence of a series moved or cancelled


def words() -> dict[str, dict[str, str]]:
    return {
        "status": {"draft": _("Draft"), "published": _("Published"), "cancelled": _("Cancelled")},
        "visibility": {"public": _("Public (portal)"), "internal": _("Internal (staff)"),
                       "confidential": _("Confidential")},
        "kind": {"meeting": _("Meeting"), "conference": _("Conference"), "reception": _("Receiving guests"),
                 "working": _("Working session"), "trip": _("Business trip"), "other": _("Other")},
        "session": {"morning": _("Morning"), "afternoon": _("Afternoon"), "evening": _("Evening")},
        "all_day": {"true": _("Yes, all day"), "false": _("No, at set times")},
        "role": {"chair": _("chairs"), "attend": _("attends")},
    }


@dataclass
class ChangeRow:
    field: str
    field_label: str
    old: str | None
    new: str | None
    old_label: str | None
    new_label: str | None
    by: str | None
    user_id: int | None
    at: datetime

    def to_json(self, zone: ZoneInfo) -> dict:
        at = self.at.astimezone(zone).isoformat()
        return {"field": self.field, "field_label": self.field_label, "old": self.old, "new": self.new,
                "old_label": self.old_label, "new_label": self.new_label, "by": self.by, "at": at,
                "changed_at": at, "user_id": self.user_id}


def local_moment(value: str | None, zone: ZoneInfo, locale: str) -> str | None:
    """'Thứ Ba, 08/12/2026 14:00': the weekday and date as the office writes them, then the clock."""
    try:
        moment = datetime.fromisoformat(value).astimezone(zone)
    except (TypeError, ValueError):
        return value
    return f"{format_day(moment.date(), locale)} {moment:%H:%M}"


def _ids(value: str | None) -> list[int]:
    return [int(v) for v in re.findall(r"\d+", value or "")]


class _Names:
    """Everything the rows name, read in one query per kind."""

    def __init__(self, changes: list[EventChange], reader):
        people, units, rooms, events = set(), set(), set(), set()
        for change in changes:
            for value in (change.old, change.new):
                if change.field in ("leaders", "participants"):
                    people.update(int(v) for v in re.findall(r"(\d+)(?::\w+)?", value or ""))
                elif change.field == "units":
                    units.update(_ids(value))
                elif change.field == "room" and (value or "").isdigit():
                    rooms.add(int(value))
                elif change.field in ("conflict_override", "split_from"):
                    events.update(_ids(value) if change.field == "split_from" else re.findall(r"#(\d+)", value or ""))
        self.people = self._load(User, people)
        self.units = self._load(Unit, units)
        self.rooms = self._load(Room, rooms)
        series = {change.event_id for change in changes if change.field == "rrule"}
        found = self._load(Event, {int(i) for i in events} | series)
        # A rule is said in words from its series' first start ("weekly" alone does not say which day).
        self.starts = {i: found[i].start_at for i in series if i in found}
        self.events = {i: e.title if can_see_entry(reader, e) else _("Busy") for i, e in found.items()}

    @staticmethod
    def _load(model, ids: set[int]) -> dict:
        return {row.id: row for row in db.session.scalars(select(model).where(model.id.in_(ids)))} if ids else {}

    def person(self, user_id: int) -> str:
        user = self.people.get(user_id)
        return " ".join(p for p in (user.title, user.name) if p) if user else _("(removed)")


def value_label(field: str, value: str | None, names: _Names, zone: ZoneInfo, locale: str,
                event_id: int | None = None) -> str | None:
    if value is None or value == "":
        return None
    vocabulary = words()
    if field == "rrule" and event_id in names.starts:
        return describe_rule(value, names.starts[event_id], zone)
    if field in ("start", "end") or field.startswith(OCCURRENCE):
        return vocabulary["status"]["cancelled"] if value == "cancelled" else local_moment(value, zone, locale)
    if field in vocabulary:
        return vocabulary[field].get(value, value)
    if field == "leaders":
        parts = re.findall(r"(\d+)(?::(\w+))?", value)
        if not value[0].isdigit():  # written before ids were kept: names already
            return value
        return "; ".join(f"{names.person(int(i))} ({vocabulary['role'].get(role, role)})" if role
                         else names.person(int(i)) for i, role in parts)
    if field == "participants":
        return ", ".join(names.person(i) for i in _ids(value)) if value[0].isdigit() else value
    if field == "units":
        return ", ".join(names.units[i].name if i in names.units else _("(removed)") for i in _ids(value)) \
            if value[0].isdigit() else value
    if field == "room":
        if not value.isdigit():
            return value
        room = names.rooms.get(int(value))
        return room.name if room else _("(removed)")
    if field == "split_from":
        return names.events.get(int(value), value) if value.isdigit() else value
    if field == "conflict_override":
        ids = dict.fromkeys(int(i) for i in re.findall(r"#(\d+)", value))  # "#12, #15": the other entries
        return "; ".join(names.events.get(i, _("Busy")) for i in ids) or value
    return value


def field_label(field: str, zone: ZoneInfo, locale: str) -> str:
    if field.startswith(OCCURRENCE):
        return _("Occurrence of %(when)s", when=local_moment(field[len(OCCURRENCE):], zone, locale))
    return str(FIELDS.get(field, field))


def labelled(changes: list[EventChange], reader, zone: ZoneInfo, locale: str) -> list[ChangeRow]:
    """The rows as the reader reads them; `reader` decides whose titles a double-booking may name."""
    names = _Names(changes, reader)
    return [ChangeRow(field=c.field, field_label=field_label(c.field, zone, locale), old=c.old, new=c.new,
                      old_label=value_label(c.field, c.old, names, zone, locale, c.event_id),
                      new_label=value_label(c.field, c.new, names, zone, locale, c.event_id),
                      by=c.user.name if c.user else None, user_id=c.user_id, at=c.changed_at)
            for c in changes]


def reader_language(reader) -> tuple[ZoneInfo, str]:
    """The reader's own zone and language (an API token has no session to carry them)."""
    locale = reader.locale if reader is not None and reader.locale in current_app.config["LANGUAGES"] \
        else str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])
    zone = ZoneInfo(reader.timezone) if reader is not None and reader.timezone and is_valid_zone(reader.timezone) \
        else app_zone()
    return zone, locale


def for_reader(changes: list[EventChange], reader) -> list[ChangeRow]:
    zone, locale = reader_language(reader)
    with force_locale(locale):
        return labelled(changes, reader, zone, locale)
