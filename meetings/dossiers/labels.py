"""The words the pages show for stored codes (statuses, roles, attendance), translated."""
from flask_babel import lazy_gettext as _l

from meetings.dossiers import bp

LABELS = {
    "draft": _l("Draft"), "published": _l("Published"), "in_progress": _l("Meeting in progress"), "ended": _l("Ended"),
    "chair": _l("Chair"), "secretary": _l("Secretary"), "member": _l("Member"), "guest": _l("Guest"),
    "invited": _l("Invited"), "accepted": _l("Accepted"), "declined": _l("Declined"), "present": _l("Present"),
    "absent": _l("Absent"),
    "pending": _l("Pending"), "current": _l("Being discussed"), "done": _l("Done"), "skipped": _l("Skipped"),
    "view": _l("Opened"), "download": _l("Downloaded"), "dossier": _l("Downloaded with the dossier"),
    "page_view": _l("Viewed"),
    "new": _l("New"), "updated": _l("Updated"),
}


# A participant's answer before the meeting (None: not yet); apart from LABELS, whose "accepted" and
# "declined" are the secretary's attendance record and read differently.
RSVP_LABELS = {"accepted": _l("Will attend"), "declined": _l("Will not attend"), "delegated": _l("Sends a delegate"),
               None: _l("Not answered")}


@bp.app_template_filter("rsvp_label")
def rsvp_label(code: str | None) -> str:
    return str(RSVP_LABELS.get(code, code))


@bp.app_template_filter("label")
def label(code: str) -> str:
    return str(LABELS.get(code, code))
