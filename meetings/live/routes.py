"""The live room page: a skeleton the browser fills from the join acknowledgement and the pushes."""
from flask import abort, render_template
from flask_babel import gettext as _
from flask_login import current_user, login_required

from meetings.dossiers.services import get_meeting
from meetings.errors import NotFound
from meetings.live import access, bp


def strings() -> dict:
    """Every word live-meeting.js shows, translated here so the script holds no text of its own."""
    return {
        "yes": _("Yes"), "no": _("No"), "abstain": _("Abstain"), "vote": _("Vote"), "secret": _("Secret ballot"),
        "open_ballot": _("Open ballot"), "close_vote": _("Close the vote"), "result": _("Result"),
        "voters": _("voted"), "your_choice": _("Your choice"), "live_count": _("Live count"),
        "ask": _("Ask to speak"), "withdraw": _("Withdraw"), "grant": _("Give the floor"), "finish": _("End turn"),
        "up": _("Move up"), "speaking": _("Now speaking"), "waiting": _("Waiting"),
        "in_person": _("In person"), "online": _("Online"), "absent": _("Absent"), "not_yet": _("Not yet checked in"),
        "reason": _("Reason for absence"), "connected": _("connected"), "planned": _("planned"),
        "minutes": _("min"), "elapsed": _("elapsed"), "no_current": _("No item is being discussed."),
        "next": _("Next item"), "make_current": _("Discuss now"), "new": _("New"), "updated": _("Updated"),
        "present": _("Show to everyone"), "page": _("Page"), "prev_page": _("Previous page"),
        "next_page": _("Next page"),
        "reconnecting": _("Reconnecting…"), "live": _("Live"), "no_access": _("You cannot join this meeting."),
        "not_yours": _("This document is not among those you may read."),
        # The answers given before the meeting, beside the day's check-in.
        "rsvp_declined": _("Will not attend"), "rsvp_delegated": _("Sends a delegate"),
        "in_place_of": _("in place of %(name)s", name="{name}"),
        "nobody_presents": _("Nobody is presenting a document."),
        "presents": _("%(name)s is presenting", name="{name}"),
        "refused": _("That did not go through."),
        "attendance_count": _("%(present)s/%(total)s present", present="{present}", total="{total}"),
        "not_checked_in": _("You have not checked in yet."), "you_are": _("You are checked in:"),
        # The secretaries see uploads being checked by the worker, and refusals with their reason.
        "being_checked": _("Being checked"), "refused_upload": _("Refused: %(reason)s", reason="{reason}"),
    }


def desk(user, meeting) -> dict:
    """What this screen may show: each control is in the page only for the role that may use it."""
    participant = any(p.user_id == user.id for p in meeting.participants)
    return {
        "role": access.room_desk(user, meeting), "can_run": access.can_run_meeting(user, meeting),
        "can_vote": access.can_vote(user, meeting), "can_speak": access.can_speak(user, meeting),
        "may_present": access.may_present_today(user, meeting),
        "can_post_notice": access.can_post_notice(user, meeting),
        "can_check_in_anyone": access.can_check_in_anyone(user, meeting), "participant": participant,
    }


@bp.get("/<int:meeting_id>/live")
@login_required
def room(meeting_id: int):
    try:
        meeting = get_meeting(meeting_id, current_user)
    except NotFound:
        abort(404)
    return render_template("live/room.html", meeting=meeting, event=meeting.event, strings=strings(),
                           desk=desk(current_user, meeting))
