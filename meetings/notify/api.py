"""/api/v1/me/notifications: the caller's notifications and marking them read."""
from flask import g, request
from flask_babel import gettext as _

from meetings.api import bp
from meetings.api.openapi import _INT, _OPT_STR, _STR, ids, op, query, ref, register
from meetings.api.routes import json_body
from meetings.errors import ValidationFailed
from meetings.notify import services
from meetings.timeutil import now_utc
from meetings.validation import json_id


def notification_json(item) -> dict:
    return {"id": item.id, "kind": item.kind, "title": item.title, "url": item.url,
            "created_at": item.created_at.isoformat(), "read": item.read_at is not None}


@bp.get("/me/notifications")
def my_notifications():
    limit = min(max(request.args.get("limit", 50, type=int) or 50, 1), 200)
    return {"notifications": [notification_json(n) for n in services.recent(g.api_user, limit)],
            "unread": services.unread_count(g.api_user)}


@bp.post("/me/notifications/read")
def mark_read():
    body = json_body()
    ids = body.get("ids")
    if ids is not None:
        ids = [json_id(i) for i in ids] if isinstance(ids, list) else [None]
        if None in ids:  # also for ids no row can have: the query would overflow
            raise ValidationFailed({"ids": _("Expected a list of ids.")})
    marked = services.mark_read(g.api_user, ids, now_utc())
    return {"marked": marked, "unread": services.unread_count(g.api_user)}


register(
    {
        "/api/v1/me/notifications": {"get": op(
            "My latest notifications and the unread count",
            {"type": "object", "properties": {"notifications": {"type": "array", "items": ref("Notification")},
                                              "unread": _INT}},
            params=[query("limit", {"type": "integer", "minimum": 1, "maximum": 200}, "default 50")])},
        "/api/v1/me/notifications/read": {"post": op(
            "Mark notifications read (all of mine when ids is absent)",
            {"type": "object", "properties": {"marked": _INT, "unread": _INT}},
            body={"type": "object", "properties": {"ids": ids()}},
            errors=("401", "415", "422"))},
    },
    {"Notification": {"type": "object", "properties": {
        "id": _INT, "kind": _STR, "title": _STR, "url": _OPT_STR, "created_at": _STR, "read": {"type": "boolean"}}}},
)
