"""Who may do what in the live room: one function per action, used by the API and the socket handlers.

Seeing the room is dossiers.access.can_see_meeting; these add the roles of the meeting itself.
"""
from meetings.dossiers.access import can_manage_meeting, can_see_meeting, participation


def can_join_room(user, meeting) -> bool:
    return can_see_meeting(user, meeting)


def can_run_meeting(user, meeting) -> bool:
    """The chair (chủ trì) and the secretaries move the agenda, grant the floor and hold votes."""
    if can_manage_meeting(user, meeting):
        return True
    part = participation(user, meeting)
    return part is not None and part.role == "chair" and can_see_meeting(user, meeting)


def can_vote(user, meeting) -> bool:
    """Members and the chair vote; guests (khách mời) and office staff who are not participants do not."""
    part = participation(user, meeting)
    return part is not None and part.role in ("chair", "member", "secretary") and can_see_meeting(user, meeting)


def can_speak(user, meeting) -> bool:
    return participation(user, meeting) is not None and can_see_meeting(user, meeting)


def can_check_in(user, meeting, user_id: int) -> bool:
    """Participants check themselves in; the secretaries check anyone in."""
    if can_manage_meeting(user, meeting):
        return True
    return user.id == user_id and participation(user, meeting) is not None and can_see_meeting(user, meeting)


def can_present(user, meeting) -> bool:
    """Whoever runs the meeting, or the presenter of the item under discussion."""
    if can_run_meeting(user, meeting):
        return True
    current = next((i for i in meeting.agenda if i.id == meeting.current_item_id), None)
    return current is not None and current.presenter_id == user.id and can_see_meeting(user, meeting)


def can_post_notice(user, meeting) -> bool:
    return can_manage_meeting(user, meeting)


def can_check_in_anyone(user, meeting) -> bool:
    """The attendance console (điểm danh hộ): the meeting's secretaries."""
    return can_manage_meeting(user, meeting)


def may_present_today(user, meeting) -> bool:
    """Whether the room gives this screen the presenter's page controls at all: those who run the
    meeting, and the presenters of its items (their controls wake when their item is under discussion)."""
    if can_run_meeting(user, meeting):
        return True
    return can_see_meeting(user, meeting) and any(i.presenter_id == user.id for i in meeting.agenda)


def room_desk(user, meeting) -> str:
    """Which screen of the room this user gets: the secretaries' full console ("secretary"), the chair's
    tablet ("chair": the item, the floor, the votes, the presenter), or a participant's ("member")."""
    if can_manage_meeting(user, meeting):
        return "secretary"
    if can_run_meeting(user, meeting):
        return "chair"
    return "member"
