"""The layout's shared parts: home page, error pages (HTML or JSON), security headers, template globals."""
from contextlib import contextmanager
from types import SimpleNamespace

from flask import (Blueprint, Flask, abort, current_app, flash, g, has_request_context, jsonify,
                   render_template, request, url_for)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from werkzeug.exceptions import HTTPException

from meetings.auth.permissions import can_manage_directory
from meetings.errors import ServiceError, ValidationFailed

bp = Blueprint("web", __name__)

# The main navigation. A feature fills in its endpoint when it arrives; until then it shows as "soon".
NAV_ITEMS = [
    {"key": "calendar", "label": _l("Work calendar"), "endpoint": None, "blueprint": "calendar",
     "description": _l("The leaders' weekly schedule, revisions and the public page.")},
    {"key": "meetings", "label": _l("Meetings"), "endpoint": None, "blueprint": "dossiers",
     "description": _l("Agenda, participants and the dossier of documents for each meeting.")},
    {"key": "tasks", "label": _l("Tasks"), "endpoint": None, "blueprint": "tasks",
     "description": _l("Conclusions of meetings and their follow-up.")},
    {"key": "consultations", "label": _l("Opinions"), "endpoint": None, "blueprint": "consultations",
     "description": _l("Written opinions on drafts, with a deadline and a summary.")},
]


def set_nav_endpoint(key: str, endpoint: str) -> None:
    for item in NAV_ITEMS:
        if item["key"] == key:
            item["endpoint"] = endpoint

# Everything is served from this origin: the intranet has no CDN and scripts may not be injected.
# The reader's pdf.js runs its worker from /static/vendor/pdfjs (worker-src 'self'), with eval off
# (isEvalSupported: false) and WebAssembly off (useWasm: false), so neither 'unsafe-eval' nor
# 'wasm-unsafe-eval' is granted; its fonts are FontFace objects made from bytes, not font URLs.
CSP = ("default-src 'self'; script-src 'self'; worker-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
       "font-src 'self'; connect-src 'self' ws: wss:; frame-ancestors 'none'; base-uri 'self'; "
       "form-action 'self'; object-src 'none'")


def link_to(endpoint: str, external: bool = False, **values) -> str:
    """url_for that also works in the scheduler and the CLI, where there is no request: links
    then start from MEETINGS_BASE_URL, the address people reach the app at."""
    if has_request_context():
        return url_for(endpoint, _external=external, **values)
    with current_app.test_request_context(base_url=current_app.config["MEETINGS_BASE_URL"]):
        return url_for(endpoint, _external=external, **values)


@bp.get("/")
@login_required
def home():
    from meetings.home.routes import page  # the home gathers every feature, which import this module

    return page()


@bp.get("/healthz")
def health():
    return {"status": "ok"}


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


ERROR_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
               405: "method_not_allowed", 409: "conflict", 413: "too_large", 415: "unsupported_media_type",
               422: "invalid", 429: "too_many_requests", 500: "server_error"}


def error_messages() -> dict[int, str]:
    return {
        400: _("The request could not be understood."),
        401: _("Sign in first."),
        403: _("You do not have permission to see this page."),
        404: _("This page does not exist, or you may not see it."),
        405: _("This action is not allowed here."),
        409: _("This was changed by someone else in the meantime."),
        413: _("The file is too large."),
        415: _("This kind of file is not accepted."),
        422: _("Some fields are not valid."),
        429: _("Too many attempts. Wait a moment and try again."),
        500: _("Something went wrong on our side. Your change was not saved."),
    }


def error_response(status: int, message: str | None = None, **extra):
    """The error answer, JSON or page, with the request's id: what a person quotes to the operator,
    who finds the same id in the log line of that request."""
    from meetings.ops.logs import request_id

    message = message or error_messages().get(status, _("Error"))
    if wants_json():
        body = {"code": extra.pop("code", None) or ERROR_CODES.get(status, "error"), "message": message, **extra,
                "request_id": request_id()}
        return jsonify(error=body), status
    return render_template("errors/error.html", status=status, message=message, request_id=request_id()), status


@contextmanager
def flashed_errors():
    """A form post whose page redirects back: what the user can mend (invalid fields, a stale edit, a
    refused step) is flashed; a missing object or a refusal to this user is the 404 or 403 page, as
    for a link. `.ok` tells whether the service call went through.

        with flashed_errors() as saved:
            service(...)
        if saved.ok:
            flash(_("Saved."), "success")
    """
    outcome = SimpleNamespace(ok=False)
    try:
        yield outcome
    except ValidationFailed as exc:
        flash(" ".join(exc.fields.values()), "error")
    except ServiceError as exc:
        if exc.status in (403, 404):
            abort(exc.status)
        flash(exc.message, "error")
    else:
        outcome.ok = True


def _handle_http(exc: HTTPException):
    if exc.code in (None, 200) or exc.code < 400:
        return exc
    if exc.code == 429:
        return error_response(429)
    response = error_response(exc.code)
    if exc.code == 405 and getattr(exc, "valid_methods", None):
        # RFC 9110: a 405 says which methods the resource has.
        body, status = response
        return body, status, {"Allow": ", ".join(exc.valid_methods)}
    return response


def _handle_service_error(exc: ServiceError):
    """A service's refusal outside a blueprint's own handler (e.g. from `meetings.inputs`): the same
    JSON error shape as the API's, or the error page with each field's reason."""
    if wants_json():
        return service_error_response(exc)
    return with_retry_after(error_response(exc.status, exc.summary()), exc)


def service_error_response(exc: ServiceError):
    """The JSON answer to a refusal; a "try again later" (503) says when, in Retry-After."""
    return with_retry_after(error_response(exc.status, exc.message, code=exc.code, **exc.details), exc)


def with_retry_after(response, exc: ServiceError):
    retry_after = getattr(exc, "retry_after", None)
    if retry_after is None:
        return response
    body, status = response
    return body, status, {"Retry-After": str(retry_after)}


def _handle_unexpected(exc: Exception):
    from meetings.extensions import db

    db.session.rollback()
    import logging

    logging.getLogger(__name__).exception("unhandled error")
    return error_response(500)


def carries_secret() -> None:
    """Whatever puts a credential (an API token, a feed address) into the response calls this: the
    response then says Cache-Control: no-store, so no browser cache, proxy or "back" button keeps it.
    Marked where the secret is made into text (feed_urls, the new-token page), so no route forgets."""
    if has_request_context():
        g.carries_secret = True


def _security_headers(response):
    if g.get("carries_secret"):
        response.headers["Cache-Control"] = "no-store"
        response.headers["Pragma"] = "no-cache"  # HTTP/1.0 caches on the way
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("Content-Security-Policy", CSP)
    return response


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.register_error_handler(HTTPException, _handle_http)
    app.register_error_handler(ServiceError, _handle_service_error)
    if not app.config.get("TESTING") or app.config.get("HANDLE_ERRORS"):
        app.register_error_handler(Exception, _handle_unexpected)
    app.after_request(_security_headers)

    @app.context_processor
    def layout_globals():
        from meetings.directory.services import organisation_name

        from meetings.timeutil import app_zone, now_utc

        from meetings.notify.services import unread_count

        unread = unread_count(current_user) if current_user.is_authenticated else 0
        return {"organisation_name": organisation_name(), "nav_items": NAV_ITEMS, "unread_notifications": unread,
                "today": now_utc().astimezone(app_zone()).date(),
                "can_manage_directory": can_manage_directory(current_user)}
