"""Who may see and change calendar entries. Pages, API, search, print and feeds all ask here.

Three answers for seeing: the whole entry, a busy block ("Bận": time and leaders, no content),
or nothing at all.
"""
from enum import Enum

from meetings.calendar.models import Event
from meetings.directory.models import User

MANAGERS = ("admin", "secretary")


class Access(Enum):
    NONE = 0
    BUSY = 1
    FULL = 2


def _signed_in(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.active)


def can_manage_calendar(user: User | None) -> bool:
    """Secretaries and admins draft, publish, move and cancel entries."""
    return _signed_in(user) and user.role in MANAGERS


def takes_part(user: User, event: Event) -> bool:
    """A leader of the entry, a participant in person, or a member of a participating unit."""
    if user.id in event.leader_ids or user.id in event.participant_ids:
        return True
    return user.unit_id is not None and user.unit_id in event.participant_unit_ids


def entry_access(user: User | None, event: Event) -> Access:
    if not _signed_in(user):
        public = event.visibility == "public" and event.status != "draft"
        return Access.FULL if public else Access.NONE
    if can_manage_calendar(user):
        return Access.FULL
    if event.status == "draft":
        return Access.FULL if takes_part(user, event) or event.created_by_id == user.id else Access.NONE
    if event.visibility == "confidential" and not takes_part(user, event):
        return Access.BUSY
    return Access.FULL


def can_see_entry(user: User | None, event: Event) -> bool:
    """May the user see this entry's content (not just that the time is taken)?"""
    return entry_access(user, event) is Access.FULL


def can_edit_entry(user: User | None, event: Event | None = None) -> bool:
    return can_manage_calendar(user)


def can_print_week(user: User | None) -> bool:
    return _signed_in(user)
