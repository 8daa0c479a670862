"""Accepting an uploaded PDF: refuse bad files with a reason, keep a sanitised copy and each page's text."""
from dataclasses import dataclass

import pymupdf

from meetings.dossiers import errors
from meetings.dossiers.pdf import MAX_BYTES, MAX_PAGES, open_checked
from meetings.dossiers.sanitise import rebuild
from meetings.mupdf import serialised


@dataclass(frozen=True)
class Intake:
    """What we store for an accepted upload; `texts[i]` is page i+1's text ("" for a scanned page)."""

    pdf: bytes
    pages: int
    texts: list[str]


@serialised
def intake(data: bytes, max_bytes: int = MAX_BYTES, max_pages: int = MAX_PAGES, progress=None) -> Intake:
    """Check, sanitise and index an upload, or raise a PdfRejected saying why not.

    `progress(percent)` is told after each step (the worker shows it on the uploader's screen).
    Runs in the worker process: holding MuPDF this long in a web process would stall its readers."""
    progress = progress or (lambda percent: None)
    source = open_checked(data, max_bytes, max_pages)
    try:
        progress(20)
        # Text comes from the original, before baking form fields or stamping a reader's name.
        texts = page_texts(source)
        progress(50)
        clean = rebuild(source)
        progress(80)
        try:
            pdf = clean.tobytes(garbage=3, deflate=True, use_objstms=True)
        finally:
            clean.close()
    except errors.PdfRejected:
        raise
    except Exception as exc:  # a page that fails to load or copy means the file is damaged
        raise errors.broken() from exc
    finally:
        source.close()
    return Intake(pdf=pdf, pages=len(texts), texts=texts)


@serialised
def page_texts(doc: pymupdf.Document) -> list[str]:
    """Plain text per page in reading order; ligatures expanded so that "ﬁ" finds "fi"."""
    flags = pymupdf.TEXT_PRESERVE_WHITESPACE | pymupdf.TEXT_MEDIABOX_CLIP
    return [page.get_text("text", flags=flags) for page in doc]
