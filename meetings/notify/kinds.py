"""The kinds of notification, with their labels for the preferences page."""
from flask_babel import lazy_gettext as _l

KINDS = {
    "reminder": _l("Reminders before meetings and entries"),
    "schedule_change": _l("Changes to my schedule"),
    "meeting_published": _l("Invitations to meetings"),
    "meeting_started": _l("A meeting I take part in has started"),
    "digest": _l("Daily digest of tomorrow's schedule"),
    "document": _l("New or updated meeting documents"),
    "task": _l("Task deadlines"),
    "system": _l("Messages from the office"),
    "delegation": _l("Attending a meeting in someone's place"),
    "rsvp_reminder": _l("Reminders to confirm attendance"),
    "consultation": _l("Requests for my written opinion"),
}
CHANNELS = ("app", "email")
