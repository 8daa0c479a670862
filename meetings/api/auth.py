"""Who is calling the API: a bearer token, or the browser's session (then CSRF applies to writes)."""
from flask import current_app, g, request
from flask_babel import gettext as _
from flask_login import current_user

from meetings.api import bp
from meetings.auth.services import user_for_token
from meetings.errors import ServiceError
from meetings.extensions import csrf
from meetings.timeutil import now_utc
from meetings.web import error_response, service_error_response

PUBLIC_ENDPOINTS = {"api.openapi"}
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}

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


@bp.errorhandler(ServiceError)
def service_error(exc: ServiceError):
    return service_error_response(exc)
