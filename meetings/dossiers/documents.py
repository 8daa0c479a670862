"""Documents of a dossier: upload (checked, sanitised, indexed), new versions, who may read them.

An upload is answered at once: the cheap checks refuse it on the spot, otherwise the document is
kept in state "processing" and the worker checks, converts, sanitises and indexes it (see
background.py), then makes it "ready" or "refused" with the reason. Files are written under
temporary names and moved into place only after the commit (see storage.Staged).
"""
import secrets
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _

from meetings.dossiers import announce, convert, office, storage
from meetings.dossiers.access import can_see_document
from meetings.dossiers.cache import document_sha
from meetings.dossiers.errors import too_large
from meetings.dossiers.intake import intake
from meetings.dossiers.models import (ACCESS_LEVELS, AUDIENCES, Document, DocumentPage, DocumentReader,
                                      DocumentVersion, Meeting)
from meetings.dossiers.pdf import check_bytes
from meetings.dossiers.services import changed, check_version, lock_meeting, managed_meeting
from meetings.errors import NotFound, ValidationFailed
from meetings.extensions import db
from meetings.realtime import publish, user_room
from meetings.downloads import clean_filename
from meetings.text import fold_vietnamese, normalise
from meetings.validation import Fields, as_id


def received(data: bytes | None, filename: str) -> str:
    """The checks that need no parsing, answered at once: the file's kind ("pdf", "docx", ...).

    `data` is None when no file was sent: the services call this after their access check, so that
    whoever may not upload is refused (403/404) before being told what the form lacks. Opening,
    page counting, conversion and sanitising happen in the worker (background.process_upload).
    """
    if data is None:
        raise ValidationFailed({"file": _("Choose a file to upload.")})
    max_bytes = current_app.config["DOSSIER_MAX_BYTES"]
    if len(data) > max_bytes:  # before looking inside: an office file is unpacked to be recognised
        raise too_large(len(data), max_bytes)
    fmt = office.recognise(data, filename)  # refuses a password-protected or broken office file at once
    if fmt:
        return fmt.ext
    check_bytes(data, max_bytes)
    return "pdf"


def accept_upload(data: bytes, ext: str, progress=None):
    """The intake result of a received file (in the worker): an office file is converted by LibreOffice
    first, then goes through the same intake as an uploaded PDF."""
    config = current_app.config
    limits = dict(max_bytes=config["DOSSIER_MAX_BYTES"], max_pages=config["DOSSIER_MAX_PAGES"])
    if ext != "pdf":
        pdf = convert.to_pdf(data, office.by_extension(ext), convert.find_soffice(config.get("MEETINGS_SOFFICE")),
                             convert.Limits(timeout=config["DOSSIER_CONVERT_SECONDS"],
                                            memory=config["DOSSIER_CONVERT_MEMORY_MB"] * 1024 * 1024))
    else:
        pdf = data
    if progress:
        progress(10)
    return intake(pdf, progress=progress, **limits)


def _title_from(filename: str) -> str:
    return normalise(Path(filename or "").stem.replace("_", " "))[:500] or _("Document")


def _read_settings(meeting: Meeting, data: dict, document: Document | None = None) -> dict:
    fields, values = Fields(data), {}
    if fields.present("title") and data.get("title") not in (None, ""):
        values["title"] = fields.string("title", max_length=500)
    if fields.present("agenda_item_id"):
        values["agenda_item_id"] = fields.integer("agenda_item_id")
        if values["agenda_item_id"] and values["agenda_item_id"] not in {i.id for i in meeting.agenda}:
            fields.fail("agenda_item_id", _("No such agenda item in this meeting."))
    if fields.present("audience"):
        values["audience"] = fields.choice("audience", AUDIENCES, required=True)
    if fields.present("access"):
        values["access"] = fields.choice("access", ACCESS_LEVELS, required=True)
    elif fields.present("read_only"):  # clients from before the three levels: read-only meant `app`
        values["access"] = "app" if fields.boolean("read_only") else "download"
    if fields.present("reader_ids"):
        raw = data.get("reader_ids") or []
        ids = [as_id(v) for v in raw] if isinstance(raw, list) else [None]
        people = {p.user_id for p in meeting.participants}
        if None in ids or not set(ids) <= people:
            fields.fail("reader_ids", _("Choose readers among the meeting's participants."))
        values["reader_ids"] = sorted(set(ids or []))
    fields.raise_if_errors()
    return values


def _apply_settings(document: Document, values: dict) -> None:
    for name in ("title", "agenda_item_id", "audience", "access"):
        if name in values:
            setattr(document, name, values[name])
    if "reader_ids" in values:
        keep = {r.user_id: r for r in document.readers}
        document.readers = [keep.get(i) or DocumentReader(user_id=i) for i in values["reader_ids"]]


def _add_version(document: Document, accepted, ext: str, original: bytes, filename: str, actor, now,
                 files: storage.Staged) -> DocumentVersion:
    number = max((v.number for v in document.versions), default=0) + 1
    version = DocumentVersion(number=number, pages=accepted.pages, size=len(accepted.pdf),
                              sha256=document_sha(accepted.pdf), filename=clean_filename(filename, "document.pdf"),
                              original_ext=ext, created_at=now, created_by_id=actor.id if actor else None)
    document.versions.append(version)
    document.current_version, document.pages = number, accepted.pages
    db.session.flush()
    db.session.add_all(DocumentPage(version_id=version.id, page=n, text=text, folded=fold_vietnamese(text))
                       for n, text in enumerate(accepted.texts, start=1))
    meeting_id = document.meeting_id
    files.add(storage.pdf_path(meeting_id, document.id, number), accepted.pdf)
    files.add(storage.original_path(meeting_id, document.id, number, ext), original)
    return version


def upload(meeting_id: int, data: bytes | None, filename: str, settings: dict, actor, now: datetime) -> Document:
    """A new document in the meeting (or under an agenda item), in state "processing" until the worker
    has checked it; a file refused at once (missing, empty, too large, not a PDF) raises PdfRejected."""
    meeting = managed_meeting(meeting_id, actor, lock=False)
    values = _read_settings(meeting, settings)
    ext = received(data, filename)  # before any lock or row
    meeting = managed_meeting(meeting_id, actor)
    check_version(meeting, settings.get("version"), actor)
    document = Document(title=values.pop("title", None) or _title_from(filename), audience="all", access="download",
                        position=max((d.position for d in meeting.documents), default=-1) + 1, created_at=now,
                        current_version=0, state="processing", progress=0)
    meeting.documents.append(document)
    _apply_settings(document, values)
    db.session.flush()
    return _hand_to_worker(meeting, document, data, ext, filename, actor, now)


def _hand_to_worker(meeting: Meeting, document: Document, data: bytes, ext: str, filename: str, actor,
                    now: datetime) -> Document:
    """Keep the received file beside the document in state "processing", commit, and queue its intake."""
    from meetings.dossiers import background

    token = secrets.token_hex(8)
    with _staged_transaction() as files:
        files.add(storage.incoming_path(meeting.id, document.id, token, ext), data)
        background.announce_state(document)
    background.queue_intake(document.id, token, ext, filename, actor.id if actor else None, now)
    db.session.expire_all()  # in immediate mode (tests) the job has run and changed the rows
    return db.session.get(Document, document.id)


@contextmanager
def _staged_transaction():
    """One transaction with its files: files move into place only with the commit, and a failure
    anywhere leaves neither rows nor files behind."""
    files = storage.Staged()
    try:
        yield files
        with files.committing():
            db.session.commit()
    except BaseException:
        files.discard()
        db.session.rollback()
        raise


def managed_document(document_id: int, actor) -> tuple[Meeting, Document]:
    document = db.session.get(Document, document_id)
    if document is None or not can_see_document(actor, document):
        raise NotFound(_("No such document."))
    meeting = managed_meeting(document.meeting_id, actor)
    return meeting, db.session.get(Document, document_id)


def add_version(document_id: int, data: bytes | None, filename: str, actor, now: datetime, version=None) -> Document:
    """A new content for a document: once the worker has accepted it, it becomes current (old versions
    stay) and every reader sees the document marked "updated"; until then readers keep the old one."""
    meeting, document = managed_document(document_id, actor)
    ext = received(data, filename)
    check_version(meeting, version, actor)
    document.state, document.progress, document.refusal_code, document.refusal_reason = "processing", 0, None, None
    return _hand_to_worker(meeting, document, data, ext, filename, actor, now)


def finish_version(document: Document, accepted, ext: str, original: bytes, filename: str, actor,
                   now: datetime) -> DocumentVersion:
    """The worker's last step, in one transaction with its files: the checked upload becomes the
    document's current version, announced to every reader."""
    from meetings.dossiers import background

    meeting = document.meeting
    lock_meeting(meeting)
    first = document.current_version == 0
    with _staged_transaction() as files:
        added = _add_version(document, accepted, ext, original, filename, actor, now, files)
        document.state, document.progress, document.refusal_code, document.refusal_reason = "ready", 100, None, None
        kind = "document_added" if first else "document_updated"
        changed(meeting, kind, {"document_id": document.id, "version": added.number}, now)
        announce.document_added(document, now, updated=not first)
        background.announce_state(document)
    return added


def update_document(document_id: int, data: dict, actor, now: datetime) -> Document:
    meeting, document = managed_document(document_id, actor)
    check_version(meeting, data.get("version"), actor)
    values = _read_settings(meeting, data, document)
    readers_before = _readers(meeting, document)
    _apply_settings(document, values)
    db.session.flush()
    changed(meeting, "document_changed", {"document_id": document.id, "fields": sorted(values)}, now)
    for user_id in readers_before - _readers(meeting, document):
        # Only the screens that lost the document hear it: its id means nothing to the others.
        publish("document_revoked", {"meeting_id": meeting.id, "document_id": document.id,
                                     "version": meeting.version}, room=user_room(user_id))
    db.session.commit()
    return document


def _readers(meeting: Meeting, document: Document) -> set[int]:
    db.session.expire(document, ["readers"])
    return {p.user_id for p in meeting.participants if can_see_document(p.user, document)}


def delete_document(document_id: int, actor, now: datetime, version=None) -> None:
    meeting, document = managed_document(document_id, actor)
    check_version(meeting, version, actor)
    meeting.documents.remove(document)
    changed(meeting, "document_removed", {"document_id": document_id}, now)
    db.session.commit()
    storage.remove_document_files(meeting.id, document_id)
