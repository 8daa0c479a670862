"""How a meeting stands on the leaders' calendars: its entry's leaders follow its participants.

The chair (chủ trì) is a participant with the role "chair"; when that person is a leader, they are
the entry's chairing leader. Every other leader who takes part is a leader of the entry (dự). The
people who are not leaders are the entry's participants. A published entry's change goes on its
record like any calendar edit (history, SEQUENCE, the week's revision, the feeds' listeners).
"""
from datetime import datetime

from flask_babel import gettext as _

from meetings.calendar import history, hooks
from meetings.calendar import services as calendar
from meetings.directory.models import User
from meetings.extensions import db
from meetings.timeutil import app_zone
from meetings.validation import Fields


def is_leader(user: User | None) -> bool:
    return user is not None and user.active and user.role == "leader"


def read_chair_and_leaders(fields: Fields) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """`chair_id` (a leader) and `leader_ids` of POST /api/v1/meetings as participants with roles:
    the chair, then the leaders as members (a role given in `participants` comes before theirs)."""
    chair_id = fields.integer("chair_id")
    if chair_id is not None and not is_leader(db.session.get(User, chair_id)):
        fields.fail("chair_id", _("The chair must be an active leader."))
        chair_id = None
    raw = fields.data.get("leader_ids") or []
    raw = raw if isinstance(raw, list) else [raw]
    people = [(chair_id, "chair")] if chair_id else []
    for value in raw:
        try:
            user_id = int(value)
        except (TypeError, ValueError):
            fields.fail("leader_ids", _("Expected a list of ids."))
            continue
        if not is_leader(db.session.get(User, user_id)):
            fields.fail("leader_ids", _("Only active leaders can be chosen as leaders."))
        elif user_id not in [p for p, _role in people]:
            people.append((user_id, "member"))
    return people[:1] if chair_id else [], people[1:] if chair_id else people


def entry_values(people: list[tuple[int, str]]) -> dict:
    """The entry's leaders (the chair first, then by rank) and participants from (user id, role) pairs."""
    users = [(db.session.get(User, user_id), role) for user_id, role in people]
    leaders = [(u, role) for u, role in users if is_leader(u)]
    chair = next((u.id for u, role in leaders if role == "chair"), None)
    leaders.sort(key=lambda pair: (pair[0].id != chair, pair[0].rank, pair[0].name))
    return {"leader_ids": [u.id for u, _role in leaders], "chair_id": chair,
            "participant_ids": [u.id for u, _role in users if u is not None and not is_leader(u)]}


def _mark_chair(event, chair_id: int | None) -> None:
    # The calendar makes its first leader the chair when none is named; a meeting without a chosen
    # chair has leaders who attend (dự), and nobody is shown as chairing it.
    for link in event.leaders:
        link.role = "chair" if link.user_id == chair_id else "attend"


def sync_calendar(meeting, actor, now: datetime) -> dict:
    """Bring the entry in step with the meeting's people, inside the caller's transaction.

    Returns the entry's changed fields. A visible entry's change is recorded as the calendar records
    its own edits, so feeds, invitations and "changes since revision N" learn of a new chair.
    """
    event = meeting.event
    zone = app_zone()
    before, before_span = history.describe(event, zone), (event.span_start, event.span_end)
    was_visible = calendar.is_visible(event.status)
    values = entry_values([(p.user_id, p.role) for p in meeting.participants])
    calendar.apply_values(event, {**values, "participant_unit_ids": event.participant_unit_ids})
    _mark_chair(event, values["chair_id"])
    calendar.refresh_derived(event)
    db.session.flush()
    changes = calendar.finish_change(event, before, before_span, history.new_batch(),
                                     actor.id if actor else None, now, was_visible)
    if changes:
        event.version += 1
        hooks.entry_changed(event, changes, actor, now)
    return changes
