"""The live part of a meeting's state ("live" in GET /api/v1/meetings/ID and the join acknowledgement)."""
from sqlalchemy import select

from meetings.dossiers.access import can_see_document
from meetings.dossiers.models import Document
from meetings.dossiers.present import EXTRAS
from meetings.extensions import db
from meetings.live import access, votes
from meetings.live.models import CheckIn, ItemTiming, Notice, PresenterPage
from meetings.live.presence import connected_users
from meetings.live.speaking import queue_json
from meetings.timeutil import now_utc

NOTICES_SHOWN = 20


def presenter_json(page: PresenterPage | None, user) -> dict | None:
    """What the presenter shows. A screen whose user may not read that document gets no document and
    page, only that someone presents (it shows "not yours to read" instead of following)."""
    if page is None or not page.document_id:
        return None
    document = db.session.get(Document, page.document_id)
    if document is None or not can_see_document(user, document):
        return {"presenter_id": page.presenter_id, "document_id": None, "page": None, "zoom": None}
    return {"presenter_id": page.presenter_id, "document_id": page.document_id, "page": page.page,
            "zoom": page.zoom or 1}


def live_json(meeting, user) -> dict:
    runner = access.can_run_meeting(user, meeting)
    timings = {t.agenda_item_id: t for t in db.session.scalars(
        select(ItemTiming).where(ItemTiming.meeting_id == meeting.id))}
    current = timings.get(meeting.current_item_id)
    page = db.session.get(PresenterPage, meeting.id)
    notices = list(db.session.scalars(select(Notice).where(Notice.meeting_id == meeting.id)
                                      .order_by(Notice.id.desc()).limit(NOTICES_SHOWN)))
    vote_rows = []
    for vote in votes.meeting_votes(meeting.id):
        row = votes.vote_json(vote)
        row["my_choice"] = votes.my_choice(vote, user.id)
        if runner and vote.status == "open":
            row["counts"] = votes.counts(vote)  # the chair's live count
        vote_rows.append(row)
    return {"live": {
        "can_run": runner, "can_vote": access.can_vote(user, meeting), "can_present": access.can_present(user, meeting),
        "can_post_notice": access.can_post_notice(user, meeting),
        "current": {"item_id": meeting.current_item_id, "started_at": current.started_at.isoformat(),
                    "duration_minutes": next((i.duration_minutes for i in meeting.agenda
                                              if i.id == meeting.current_item_id), None)} if current else None,
        "timings": {str(k): {"started_at": t.started_at.isoformat(),
                             "ended_at": t.ended_at.isoformat() if t.ended_at else None} for k, t in timings.items()},
        "check_ins": {str(c.user_id): {"status": c.status, "reason": c.reason} for c in db.session.scalars(
            select(CheckIn).where(CheckIn.meeting_id == meeting.id))},
        "connected": sorted(connected_users(meeting.id, now_utc())),
        "speaking": queue_json(meeting.id),
        "votes": vote_rows,
        "notices": [{"id": n.id, "text": n.text, "at": n.at.isoformat()} for n in reversed(notices)],
        "presenter": presenter_json(page, user),
    }}


EXTRAS.append(live_json)
