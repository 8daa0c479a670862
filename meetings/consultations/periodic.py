"""Periodic reports from units (chế độ báo cáo định kỳ) on the requests' own machinery.

A periodic report is a request with a recurrence: an RRULE read in the office's zone whose occurrences
are the periods' deadlines, the first being the request's deadline. Started ("recurring"), it is never
answered itself: for each period the scheduler opens a round `lead_days` before its deadline, a sent
request of its own (questions and those asked copied), so each period has its own pending list,
reminders (the consultation_reminders job sees rounds as any sent request), answers and summary. The
template document stays on the periodic report, readable by everyone asked.

Rounds are keyed (series_id, period): a second scheduler or a restart fails on that key and opens
nothing twice. The rule is expanded by meetings.calendar.recurrence, the one RRULE parser.
"""
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from meetings.calendar.recurrence import normalise_rule, parse_rule, starts_between
from meetings.consultations import access, carrier
from meetings.consultations.models import Consultation, Question, Recipient
from meetings.extensions import db
from meetings.timeutil import app_zone
from meetings.validation import Fields

ALLOWED_FREQ = ("WEEKLY", "MONTHLY", "YEARLY")  # weekly to yearly; daily reports are not a "period"
DEFAULT_LEAD_DAYS, MAX_LEAD_DAYS = 14, 90


def read_recurrence(fields: Fields) -> tuple[str | None, int | None]:
    """(normalised RRULE, lead days) from `recurrence` and `lead_days`; (None, None) for a one-off request."""
    raw = fields.data.get("recurrence")
    if raw in (None, ""):
        return None, None
    rule = None
    if not isinstance(raw, str) or len(raw) > 400 or "\x00" in raw:
        fields.fail("recurrence", _("Write the recurrence as an RRULE, e.g. FREQ=MONTHLY;BYMONTHDAY=25."))
    else:
        try:
            if parse_rule(raw).get("FREQ") not in ALLOWED_FREQ:
                raise ValueError("FREQ")
            rule = normalise_rule(raw, app_zone())
        except (ValueError, TypeError, OverflowError):
            fields.fail("recurrence", _("A periodic report recurs weekly, monthly, quarterly "
                                        "(FREQ=MONTHLY;INTERVAL=3) or yearly: write a valid RRULE."))
    lead = fields.integer("lead_days", minimum=1, maximum=MAX_LEAD_DAYS)
    return rule, lead or DEFAULT_LEAD_DAYS


def _planned(series: Consultation, after: datetime, before: datetime) -> list[datetime]:
    return starts_between(series.recurrence, series.deadline, app_zone(), after, before)


def due_periods(series: Consultation, now: datetime) -> list[datetime]:
    """Deadlines whose round should be open now: still ahead, and at most `lead_days` away."""
    return [p for p in _planned(series, now, now + timedelta(days=series.lead_days or DEFAULT_LEAD_DAYS)) if p > now]


def open_round(series: Consultation, period: datetime, now: datetime) -> Consultation | None:
    """The round of one period, sent to those asked; None when it exists already (here or in a racing
    scheduler: the unique key refuses the second insert inside a savepoint)."""
    from meetings.consultations import notices

    if db.session.scalar(select(Consultation.id).where(Consultation.series_id == series.id,
                                                       Consultation.period == period)):
        return None
    try:
        with db.session.begin_nested():
            round_ = Consultation(title=series.title, status="sent", deadline=period, series_id=series.id,
                                  period=period, meeting_id=series.meeting_id, task_id=series.task_id,
                                  created_by_id=series.created_by_id, created_at=now, sent_at=now, version=1,
                                  carrier_id=carrier.new_carrier(series.title, series.created_by, now).id)
            round_.questions = [Question(position=q.position, kind=q.kind, text=q.text, options=list(q.options))
                                for q in series.questions]
            round_.recipients = [Recipient(user_id=r.user_id, unit_id=r.unit_id) for r in series.recipients]
            db.session.add(round_)
    except IntegrityError:
        return None
    notices.tell_sent(round_, now)
    return round_


def open_due(series: Consultation, now: datetime) -> list[Consultation]:
    return [r for r in (open_round(series, p, now) for p in due_periods(series, now)) if r is not None]


def open_all_due(now: datetime) -> int:
    """The scheduler's sweep: every started periodic report's due rounds, one transaction each."""
    opened = 0
    for series_id in list(db.session.scalars(select(Consultation.id).where(Consultation.status == "recurring")
                                             .order_by(Consultation.id))):
        series = db.session.get(Consultation, series_id)
        opened += len(open_due(series, now))
        db.session.commit()
    return opened


def rounds(series: Consultation) -> list[Consultation]:
    return list(db.session.scalars(select(Consultation).where(Consultation.series_id == series.id)
                                   .order_by(Consultation.period)))


def cell(recipient: Recipient | None, round_: Consultation, now: datetime) -> str:
    """on_time (first sent by the period's deadline), late (sent after it, once extended), missing
    (the deadline passed unanswered), pending (still open), or "" when the unit was not asked."""
    if recipient is None:
        return ""
    first = next((v.submitted_at for v in recipient.versions if v.submitted_at is not None), None)
    if first is not None:
        return "on_time" if first <= round_.period else "late"
    return "pending" if now < round_.deadline and round_.status == "sent" else "missing"


def table(series: Consultation, user, now: datetime) -> dict:
    """Per unit (or person) asked and per period: on time, late, missing, pending. A manager sees every
    row; someone asked sees only their own (a unit's members their unit's)."""
    found = rounds(series)
    manages = access.can_manage(user, series)
    mine = {(r.user_id, r.unit_id) for r in access.recipients_of(user, series)}
    rows = []
    for asked in series.recipients:
        key = (asked.user_id, asked.unit_id)
        if not manages and key not in mine:
            continue
        cells = []
        for round_ in found:
            recipient = next((r for r in round_.recipients if (r.user_id, r.unit_id) == key), None)
            cells.append({"consultation_id": round_.id, "status": cell(recipient, round_, now),
                          "submitted_at": _iso(_first(recipient))})
        name = asked.user.name if asked.user_id else asked.unit.name
        rows.append({"user_id": asked.user_id, "unit_id": asked.unit_id, "name": name, "cells": cells})
    return {"consultation_id": series.id, "recurrence": series.recurrence,
            "periods": [{"consultation_id": r.id, "period": _iso(r.period), "deadline": _iso(r.deadline),
                         "status": r.status} for r in found],
            "rows": rows}


def _first(recipient: Recipient | None):
    if recipient is None:
        return None
    return next((v.submitted_at for v in recipient.versions if v.submitted_at is not None), None)


def _iso(moment):
    return moment.isoformat() if moment else None
