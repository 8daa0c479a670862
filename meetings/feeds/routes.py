"""Feed URLs (no sign-in: the token is the credential) and the profile page's feed actions."""
import segno
from flask import Response, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from meetings.calendar.access import can_manage_calendar
from meetings.directory.models import User
from meetings.errors import ServiceError
from meetings.extensions import db
from meetings.feeds import bp, tokens
from meetings.feeds.cache import body_for
from meetings.feeds.selection import FeedSpec
from meetings.timeutil import now_utc
from meetings.web import carries_secret

# Private feeds: any cache must ask us again (cheap: a 304); the public one may be reused briefly.
PRIVATE_CACHE, PUBLIC_CACHE = "private, no-cache", "public, max-age=300, must-revalidate"


def respond(spec: FeedSpec, cache_control: str, token_state: tuple = ()):
    body = body_for(spec, now_utc(), token_state)
    response = Response(body.data, content_type="text/calendar; charset=utf-8")
    response.set_etag(body.etag)
    response.last_modified = body.last_modified
    response.headers["Cache-Control"] = cache_control
    response.headers["X-Robots-Tag"] = "noindex"  # a secret URL pasted somewhere public stays out of search
    return response.make_conditional(request)


@bp.route("/feeds/public.ics", methods=["GET", "HEAD"])
def public_feed():
    return respond(FeedSpec("public"), PUBLIC_CACHE)


@bp.route("/feeds/<token>.ics", methods=["GET", "HEAD"])
def feed(token: str):
    found = tokens.find(token)
    if found is None:
        abort(404)
    owner = db.session.get(User, found.user_id)
    spec = FeedSpec(found.kind, found.target_id, owner)
    return respond(spec, PRIVATE_CACHE, (found.token_hash, found.rotated_at))


def feed_urls(feed) -> dict:
    carries_secret()  # the address is the credential
    url = url_for("feeds.feed", token=tokens.token_of(feed), _external=True)
    return {"url": url, "webcal": "webcal://" + url.split("://", 1)[1]}


@bp.post("/feeds/manage/<key>/rotate")
@login_required
def rotate(key: str):
    try:
        tokens.rotate(current_user, key, now_utc())
    except ServiceError as exc:
        flash(exc.message, "error")
    else:
        flash(_("New feed address issued. The old address no longer works."), "success")
    return redirect(url_for("auth.profile", _anchor="feeds"))


@bp.post("/feeds/manage/<key>/revoke")
@login_required
def revoke(key: str):
    try:
        tokens.revoke(current_user, key, now_utc())
    except ServiceError as exc:
        flash(exc.message, "error")
    else:
        flash(_("Feed address revoked."), "success")
    return redirect(url_for("auth.profile", _anchor="feeds"))



@bp.app_template_global()
def feed_list() -> list[dict]:
    """The signed-in user's feeds for the profile page (issued on the first visit)."""
    found = []
    for ref, feed in tokens.feeds_of(current_user, now_utc()):
        urls = feed_urls(feed)
        # Server-side SVG: no script, no CDN, and the CSP's ban on inline styles holds (segno uses attributes).
        qr = segno.make(urls["webcal"], error="m").svg_inline(scale=4, light="#fff", title=ref.name)
        found.append({"key": ref.key, "name": ref.name, "revoked": feed.revoked_at is not None, "qr_svg": qr,
                      **urls})
    return found


@bp.app_template_global()
def can_import_ics() -> bool:
    return can_manage_calendar(current_user)
