"""A reader's personal stamp (dấu cá nhân): name, unit and the time it was first issued, the same lines
on the stamped copy and on every page image of a document that never reaches the device as a file.

The time is fixed at the first issue (the first view, download or advance preparation) and kept,
so a page drawn today and one drawn next week for the same reader show the same stamp.
"""
import os
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from meetings.dossiers import drawing, seen_once, storage
from meetings.dossiers.access import can_fetch_personal_copy, gets_stamped_images
from meetings.dossiers.cache import cache_key, shared_picture_key
from meetings.dossiers.models import Document, DocumentAccess, DocumentStamp, DocumentVersion
from meetings.dossiers.pages import THUMBNAIL_WIDTH
from meetings.extensions import db
from meetings.timeutil import app_zone, as_utc, format_datetime, to_local

# Made ahead for each reader of a restricted document: the first pages at the widths tablets ask for
# (1024 px at a screen scale of 1, 2048 at 2) and their thumbnails.
PREPARED_PAGES = 3
PREPARED_WIDTHS = (1024, 2048)
# Page 1 at this width for each reader of a document pdf.js draws: shown while pdf.js starts on a
# tablet that does not have it yet (meetings/reader/routes.py).
PREVIEW_WIDTH = 1024


def stamp_lines(user, issued_at: datetime) -> list[str]:
    return list(_lines(user.name, user.unit.name if user.unit else "", issued_at, app_zone()))


def issued_at(version: DocumentVersion, user, now: datetime) -> datetime:
    """When this reader's stamp on `version` was first issued; issued now if never. Never changes once
    issued, so it is remembered (the sha guards against an id reused after a deletion)."""
    key = ("stamp", version.id, version.sha256, user.id)
    found = seen_once.known(key) or _issued(version.id, user.id)
    if found is None:
        db.session.add(DocumentStamp(version_id=version.id, user_id=user.id, issued_at=now))
        try:
            db.session.commit()
            found = now
        except IntegrityError:  # another request of the same reader issued it a moment ago: take theirs
            db.session.rollback()
            found = _issued(version.id, user.id)
    seen_once.remember(key, found)
    return found


def remember_issue(version: DocumentVersion, user_id: int, issued: datetime) -> None:
    """The stamp's time as read from the database by someone else (meetings.dossiers.snapshot)."""
    seen_once.remember(("stamp", version.id, version.sha256, user_id), issued)


def personal_stamp(version: DocumentVersion, user, now: datetime) -> tuple[str, ...]:
    return _lines(user.name, user.unit.name if user.unit else "", issued_at(version, user, now), app_zone())


@lru_cache(maxsize=4096)
def _lines(name: str, unit: str, issued: datetime, zone: ZoneInfo) -> tuple[str, ...]:
    """Name, unit and the stamp's time, formatted once per reader, time and the office's zone: every
    page turn asks for them."""
    return (name, unit, format_datetime(issued, zone))


def _issued(version_id: int, user_id: int) -> datetime | None:
    return db.session.scalar(select(DocumentStamp.issued_at).where(DocumentStamp.version_id == version_id,
                                                                   DocumentStamp.user_id == user_id))


def log_page_view(document: Document, version: DocumentVersion, user, page: int, now: datetime) -> None:
    """Record that `user` looked at `page` of a restricted document: once per page and office day."""
    day = to_local(now).replace(hour=0, minute=0, second=0, microsecond=0, tzinfo=None)
    key = ("page_view", document.id, version.number, user.id, page, day)
    if seen_once.known(key):  # the next page turns of the day ask nothing
        return
    since, until = as_utc(day), as_utc(day + timedelta(days=1))
    seen = db.session.scalar(select(DocumentAccess.id).where(
        DocumentAccess.document_id == document.id, DocumentAccess.user_id == user.id,
        DocumentAccess.action == "page_view", DocumentAccess.version == version.number,
        DocumentAccess.page == page, DocumentAccess.at >= since, DocumentAccess.at < until).limit(1))
    if seen is None:
        seen_once.commit_record(DocumentAccess, {"document_id": document.id, "version": version.number,
                                                 "user_id": user.id, "action": "page_view", "page": page, "at": now})
    seen_once.remember(key)


def copy_file(document: Document, version: DocumentVersion, lines: tuple[str, ...], user_id: int
              ) -> tuple[str, str, os.stat_result]:
    """The cache key, path and stat of one reader's stamped PDF of `version`, made now (in a drawing
    process, the connection given back first) if missing."""
    key = copy_key(version, lines, user_id)
    meeting_id, document_id, number = document.meeting_id, document.id, version.number

    def make() -> bytes:  # only on a miss: a cached read builds no path
        return drawing.copy(storage.pdf_path(meeting_id, document_id, number), lines)

    path, stat = storage.cache().ensure(key, make, on_miss=release_connection)
    return key, path, stat


def copy_key(version: DocumentVersion, lines: tuple[str, ...], user_id: int) -> str:
    return _copy_key(version.sha256, user_id, lines)


@lru_cache(maxsize=16384)  # asked on every byte range of every reading
def _copy_key(sha: str, user_id: int, lines: tuple[str, ...]) -> str:
    return cache_key("copy", sha, user_id, lines)


def stamped_picture(document: Document, version: DocumentVersion, page: int, lines: tuple[str, ...], user_id: int,
                    width: int = 1024, fmt: str = "jpeg", small: bool = False
                    ) -> tuple[str, Callable[[], tuple[Path, os.stat_result]]]:
    """One reader's page image (or thumbnail) of `version`: its key, known without touching the file
    (a 304 needs nothing more), and a function finding it in the cache or drawing it now."""
    key = _key(version, page, lines, user_id, width, fmt, small)
    width, quality = (THUMBNAIL_WIDTH, 70) if small else (width, None)
    meeting_id, document_id, number, sha = document.meeting_id, document.id, version.number, version.sha256

    def draw() -> bytes:  # only on a miss: a cached read builds no path
        source = storage.pdf_path(meeting_id, document_id, number)
        return drawing.stamped(source, sha, page, width, lines, fmt, quality)

    return key, lambda: storage.cache().ensure(key, draw, on_miss=release_connection)


def release_connection() -> None:
    """Give the database connection back to the pool before drawing or waiting for another maker: 300
    readers at once outnumber the pool (5 + 10), and a drawing must not hold what cached reads need.

    What the request loaded stays as it was, not expired: reloading the document, its version and the
    user after the drawing (to log the view) cost three queries, ~3 ms of a page's 7 ms in the web
    process. The access decision was made on those rows before; nothing after this decides again."""
    session = db.session()
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = True


def _key(version: DocumentVersion, page: int, lines: tuple[str, ...], user_id: int, width: int, fmt: str,
         small: bool) -> str:
    return _stamped_key(version.sha256, page, lines, user_id, width, fmt, small)


@lru_cache(maxsize=65536)  # keys of a page turn's reader, page and width: a hash, not worth making again
def _stamped_key(sha: str, page: int, lines: tuple[str, ...], user_id: int, width: int, fmt: str, small: bool) -> str:
    if small:
        return cache_key("stamped-thumb", sha, page, THUMBNAIL_WIDTH, "jpeg", user_id, lines)
    return cache_key("stamped", sha, page, width, fmt, user_id, lines)


def prepare_document(document: Document, now: datetime) -> int:
    """Every participant's stamped copy of `document`, or their stamped first pages when they may not keep
    it, made now so that nobody waits for them when the meeting starts. Returns how many files were made;
    what is in the cache already is only looked at, so running it twice costs a look."""
    version = document.latest
    if version is None:
        return 0
    made = 0
    shared_preview = False
    # Reader by reader: their stamp is drawn once for each width, and the few drawn pages stay in memory.
    for reader in [p.user for p in document.meeting.participants]:
        if can_fetch_personal_copy(reader, document):  # kept or drawn by pdf.js in the app
            lines = personal_stamp(version, reader, now)
            if not storage.cache().has(copy_key(version, lines, reader.id)):
                copy_file(document, version, lines, reader.id)
                made += 1
            # Page 1's image, shown while pdf.js starts on a tablet that does not have it yet
            # (reader/routes.py page_one_preview): the reader's own stamped one where images are
            # stamped for them (`app`), else the shared one, made once.
            if gets_stamped_images(reader, document):
                made += _prepare_pages(document, version, reader, lines, pages=1, widths=(PREVIEW_WIDTH,),
                                       thumbnails=False)
            elif not shared_preview:
                shared_preview = True
                made += _prepare_shared_page(document, version, 1, PREVIEW_WIDTH)
        elif gets_stamped_images(reader, document):  # `screen`: page images only
            made += _prepare_pages(document, version, reader, personal_stamp(version, reader, now))
    return made


def _prepare_shared_page(document: Document, version: DocumentVersion, page: int, width: int) -> int:
    """The unstamped page image that readers who may download share (reading.page_picture's key)."""
    key = shared_picture_key(version.sha256, page, width)
    if storage.cache().has(key):
        return 0
    source, sha = storage.pdf_path(document.meeting_id, document.id, version.number), version.sha256
    storage.cache().ensure(key, lambda: drawing.page(source, sha, page, width, "jpeg", False))
    return 1


def _prepare_pages(document: Document, version: DocumentVersion, reader, lines: tuple[str, ...],
                   pages: int = PREPARED_PAGES, widths: tuple[int, ...] = PREPARED_WIDTHS,
                   thumbnails: bool = True) -> int:
    made = 0
    for page in range(1, min(pages, version.pages) + 1):
        for width, small in [(w, False) for w in widths] + ([(THUMBNAIL_WIDTH, True)] if thumbnails else []):
            if not storage.cache().has(_key(version, page, lines, reader.id, width, "jpeg", small)):
                _key_made, locate = stamped_picture(document, version, page, lines, reader.id, width, "jpeg", small)
                locate()
                made += 1
    return made
