"""Who may see and do what with conclusions and tasks. Pages, API, reports, CSV, PDF, file
downloads and reminders all ask here.

Tasks (one function, `task_rights`):
- secretaries and admins see every task and manage it: create, assign, edit, decide extensions,
  cancel;
- the responsible unit's members and the assignee work on it: progress, done, ask for more time;
- a leader sees the tasks they gave (directly, or from a meeting they chaired);
- members of a cooperating unit see the task (they must know what they help with);
- nobody else sees it: to them it does not exist (404).
`visible_tasks` is the same rule as SQL, for lists; a test holds the two together.

Conclusions (one function, `conclusion_rights`): for a meeting with a dossier, whoever may see
the meeting (dossiers.access.can_see_meeting) and its leaders read its conclusions, everyone else
gets 404 on every method; for a plain calendar entry, whoever may see the entry in full. The
office's secretaries and admins who manage the meeting record them.

Minutes (biên bản, `minutes_rights`): whoever may see the meeting (its participants, once it is
published, and those who manage it) reads them; those who manage the meeting (the office's
secretaries, the meeting's own secretary, admins) generate and edit the draft; the meeting's chair
(chủ trì) approves; either of them reopens an approved text. Everyone else gets 404.

The conclusion notice (one function, `notice_rights`): the meeting's managers (admins, the office's
secretaries, the meeting's own secretary; as for the dossier) prepare, preview and issue it; once
issued, the meeting's participants and leaders, the members of the units it is sent to and its
signer read it; nobody else learns that it exists (404), and a draft is the managers' alone.
"""
from dataclasses import dataclass

from sqlalchemy import false, or_, select, true

from meetings.calendar.access import can_see_entry
from meetings.calendar.models import Event, EventLeader
from meetings.directory.models import User
from meetings.dossiers.access import can_manage_meeting, can_see_meeting, participation
from meetings.dossiers.models import Meeting
from meetings.extensions import db
from meetings.tasks.models import ConclusionNotice, Task, TaskCooperatingUnit

MANAGERS = ("admin", "secretary")


@dataclass(frozen=True)
class Rights:
    see: bool = False
    work: bool = False  # report progress, mark done, ask for an extension
    manage: bool = False  # create, edit, decide extensions, cancel (or record conclusions)


NONE = Rights()


def _signed_in(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.active)


def can_manage_tasks(user: User | None) -> bool:
    """Create tasks and record conclusions: what needs no particular task to ask about."""
    return _signed_in(user) and user.role in MANAGERS


def _chaired(user: User, meeting: Event | None) -> bool:
    return meeting is not None and any(link.user_id == user.id and link.role == "chair"
                                       for link in meeting.leaders)


def task_rights(user: User | None, task: Task) -> Rights:
    if not _signed_in(user):
        return NONE
    work = user.id == task.assignee_id or (user.unit_id is not None and user.unit_id == task.unit_id)
    manage = user.role in MANAGERS
    see = (manage or work or task.leader_id == user.id or _chaired(user, task.meeting)
           or (user.unit_id is not None and user.unit_id in task.cooperating_unit_ids))
    return Rights(see=see, work=work, manage=manage)


def visible_tasks(user: User | None):
    """A WHERE clause selecting exactly the tasks for which task_rights(user, task).see holds."""
    if not _signed_in(user):
        return false()
    if user.role in MANAGERS:
        return true()
    chaired = select(EventLeader.event_id).where(EventLeader.user_id == user.id, EventLeader.role == "chair")
    clauses = [Task.assignee_id == user.id, Task.leader_id == user.id, Task.meeting_id.in_(chaired)]
    if user.unit_id is not None:
        cooperating = select(TaskCooperatingUnit.task_id).where(TaskCooperatingUnit.unit_id == user.unit_id)
        clauses += [Task.unit_id == user.unit_id, Task.id.in_(cooperating)]
    return or_(*clauses)


def conclusion_rights(user: User | None, meeting: Event) -> Rights:
    """An entry with a dossier is a meeting: its conclusions follow the meeting's own rule
    (can_see_meeting), so whoever gets 404 on the meeting gets 404 on its conclusions, on every
    method. Its leaders (who gave the conclusions) read them too. A plain calendar entry follows
    the calendar's rule, as the entry itself does."""
    if not _signed_in(user):
        return NONE
    dossier = db.session.get(Meeting, meeting.id)
    if dossier is None:
        if not can_see_entry(user, meeting):
            return NONE
        return Rights(see=True, manage=user.role in MANAGERS)
    leads = user.id in meeting.leader_ids and can_see_entry(user, meeting)
    if not (can_see_meeting(user, dossier) or leads):
        return NONE
    return Rights(see=True, manage=user.role in MANAGERS and can_manage_meeting(user, dossier))


@dataclass(frozen=True)
class MinutesRights:
    read: bool = False
    edit: bool = False  # generate, edit and regenerate the draft
    approve: bool = False

    @property
    def reopen(self) -> bool:
        return self.edit or self.approve


def minutes_rights(user: User | None, meeting) -> MinutesRights:
    """`meeting` is the dossiers' Meeting (the minutes come from its record)."""
    if not _signed_in(user) or not can_see_meeting(user, meeting):
        return MinutesRights()
    part = participation(user, meeting)
    return MinutesRights(read=True, edit=can_manage_meeting(user, meeting),
                         approve=part is not None and part.role == "chair")


def notice_rights(user: User | None, meeting: Event, notice: ConclusionNotice | None) -> Rights:
    """see: read the issued notice; manage: prepare, preview and issue it."""
    if not _signed_in(user):
        return NONE
    dossier = db.session.get(Meeting, meeting.id)
    if dossier is not None:
        manage = can_manage_meeting(user, dossier)
    else:  # an entry without a dossier: whoever may record its conclusions
        manage = user.role in MANAGERS and can_see_entry(user, meeting)
    if manage:
        return Rights(see=True, manage=True)
    if notice is None or notice.status != "issued":
        return NONE
    takes_part = (dossier is not None and participation(user, dossier) is not None) \
        or any(link.user_id == user.id for link in meeting.leaders)
    receives = user.unit_id is not None and user.unit_id in notice.recipient_unit_ids
    return Rights(see=takes_part or receives or notice.signer_id == user.id)
