""""My notes" (ghi chú của tôi): my annotations across a meeting, to list, jump to, and export as a
PDF summary with each note's text, page and a small picture of the spot."""
from dataclasses import dataclass

import pymupdf
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from meetings.dossiers.access import can_download_document, can_see_document
from meetings.dossiers.pdf import vietnamese_font_buffer
from meetings.dossiers.reading import version_pdf
from meetings.dossiers.services import get_meeting
from meetings.extensions import db
from meetings.mupdf import LOCK
from meetings.reader.geometry import bounds
from meetings.reader.layout import words_of
from meetings.reader.models import Annotation

KIND_LABELS = {"highlight": _l("Highlight"), "ink": _l("Ink"), "note": _l("Sticky note"), "freetext": _l("Text box")}
SPOT_MARGIN = 36  # points of page around the annotation in its thumbnail


@dataclass(frozen=True)
class Note:
    annotation: Annotation
    title: str
    current: bool  # on the document's current version (else it stayed on an older one)
    quote: str = ""  # a highlight's words, as they stand on the page

    def to_json(self) -> dict:
        a = self.annotation
        return {"id": a.id, "document_id": a.document_id, "title": self.title, "version": a.version.number,
                "current": self.current, "page": a.page, "kind": a.kind, "color": a.color, "text": a.text or "",
                "shared": a.shared, "quote": self.quote}


def words_under(words, rects) -> str:
    """The words whose middle lies in one of the highlight's rectangles, in reading order."""
    def inside(w) -> bool:
        x, y = (w[0] + w[2]) / 2, (w[1] + w[3]) / 2
        return any(r[0] <= x <= r[2] and r[1] <= y <= r[3] for r in rects)
    return " ".join(w[4] for w in words if inside(w))


def quote_of(annotation: Annotation) -> str:
    if annotation.kind != "highlight":
        return ""
    version = annotation.version
    words = words_of(version.sha256, annotation.page, lambda: version_pdf(annotation.document, version))
    return words_under(words, annotation.geometry["rects"])


def my_notes(meeting_id: int, user) -> tuple:
    """The meeting and my notes on the documents I may see, in dossier order, then version and page."""
    meeting = get_meeting(meeting_id, user)
    documents = {d.id: d for d in meeting.documents if can_see_document(user, d)}
    if not documents:
        return meeting, []
    rows = db.session.scalars(select(Annotation).where(
        Annotation.user_id == user.id, Annotation.document_id.in_(documents), Annotation.deleted_at.is_(None)))
    order = {doc_id: i for i, doc_id in enumerate(documents)}
    notes = [Note(a, documents[a.document_id].title, a.version.number == documents[a.document_id].current_version,
                  quote_of(a)) for a in rows]
    notes.sort(key=lambda n: (order[n.annotation.document_id], -n.annotation.version.number, n.annotation.page,
                              bounds(n.annotation.kind, n.annotation.geometry)[1]))
    return meeting, notes


def summary_pdf(meeting_title: str, notes: list[Note], user) -> bytes:
    """One line of heading per note, its text, and the spot, cropped from the page (not for documents
    that may only be read in the app: their pages do not leave the app, not even as a crop)."""
    sources: dict[int, bytes] = {}
    with LOCK:
        out = pymupdf.open()
        writer = _Writer(out)
        writer.heading(_("My notes") + " · " + meeting_title, 15)
        writer.line(user.name, 10)
        for note in notes:
            a = note.annotation
            version = "" if note.current else " · " + _("version %(n)d", n=a.version.number)
            page = _("page %(n)d", n=a.page)
            writer.heading(f"{note.title} · {page}{version} · {KIND_LABELS[a.kind]}", 11)
            keeps_pages = can_download_document(user, a.document)
            if note.quote and keeps_pages:  # the words of a read-in-the-app document stay in the app too
                writer.line(f"“{note.quote}”", 10)
            if a.text:
                writer.line(a.text, 10)
            if keeps_pages:
                if a.version_id not in sources:
                    sources[a.version_id] = version_pdf(a.document, a.version)
                writer.spot(sources[a.version_id], a)
        data = out.tobytes(garbage=3, deflate=True)
        out.close()
        return data


class _Writer:
    """Flows text and pictures down A4 pages (holding LOCK is the caller's job)."""

    WIDTH, HEIGHT, MARGIN = 595, 842, 50

    def __init__(self, doc: pymupdf.Document):
        self.doc, self.page, self.y = doc, None, 0.0
        self.font = pymupdf.Font(fontbuffer=vietnamese_font_buffer())

    def _room(self, height: float) -> None:
        if self.page is None or self.y + height > self.HEIGHT - self.MARGIN:
            self.page = self.doc.new_page(width=self.WIDTH, height=self.HEIGHT)
            self.page.insert_font(fontname="noto", fontbuffer=vietnamese_font_buffer())
            self.y = self.MARGIN

    def line(self, text: str, size: float) -> None:
        width = self.WIDTH - 2 * self.MARGIN
        lines = max(1, int(self.font.text_length(text, fontsize=size) // width) + 1 + text.count("\n"))
        height = lines * size * 1.5 + 4
        self._room(height)
        rect = pymupdf.Rect(self.MARGIN, self.y, self.WIDTH - self.MARGIN, self.y + height + size)
        self.page.insert_textbox(rect, text, fontname="noto", fontsize=size)
        self.y += height

    def heading(self, text: str, size: float) -> None:
        self.y += 6
        self.line(text, size)

    def spot(self, pdf: bytes, annotation: Annotation) -> None:
        x0, y0, x1, y1 = bounds(annotation.kind, annotation.geometry)
        with pymupdf.open(stream=pdf, filetype="pdf") as source:
            page = source.load_page(annotation.page - 1)
            clip = (pymupdf.Rect(x0, y0, x1, y1) + (-SPOT_MARGIN, -SPOT_MARGIN, SPOT_MARGIN, SPOT_MARGIN)) & pymupdf.Rect(0, 0, page.cropbox.width, page.cropbox.height)
            clip = clip * page.rotation_matrix  # get_pixmap clips in the page as displayed
            pix = page.get_pixmap(clip=clip, dpi=96)
        scale = min(1.0, 220 / max(pix.height, 1), (self.WIDTH - 2 * self.MARGIN) / max(pix.width, 1))
        w, h = pix.width * scale * 0.75, pix.height * scale * 0.75
        self._room(h + 8)
        self.page.insert_image(pymupdf.Rect(self.MARGIN, self.y, self.MARGIN + w, self.y + h), pixmap=pix)
        self.y += h + 8
