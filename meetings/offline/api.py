"""/api/v1/me/briefcase: what this device may keep for offline reading (the service worker asks on
every reconnect, naming what it holds, and deletes whatever the answer leaves out)."""
from flask import current_app, g, request

from meetings.api import bp
from meetings.offline import api_docs  # noqa: F401  (registers the OpenAPI paths)
from meetings.offline.briefcase import listing
from meetings.offline.present import kept_json
from meetings.timeutil import now_utc
from meetings.validation import MAX_ID


def held_ids(raw: str | None) -> list[int]:
    """"12,15": the meetings the device holds. The form is checked against the API document first;
    an id that cannot exist is simply not held."""
    ids = [int(part) for part in (raw or "").split(",") if part.strip().isdigit()]
    return list(dict.fromkeys(i for i in ids if 1 <= i <= MAX_ID))


@bp.get("/me/briefcase")
def my_briefcase():
    user, keep_days = g.api_user, current_app.config["OFFLINE_KEEP_DAYS"]
    found = listing(user, now_utc(), held_ids(request.args.get("held")), keep_days)
    return {"days": user.offline_days, "keep_days": keep_days, "meetings": [kept_json(e, user) for e in found]}
