"""The whole dossier as one PDF: a cover with the agenda, each item's documents, bookmarks, page labels, stamp."""
import io
from dataclasses import dataclass, field
from html import escape

import pymupdf
from flask_babel import gettext as _

from meetings.dossiers.stamping import save, stamp_document
from meetings.mupdf import serialised

PAPER = pymupdf.paper_rect("a4")
MARGIN = 56
COVER_CSS = """
body { font-family: serif; font-size: 12pt; }
h1 { font-size: 20pt; text-align: center; margin-bottom: 18pt; }
h2 { font-size: 14pt; margin-top: 18pt; }
p { margin: 3pt 0; }
li { margin: 4pt 0; }
"""


@dataclass(frozen=True)
class Cover:
    """What the cover page (trang bìa) says; `agenda` defaults to the items' titles."""

    title: str
    when: str
    room: str = ""
    agenda: list[str] = field(default_factory=list)


@serialised
def merge_dossier(cover: Cover, items: list[tuple[str, list[bytes]]], stamp_lines: list[str]) -> bytes:
    """One PDF: cover, then every agenda item's documents in order, stamped for the downloader.

    Bookmarks: one per agenda item. Page labels: "Bìa" on the cover pages, then "k-n" for page n of item k.
    """
    doc = pymupdf.open()
    try:
        _add_cover(doc, cover, [title for title, _docs in items])
        toc = [[1, _("Cover"), 1]]
        labels = [{"startpage": 0, "prefix": _("Cover"), "style": "", "firstpagenum": 1}]
        for number, (title, documents) in enumerate(items, start=1):
            first = doc.page_count
            for data in documents:
                with pymupdf.open(stream=data, filetype="pdf") as source:
                    doc.insert_pdf(source, links=True, annots=True, widgets=False)
            if doc.page_count == first:
                continue  # an item without documents stays on the cover, with no bookmark to nowhere
            toc.append([1, f"{number}. {title}", first + 1])
            labels.append({"startpage": first, "prefix": f"{number}-", "style": "D", "firstpagenum": 1})
        doc.set_toc(toc)
        doc.set_page_labels(labels)
        doc.set_metadata({"title": cover.title})
        stamp_document(doc, stamp_lines)
        return save(doc)
    finally:
        doc.close()


def _add_cover(doc: pymupdf.Document, cover: Cover, item_titles: list[str]) -> None:
    # A Story lays out and paginates the HTML with MuPDF's built-in fonts, which cover Vietnamese.
    details = [cover.when] + ([_("Room: %(room)s", room=cover.room)] if cover.room else [])
    agenda = "".join(f"<li>{escape(title)}</li>" for title in (cover.agenda or item_titles))
    heading = escape(_("Agenda"))  # outside the f-string, where message extraction can see it
    html = (f"<h1>{escape(cover.title)}</h1>" + "".join(f"<p>{escape(line)}</p>" for line in details)
            + (f"<h2>{heading}</h2><ol>{agenda}</ol>" if agenda else ""))
    story = pymupdf.Story(html, user_css=COVER_CSS)
    out = io.BytesIO()
    writer = pymupdf.DocumentWriter(out)
    more = True
    while more:
        device = writer.begin_page(PAPER)
        more, _filled = story.place(PAPER + (MARGIN, MARGIN, -MARGIN, -MARGIN))
        story.draw(device)
        writer.end_page()
    writer.close()
    with pymupdf.open(stream=out.getvalue(), filetype="pdf") as cover_doc:
        cover_doc.subset_fonts()  # the layout embeds whole fonts; the cover uses a few dozen glyphs
        doc.insert_pdf(cover_doc)
