"""Reading a dossier: personal stamped copies, page images, the merged dossier, search, and the log of
who opened what. Each read goes through access.py first; the files come from storage and the cache."""
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from pathlib import Path

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from meetings.dossiers import agenda, drawing, seen_once, storage
from meetings.dossiers.access import (can_download_document, can_fetch_personal_copy, can_get_original,
                                      can_see_document, can_see_old_versions, gets_stamped_images)
from meetings.dossiers.cache import shared_picture_key
from meetings.dossiers.dossier import Cover, merge_dossier
from meetings.dossiers.models import Document, DocumentAccess, DocumentPage, DocumentVersion, Meeting
from meetings.dossiers.pages import MIME_TYPES, check_format, check_width
from meetings.dossiers.personal import (copy_file, copy_key, log_page_view, personal_stamp, release_connection,
                                        stamp_lines, stamped_picture)
from meetings.dossiers.services import get_meeting, my_meetings
from meetings.errors import Conflict, Forbidden, NotFound
from meetings.extensions import db
from meetings.timeutil import format_datetime


# What every access decision on a document reads: its meeting with the participants, and its versions,
# in one query (a page turn asked four times before: issue 18's cheap reads).
_FOR_ACCESS = (joinedload(Document.meeting).joinedload(Meeting.participants), joinedload(Document.versions))


def get_document(document_id: int, user, any_state: bool = False) -> Document:
    """A document the user may see, with a finished version (409 for its secretaries while the worker
    checks it or after it was refused). `any_state`: the secretaries' own doors (its page, settings,
    state, log), which show the progress or the refusal instead of the content."""
    return checked(db.session.get(Document, document_id, options=_FOR_ACCESS), user, any_state)


def checked(document, user, any_state: bool = False):
    """`document` (a model, or the one query's view of it: meetings.dossiers.snapshot) if the user may
    see it; the same refusals as get_document."""
    if document is None or not can_see_document(user, document):
        raise NotFound(_("No such document."))
    if not any_state and not document.readable:
        raise not_ready(document)
    return document


def version_of(document: Document, number: int | None, user) -> DocumentVersion:
    """The current version; an older one only for the meeting's secretaries. A document whose first
    upload is still in the worker (or was refused) has none: its secretaries are told why."""
    if not document.readable:
        raise not_ready(document)
    if number is None or number == document.current_version:
        return document.latest
    found = next((v for v in document.versions if v.number == number), None)
    if found is None or not can_see_old_versions(user, document):
        raise NotFound(_("No such version."))
    return found


def not_ready(document: Document) -> Conflict:
    if document.state == "refused":
        return Conflict(_("This document was refused: %(reason)s", reason=document.refusal_reason or ""),
                        state="refused", refusal_code=document.refusal_code)
    return Conflict(_("This document is still being checked (%(percent)s%%). It can be read when it is ready.",
                      percent=document.progress), state=document.state, progress=document.progress)


def version_pdf(document: Document, version: DocumentVersion) -> bytes:
    return storage.read(storage.pdf_path(document.meeting_id, document.id, version.number))


def remember_opened(document_id: int, number: int, user_id: int) -> None:
    """A view already in the log, as read by someone else (meetings.dossiers.snapshot)."""
    seen_once.remember(("opened", document_id, number, user_id))


def log(document: Document, number: int, user, action: str, now: datetime, once: bool = False) -> None:
    """Record a view or download; `once` skips a view already recorded (page images come in dozens)."""
    key = ("opened", document.id, number, user.id)
    # A document read through the snapshot's one query says whether this reader ever opened it; a model
    # does not, and the log is asked.
    if once and (seen_once.known(key) or (getattr(document, "unopened_version", None) != number and db.session.scalar(
            select(DocumentAccess.id).where(DocumentAccess.document_id == document.id,
                                            DocumentAccess.version == number,
                                            DocumentAccess.user_id == user.id).limit(1)))):
        seen_once.remember(key)
        return
    row = {"document_id": document.id, "version": number, "user_id": user.id, "action": action, "at": now}
    if once:  # a view, not a download: see commit_record
        seen_once.commit_record(DocumentAccess, row)
    else:
        db.session.add(DocumentAccess(**row))
        db.session.commit()
    seen_once.remember(key)


def personal_file(document_id: int, user, now: datetime, number: int | None = None, to_keep: bool = True,
                  logged: bool = True) -> tuple[bytes, str]:
    """The reader's own stamped PDF and a file name for it (the annotated export starts from it)."""
    copy = personal_copy_file(get_document(document_id, user), user, now, number, to_keep, logged)
    return Path(copy.locate()[0]).read_bytes(), copy.filename


def personal_copy_file(document, user, now: datetime, number: int | None = None, to_keep: bool = True,
                       logged: bool = True) -> "CachedFile":
    """The reader's own stamped PDF, in this host's cache (made now if missing), and a file name for it.

    `document` as checked() gives it. `to_keep`: asked for as a file (a download, the browser's own PDF
    viewer), which an `app` document refuses; the reader's pdf.js fetch asks with to_keep=False.
    `logged`: False for the second and later byte ranges of one reading, so that a range-by-range fetch
    is one line in the log."""
    allowed = can_download_document if to_keep else can_fetch_personal_copy
    if not allowed(user, document):
        raise Forbidden(_("This document may only be read in the app: it cannot be downloaded or printed."))
    version = version_of(document, number, user)
    lines = personal_stamp(version, user, now)
    if logged:
        log(document, version.number, user, "download" if to_keep else "view", now, once=not to_keep)
    suffix = f" (v{version.number})" if version.number > 1 else ""
    key = copy_key(version, lines, user.id)
    return CachedFile(key[:32], "application/pdf", True, lambda: copy_file(document, version, lines, user.id)[1:],
                      f"{document.title}{suffix}.pdf")


def original_file(document_id: int, user, number: int | None = None) -> tuple[bytes, str]:
    document = get_document(document_id, user)
    if not can_get_original(user, document):
        raise NotFound(_("No such document."))
    version = version_of(document, number, user)
    path = storage.original_path(document.meeting_id, document.id, version.number, version.original_ext)
    return storage.read(path), version.filename


@dataclass(frozen=True)
class CachedFile:
    """A generated file to answer with. Its ETag comes from its cache key, known before the file is
    touched, so a revalidation is answered without it; `locate` finds the file (path and stat) in this
    host's cache, or makes it."""

    etag: str
    mimetype: str
    personal: bool  # stamped for the one reader: a shared cache must not hand it to another
    locate: Callable[[], tuple[str, os.stat_result]]
    filename: str | None = None


def page_picture(document, page: int, user, now: datetime, width: int = 1024, fmt: str = "jpeg",
                 number: int | None = None, small: bool = False, logged: bool = True) -> CachedFile:
    """A page image for the reader (or a thumbnail) of `document` as checked() gives it, rendered once per
    version, page, width, format; for a reader who may not keep the document as a file, with that
    reader's stamp in the pixels."""
    version = version_of(document, number, user)
    if not 1 <= page <= version.pages:
        raise NotFound(_("There is no page %(number)s.", number=page))
    fmt = "jpeg" if small else fmt
    check_format(fmt)  # here, not where it is drawn: a child process's refusal would not come back as a 422
    if not small:
        check_width(width)
    stamped = gets_stamped_images(user, document)
    if stamped:
        key, locate = stamped_picture(document, version, page, personal_stamp(version, user, now), user.id, width,
                                      fmt, small)
        if not small and logged:
            log_page_view(document, version, user, page, now)
    else:
        key = shared_picture_key(version.sha256, page, width, fmt, small)
        meeting_id, document_id, number, sha = document.meeting_id, document.id, version.number, version.sha256

        def draw() -> bytes:  # only on a miss: a cached read builds no path
            return drawing.page(storage.pdf_path(meeting_id, document_id, number), sha, page, width, fmt, small)

        # The database connection goes back to the pool before the page is drawn (or another request's
        # drawing is waited for): 300 readers at once outnumber the pool.
        locate = partial(storage.cache().ensure, key, draw, on_miss=release_connection)
    if not small and logged:  # not when the offline briefcase fetches it ahead
        log(document, version.number, user, "view", now, once=True)
    return CachedFile(key[:32], MIME_TYPES[fmt], stamped, locate)


def dossier_file(meeting_id: int, user, now: datetime) -> tuple[bytes, str]:
    """The whole dossier as one PDF stamped for the downloader: only documents they may download."""
    meeting = get_meeting(meeting_id, user)
    included = [d for d in meeting.documents if d.readable and can_download_document(user, d)]
    numbers = agenda.numbering(meeting)
    items = [(item.title, [version_pdf(d, d.latest) for d in included if d.agenda_item_id == item.id])
             for item in agenda.ordered(meeting)]
    loose = [version_pdf(d, d.latest) for d in included if d.agenda_item_id is None]
    if loose:
        items.append((_("Other documents"), loose))
    event = meeting.event
    cover = Cover(title=event.title, when=format_datetime(event.start_at), room=event.room.name if event.room else "",
                  agenda=[f"{numbers[i.id]}. {i.title}" for i in agenda.ordered(meeting)])
    data = merge_dossier(cover, items, stamp_lines(user, now))
    for document in included:
        db.session.add(DocumentAccess(document_id=document.id, version=document.current_version, user_id=user.id,
                                      action="dossier", at=now))
    db.session.commit()
    return data, f"{event.title}.pdf"


@dataclass(frozen=True)
class Hit:
    meeting_id: int
    document_id: int
    title: str
    page: int
    snippet: str

    def to_json(self) -> dict:
        return {"meeting_id": self.meeting_id, "document_id": self.document_id, "title": self.title,
                "page": self.page, "snippet": self.snippet}


def search(user, q: str, meeting_id: int | None = None, limit: int = 200) -> list[Hit]:
    """Pages of the current versions matching `q` (diacritics ignored), only of documents the user may
    see, best first: the one search engine (meetings/search), documents only."""
    from meetings.search import present, services as search_services  # the search feature builds on dossiers

    if meeting_id:
        get_meeting(meeting_id, user)  # 404 first, whatever `q` is
    found = search_services.search(user, search_services.Criteria(q=q, kinds=("document",), meeting_id=meeting_id,
                                                                  limit=limit))
    return [Hit(hit.meeting_id, hit.id, hit.title, hit.page, hit.snippet) for hit in present.hits(found, user)]


def reading_state(meeting: Meeting, user) -> dict[int, str]:
    """Per document the user may see: "new" (never opened), "updated" (opened an older version only)."""
    opened: dict[int, int] = {}
    for document_id, version in db.session.execute(select(DocumentAccess.document_id, DocumentAccess.version).where(
            DocumentAccess.user_id == user.id,
            DocumentAccess.document_id.in_([d.id for d in meeting.documents]))):
        opened[document_id] = max(version, opened.get(document_id, 0))
    state = {}
    for document in meeting.documents:
        if document.id not in opened:
            state[document.id] = "new"
        elif opened[document.id] < document.current_version:
            state[document.id] = "updated"
    return state


def not_opened(meeting: Meeting) -> dict[int, list]:
    """For the secretary: per document, the participants who may read it and have not opened it yet."""
    opened = set(db.session.execute(select(DocumentAccess.document_id, DocumentAccess.user_id).where(
        DocumentAccess.document_id.in_([d.id for d in meeting.documents]))).all())
    return {d.id: [p for p in meeting.participants
                   if can_see_document(p.user, d) and (d.id, p.user_id) not in opened]
            for d in meeting.documents}


def access_log(document: Document) -> list[DocumentAccess]:
    return list(db.session.scalars(select(DocumentAccess).where(DocumentAccess.document_id == document.id)
                                   .order_by(DocumentAccess.at.desc(), DocumentAccess.id.desc())))
