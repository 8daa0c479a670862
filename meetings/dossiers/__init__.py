"""Meetings and their dossiers (hồ sơ họp): agenda, participants, documents with access rules, and the
PDF engine underneath (pure functions over bytes: intake, stamping, pages, textindex, dossier)."""
from flask import Blueprint

bp = Blueprint("dossiers", __name__, url_prefix="/meetings")


@bp.record_once
def _limits(state) -> None:
    # A request carries the file plus the multipart envelope: leave room above the document limit.
    config = state.app.config
    config["MAX_CONTENT_LENGTH"] = max(config.get("MAX_CONTENT_LENGTH") or 0, config["DOSSIER_MAX_BYTES"] + 1_000_000)


@bp.record_once
def _say_if_office_files_will_be_refused(state) -> None:
    # Said once at start-up rather than discovered by the first secretary who uploads a .docx.
    from meetings.dossiers.convert import find_soffice
    from meetings.dossiers.office import ACCEPT, CONVERTED_EXTENSIONS

    state.app.jinja_env.globals.update(upload_accept=ACCEPT, converted_extensions=" ".join(CONVERTED_EXTENSIONS))
    if find_soffice(state.app.config.get("MEETINGS_SOFFICE")) is None:
        state.app.logger.warning(
            "LibreOffice (soffice) is not installed: Word, Excel, PowerPoint and OpenDocument uploads will be "
            "refused until it is (README: Office files).")


from meetings.dossiers import api, document_routes, jobs, routes, rsvp_api, rsvp_routes  # noqa: E402,F401
