"""The meeting page's attendance forms: a participant's answer, the secretary's reminder. Thin: the
rules are in dossiers/rsvp.py; refusals come back as messages on the page."""
from flask import request
from flask_babel import gettext as _
from flask_login import current_user, login_required

from meetings.dossiers import bp, rsvp
from meetings.dossiers.routes import _act
from meetings.timeutil import now_utc


@bp.post("/<int:meeting_id>/rsvp")
@login_required
def answer(meeting_id: int):
    data = {"response": request.form.get("response"), "reason": request.form.get("reason"),
            "delegate_id": request.form.get("delegate_id")}
    return _act(meeting_id, "rsvp", lambda: rsvp.answer(meeting_id, data, current_user, now_utc()),
                _("Your answer has been sent to the meeting's secretary."))


@bp.post("/<int:meeting_id>/rsvp/reminders")
@login_required
def remind(meeting_id: int):
    return _act(meeting_id, "rsvp-summary", lambda: rsvp.remind(meeting_id, current_user, now_utc()), _reminded)


def _reminded(result: dict) -> str:
    message = _("Reminded %(n)d people who have not answered.", n=len(result["reminded"]))
    if result["skipped"]:
        message += " " + _("%(n)d were reminded less than an hour ago.", n=result["skipped"])
    return message
