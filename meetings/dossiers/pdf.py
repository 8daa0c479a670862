"""Opening PDFs we are given: the checks every upload passes, and the font that writes Vietnamese."""
import functools

import pymupdf

from meetings.dossiers import errors
from meetings.mupdf import LOCK, serialised

MAX_BYTES = 100 * 1024 * 1024
MAX_PAGES = 2000
# Readers accept the header anywhere in the first kilobyte; so do we, and no further.
HEADER_WINDOW = 1024


def check_bytes(data: bytes, max_bytes: int = MAX_BYTES) -> None:
    """The checks that need no parsing: empty, too large, no `%PDF-` header."""
    if not data:
        raise errors.empty()
    if len(data) > max_bytes:
        raise errors.too_large(len(data), max_bytes)
    if b"%PDF-" not in data[:HEADER_WINDOW]:
        raise errors.not_pdf()


@serialised
def open_checked(data: bytes, max_bytes: int = MAX_BYTES, max_pages: int = MAX_PAGES) -> pymupdf.Document:
    """Open an upload as a PDF or raise the reason it is refused; the caller closes the document."""
    check_bytes(data, max_bytes)
    try:
        doc = pymupdf.open(stream=data, filetype="pdf")
    except Exception as exc:  # MuPDF raises several types for damaged files; all mean the same here
        raise errors.broken() from exc
    try:
        # filetype="pdf" makes MuPDF parse anything as a PDF; is_pdf is its own verdict.
        if not doc.is_pdf:
            raise errors.not_pdf()
        # An owner-only password (restrictions, empty user password) opens without one: accepted,
        # and the rebuilt copy drops the restrictions. A user password cannot be supplied here.
        if doc.needs_pass:
            raise errors.encrypted()
        # Counted before any page is touched: a tiny file can declare 100,000 pages.
        try:
            pages = doc.page_count
        except RuntimeError as exc:  # MuPDF refuses a page tree whose count and kids disagree
            raise errors.broken() from exc
        if pages == 0:
            raise errors.empty()
        if pages > max_pages:
            raise errors.too_many_pages(pages, max_pages)
    except BaseException:
        doc.close()
        raise
    return doc


@serialised
def as_document(pdf: bytes | pymupdf.Document) -> tuple[pymupdf.Document, bool]:
    """A document from bytes we stored ourselves (already checked), and whether the caller must close it."""
    if isinstance(pdf, pymupdf.Document):
        return pdf, False
    return pymupdf.open(stream=pdf, filetype="pdf"), True


@functools.cache
def vietnamese_font_buffer() -> bytes:
    """MuPDF's built-in Noto Serif: it covers Vietnamese and ships inside the wheel, unlike system fonts.

    The base-14 fonts (helv, tiro) print Vietnamese vowels as "·".
    """
    with LOCK:
        return bytes(pymupdf.Font().buffer)
