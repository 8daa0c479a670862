"""Meetings and their dossiers (hồ sơ họp): agenda, participants, documents with access rules, and the
PDF engine underneath (pure functions over bytes: intake, stamping, pages, textindex, dossier)."""
from flask import Blueprint

bp = Blueprint("dossiers", __name__, url_prefix="/meetings")


@bp.record_once
def _limits(state) -> None:
    # A request carries the file plus the multipart envelope: leave room above the document limit.
    config = state.app.config
    config["MAX_CONTENT_LENGTH"] = max(config.get("MAX_CONTENT_LENGTH") or 0, config["DOSSIER_MAX_BYTES"] + 1_000_000)


from meetings.dossiers import api, document_routes, jobs, routes, rsvp_api, rsvp_routes  # noqa: E402,F401
