"""The annotated copy: the reader's personal stamped PDF with their annotations written as REAL PDF
annotations (Highlight with quads, Ink, Text sticky notes, FreeText), so Acrobat, Preview, Chrome's
viewer and pdf.js show them and can still edit them. Each carries its author as /T and our UUID as
/NM, so a copy can be matched back to the annotations it came from.

Our coordinates are PyMuPDF's (points, top-left origin, unrotated page), so they go in unchanged;
PyMuPDF writes the PDF's bottom-left /Rect and /QuadPoints.
"""
import pymupdf

from meetings.mupdf import LOCK
from meetings.reader.models import Annotation

NOTE_ICON = "Note"
FREETEXT_SIZE = 12


def rgb(color: str) -> tuple[float, float, float]:
    return tuple(int(color[i:i + 2], 16) / 255 for i in (1, 3, 5))


def annotate(stamped_pdf: bytes, annotations: list[Annotation]) -> bytes:
    """`stamped_pdf` with `annotations` added; the stamped copy itself is made by dossiers.stamping."""
    with LOCK:
        doc = pymupdf.open(stream=stamped_pdf, filetype="pdf")
        try:
            for annotation in annotations:
                if annotation.page <= doc.page_count:
                    _add(doc, doc.load_page(annotation.page - 1), annotation)
            # Incremental-style garbage=0 keeps the page content as stamping wrote it; only new objects are added.
            return doc.tobytes(garbage=1, deflate=True, use_objstms=True)
        finally:
            doc.close()


def _add(doc: pymupdf.Document, page: pymupdf.Page, annotation: Annotation) -> None:
    geometry, color = annotation.geometry, rgb(annotation.color)
    if annotation.kind == "highlight":
        annot = page.add_highlight_annot(quads=[pymupdf.Rect(r).quad for r in geometry["rects"]])
        annot.set_colors(stroke=color)
    elif annotation.kind == "ink":
        annot = page.add_ink_annot(geometry["paths"])
        annot.set_colors(stroke=color)
        annot.set_border(width=geometry.get("width", 2))
    elif annotation.kind == "note":
        x0, y0, *_ = geometry["rect"]
        annot = page.add_text_annot((x0, y0), annotation.text or "", icon=NOTE_ICON)
        annot.set_colors(stroke=color)
    else:
        annot = freetext(page, annotation)
    annot.set_info(title=annotation.user.name, content=annotation.text or "")
    annot.update()
    doc.xref_set_key(annot.xref, "NM", pymupdf.get_pdf_str(annotation.id))


def freetext(page: pymupdf.Page, annotation: Annotation) -> pymupdf.Annot:
    """A FreeText box. Its appearance is laid out by MuPDF's rich-text engine, which falls back to
    its built-in Noto fonts, so Vietnamese shows in every viewer (a plain /DA with Helvetica would
    show boxes for ắ, ơ, đ); /Contents keeps the plain text for viewers that re-flow it."""
    color = rgb(annotation.color)
    text = annotation.text or ""
    hex_color = annotation.color
    style = f"font-size:{FREETEXT_SIZE}pt;color:{hex_color};font-family:sans-serif"
    html = "".join(f"<p>{_escape(line) or '&#160;'}</p>" for line in text.split("\n"))
    try:
        annot = page.add_freetext_annot(annotation.geometry["rect"], html, richtext=True, style=style,
                                        border_color=color, border_width=0.75)
        # PyMuPDF adds a callout line from the page corner by default; a plain box has none.
        page.parent.xref_set_key(annot.xref, "CL", "null")
        return annot
    except Exception:  # an older MuPDF without rich text: the plain kind, still a real FreeText
        return page.add_freetext_annot(annotation.geometry["rect"], text, fontsize=FREETEXT_SIZE,
                                       text_color=color, border_color=color, border_width=0.75)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
