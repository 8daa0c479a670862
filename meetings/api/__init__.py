"""The JSON API under /api/v1: bearer tokens (or the browser session), JSON errors, OpenAPI."""
from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

# Reads that check the caller in the same query as what they read (meetings.dossiers.snapshot):
# api.auth takes only the credential from the request, and the route sets g.api_user. GETs only, so
# there is no CSRF to check. Here, beside bp, so that a feature's routes can mark themselves without
# importing api.auth (which imports the auth feature, an import cycle).
CREDENTIAL_ONLY: set[str] = set()


def credential_only(view):
    """Mark a GET route of this blueprint as checking g.api_credential itself (see CREDENTIAL_ONLY)."""
    CREDENTIAL_ONLY.add(f"{bp.name}.{view.__name__}")
    return view


from meetings.api import auth, query_check, routes  # noqa: E402,F401
