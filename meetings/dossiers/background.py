"""The dossier's background jobs: an upload's intake, and personal copies and first pages made before
anyone asks (queued at publication, when a document becomes ready, and by the scheduler's sweep).

Both run in the worker process (`flask worker`), never in a web process, so no reader waits behind
MuPDF for a 2,000-page upload. Each receives ids and an ISO time and reads everything else itself.
"""
from datetime import datetime

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from meetings import jobs
from meetings.directory.models import User
from meetings.dossiers import storage
from meetings.dossiers.access import can_manage_meeting
from meetings.dossiers.errors import PdfRejected
from meetings.dossiers.models import Document, Meeting
from meetings.extensions import db
from meetings.realtime import publish, user_room

PREPARED_STATUSES = ("published", "in_progress")


def queue_intake(document_id: int, token: str, ext: str, filename: str, actor_id: int | None, now: datetime) -> None:
    jobs.enqueue("process_upload", document_id, token, ext, filename, actor_id, now.isoformat())


def announce_state(document: Document) -> None:
    """Tell the meeting's managers (on every screen: meeting page, live room) how the newest upload of
    `document` stands. Only them: a participant must not learn of a document before it is readable;
    they hear of it with the usual "document_added" change once it is ready."""
    message = state_json(document)
    for user_id in manager_ids(document.meeting):
        publish("document_state", message, room=user_room(user_id))


def manager_ids(meeting: Meeting) -> list[int]:
    """Whoever may manage the meeting: admins, the office's secretaries, the meeting's own secretary."""
    office = db.session.scalars(select(User).where(User.role.in_(("admin", "secretary")), User.active.is_(True)))
    people = {u.id: u for u in office} | {p.user_id: p.user for p in meeting.participants if p.role == "secretary"}
    return sorted(i for i, u in people.items() if can_manage_meeting(u, meeting))


def state_json(document: Document) -> dict:
    data = {"meeting_id": document.meeting_id, "document_id": document.id, "title": document.title,
            "state": document.state, "progress": document.progress, "version": document.current_version}
    if document.state == "refused":
        data["refusal"] = {"code": document.refusal_code, "message": document.refusal_reason}
    return data


@jobs.job("process_upload")
def process_upload(document_id: int, token: str, ext: str, filename: str, actor_id: int | None, at: str) -> str:
    """Check, convert, sanitise and index a received upload; the document becomes ready or refused."""
    from meetings.dossiers import documents

    now = datetime.fromisoformat(at)
    document = db.session.get(Document, document_id)
    if document is None:  # removed while it waited: nothing to do, nothing left behind
        return "gone"
    incoming = storage.incoming_path(document.meeting_id, document.id, token, ext)
    try:
        data = incoming.read_bytes()
    except FileNotFoundError:
        return "gone"
    actor = db.session.get(User, actor_id) if actor_id else None
    # Refusals are read by the uploader: in their language.
    locale = (actor.locale if actor else None) or current_app.config["BABEL_DEFAULT_LOCALE"]
    # Run inline (JOBS_IMMEDIATE), the upload's own request is still waiting: nobody to tell.
    progress = None if current_app.config.get("JOBS_IMMEDIATE") else (lambda percent: _progress(document, percent))
    try:
        with force_locale(locale):
            accepted = documents.accept_upload(data, ext, progress=progress)
        documents.finish_version(document, accepted, ext, data, filename, actor, now)
    except PdfRejected as refusal:
        _refuse(document_id, refusal.code, refusal.message)
        return "refused"
    except Exception:
        # Whatever broke (the database, the disk), the secretary must not watch "processing" forever.
        with force_locale(locale):
            _refuse(document_id, "processing_failed", _("The document could not be processed. Upload it again."))
        raise
    finally:
        incoming.unlink(missing_ok=True)
    meeting = db.session.get(Meeting, document.meeting_id)
    if meeting.status in PREPARED_STATUSES and current_app.config.get("JOBS_PREPARE_AHEAD", True):
        jobs.enqueue("prepare_document", document_id, at)
    return "ready"


def _refuse(document_id: int, code: str, message: str) -> None:
    db.session.rollback()
    document = db.session.get(Document, document_id)
    if document is None:
        return
    document.state, document.progress, document.refusal_code, document.refusal_reason = "refused", 100, code, message[:500]
    announce_state(document)
    db.session.commit()


def _progress(document: Document, percent: int) -> None:
    document.progress = percent
    announce_state(document)
    db.session.commit()


@jobs.job("prepare_copies")
def prepare_copies(meeting_id: int, at: str) -> int:
    """A published meeting's documents made ready for every participant: one job per document, so that
    the worker's processes share a meeting's work. Returns how many jobs it queued."""
    if not current_app.config.get("JOBS_PREPARE_AHEAD", True):
        return 0
    meeting = db.session.get(Meeting, meeting_id)
    if meeting is None or meeting.status not in PREPARED_STATUSES:
        return 0
    ids = [d.id for d in meeting.documents if d.readable]
    for document_id in ids:
        jobs.enqueue("prepare_document", document_id, at)
    return len(ids)


@jobs.job("prepare_document")
def prepare_document(document_id: int, at: str) -> int:
    """Every participant's stamped copy (or stamped first page images) of one document of a published
    meeting, and the shared first pages. Idempotent: what is made already is only looked at."""
    from meetings.dossiers import personal

    document = db.session.get(Document, document_id)
    if document is None or not document.readable or document.meeting.status not in PREPARED_STATUSES:
        return 0
    made = personal.prepare_document(document, datetime.fromisoformat(at))
    return made + prepare_shared_pages(db.session.get(Document, document_id))


def prepare_shared_pages(document: Document) -> int:
    """The first pages and thumbnails that readers who keep the file see unstamped (one set for all),
    at the widths tablets ask for, under the same keys reading.page_picture looks for."""
    from meetings.dossiers.cache import shared_picture_key
    from meetings.dossiers.pages import page_image, thumbnail
    from meetings.dossiers.personal import PREPARED_PAGES, PREPARED_WIDTHS

    version, made, cache = document.latest, 0, storage.cache()
    path, data = storage.pdf_path(document.meeting_id, document.id, version.number), []

    def pdf() -> bytes:  # read once, and only if some image is missing
        if not data:
            data.append(storage.read(path))
        return data[0]

    for page in range(1, min(PREPARED_PAGES, version.pages) + 1):
        wanted = [(shared_picture_key(version.sha256, page, w), lambda p=page, w=w: page_image(pdf(), p, w))
                  for w in PREPARED_WIDTHS]
        wanted.append((shared_picture_key(version.sha256, page, 1024, small=True), lambda p=page: thumbnail(pdf(), p)))
        for key, make in wanted:
            if not cache.has(key):
                cache.get_or_make(key, make)
                made += 1
    return made
