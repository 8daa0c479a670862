"""/api/v1 routes of the live room. Thin: parse, call a service with the caller and now, answer JSON."""
from flask import g, request

from meetings.api import bp
from meetings.api.routes import json_body
from meetings.live import api_docs, speaking, votes  # noqa: F401  (api_docs registers the paths)
from meetings.live import services as live
from meetings.timeutil import now_utc


def _body() -> dict:
    return json_body() if request.content_length else {}


@bp.post("/meetings/<int:meeting_id>/current")
def set_current_item(meeting_id: int):
    # The change as pushed, not the whole meeting: the room's screens already get it, and building
    # the full state cost more server time than the change itself (bench/live_broadcast.py).
    return live.set_current(meeting_id, json_body(), g.api_user, now_utc())


@bp.post("/meetings/<int:meeting_id>/check-ins/<int:user_id>")
def check_in(meeting_id: int, user_id: int):
    row = live.check_in(meeting_id, user_id, json_body(), g.api_user, now_utc())
    return {"user_id": row.user_id, "status": row.status, "reason": row.reason}


@bp.post("/meetings/<int:meeting_id>/notices")
def post_notice(meeting_id: int):
    notice = live.post_notice(meeting_id, json_body(), g.api_user, now_utc())
    return {"id": notice.id, "text": notice.text}, 201


@bp.post("/meetings/<int:meeting_id>/presenter")
def turn_page(meeting_id: int):
    row = live.turn_page(meeting_id, json_body(), g.api_user, now_utc())
    return {"document_id": row.document_id, "page": row.page, "zoom": row.zoom}


@bp.post("/meetings/<int:meeting_id>/speaking")
def ask_to_speak(meeting_id: int):
    row = speaking.ask(meeting_id, g.api_user, now_utc())
    return {"id": row.id, "status": row.status}, 201


@bp.put("/meetings/<int:meeting_id>/speaking/order")
def order_speakers(meeting_id: int):
    speaking.reorder(meeting_id, json_body(), g.api_user, now_utc())
    return {"queue": speaking.queue_json(meeting_id)}


@bp.delete("/meetings/<int:meeting_id>/speaking/<int:request_id>")
def withdraw_request(meeting_id: int, request_id: int):
    speaking.withdraw(meeting_id, request_id, g.api_user, now_utc())
    return "", 204


@bp.post("/meetings/<int:meeting_id>/speaking/<int:request_id>/grant")
def grant_floor(meeting_id: int, request_id: int):
    speaking.grant(meeting_id, request_id, g.api_user, now_utc())
    return {"queue": speaking.queue_json(meeting_id)}


@bp.post("/meetings/<int:meeting_id>/speaking/<int:request_id>/finish")
def finish_turn(meeting_id: int, request_id: int):
    speaking.finish(meeting_id, request_id, g.api_user, now_utc())
    return {"queue": speaking.queue_json(meeting_id)}


@bp.post("/meetings/<int:meeting_id>/votes")
def open_vote(meeting_id: int):
    vote = votes.open_vote(meeting_id, json_body(), g.api_user, now_utc())
    return votes.vote_json(vote), 201


@bp.post("/votes/<int:vote_id>/ballot")
def cast_ballot(vote_id: int):
    return votes.cast(vote_id, json_body(), g.api_user, now_utc())


@bp.post("/votes/<int:vote_id>/close")
def close_vote(vote_id: int):
    return votes.vote_json(votes.close(vote_id, g.api_user, now_utc()))
