"""Who is calling the API: a bearer token, or the browser's session (then CSRF applies to writes)."""
from flask import current_app, g, request, session
from flask_babel import gettext as _
from flask_login import current_user

from meetings.api import CREDENTIAL_ONLY, bp
from meetings.auth.services import Credential, user_for_token
from meetings.errors import ServiceError
from meetings.extensions import csrf, limiter
from meetings.timeutil import now_utc
from meetings.validation import as_id
from meetings.web import error_response, service_error_response

PUBLIC_ENDPOINTS = {"api.openapi"}
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


@limiter.request_filter
def _reads_skip_the_limiter() -> bool:
    """No limit applies to these reads (only sign-in is limited), so Flask-Limiter need not work out
    which limits apply on every page turn: it stops at this filter."""
    return request.endpoint in CREDENTIAL_ONLY


# Token callers carry no cookie, so CSRF cannot touch them; session callers are checked below.
csrf.exempt(bp)


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _sep, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


@bp.before_request
def authenticate():
    g.api_user = None
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    token = bearer_token()
    if request.endpoint in CREDENTIAL_ONLY and request.method in SAFE_METHODS:
        g.api_credential = _credential(token)
        if g.api_credential is None:
            return error_response(401, _("Send an API token: Authorization: Bearer TOKEN."), code="unauthorized")
        return None
    if token is not None or "Authorization" in request.headers:
        g.api_user = user_for_token(token or "", now_utc())
        if g.api_user is None:
            return error_response(401, _("The API token is missing, unknown or revoked."), code="invalid_token")
        return None
    if current_user.is_authenticated:
        if request.method not in SAFE_METHODS and current_app.config.get("WTF_CSRF_ENABLED", True):
            csrf.protect()
        g.api_user = current_user._get_current_object()
        return None
    return error_response(401, _("Send an API token: Authorization: Bearer TOKEN."), code="unauthorized")


def _credential(token: str | None) -> Credential | None:
    """The request's token, else its session's user (as Flask-Login's cookie id "id:session token"),
    unchecked; the session is only read, never written."""
    if token is not None or "Authorization" in request.headers:
        return Credential(token=token or "")
    user_id, _sep, session_token = str(session.get("_user_id") or "").partition(":")
    if as_id(user_id) is not None:
        return Credential(user_id=as_id(user_id), session_token=session_token)
    if current_user.is_authenticated:  # signed in by the remember-me cookie: Flask-Login has loaded them
        return Credential(user_id=current_user.id, session_token=current_user.session_token)
    return None


@bp.errorhandler(ServiceError)
def service_error(exc: ServiceError):
    return service_error_response(exc)
