"""Personal copies: every page stamped, diagonally and lightly, with the reader's name, unit and time.

The stamp is drawn once into a Form XObject and every page calls it with its own placement matrix.
Drawing text page by page costs ~4 ms a page; `show_pdf_page` adds a fresh resource name per call,
which grows quadratically where pages share one resource dictionary (LibreOffice output). Here each
page gains two shared content streams and one resource entry, whatever its resources look like.
"""
import functools
import math
import re

import pymupdf

from meetings.dossiers.pdf import vietnamese_font_buffer
from meetings.mupdf import serialised

FONT_SIZE = 24
LINE_HEIGHT = 1.35
COLOUR = (0.55, 0.1, 0.1)
OPACITY = 0.22
# Share of the page's diagonal that the longest line covers, and the largest enlargement allowed:
# big enough to survive a crop, small enough to leave the page's own text readable.
DIAGONAL_SHARE = 0.62
MAX_SCALE = 2.5
XOBJECT = "MeetingsStamp"


@serialised
def personal_copy(pdf: bytes, stamp_lines: list[str] | tuple[str, ...]) -> bytes:
    """The document with `stamp_lines` (name, unit, date/time) across every page."""
    doc = pymupdf.open(stream=pdf, filetype="pdf")
    try:
        stamp_document(doc, stamp_lines)
        return save(doc)
    finally:
        doc.close()


def save(doc: pymupdf.Document) -> bytes:
    # Compressed streams are copied as they are; deflate compresses only what is not (the object
    # streams, our small ones), which measured both smaller (1.23x vs 1.45x) and faster than not.
    # garbage=1 with object streams is valid only while nothing is left for it to drop (see
    # _import_form); garbage=2 would renumber every object, ~15% slower on 200 pages.
    return doc.tobytes(garbage=1, use_objstms=True, deflate=True)


@serialised
def stamp_document(doc: pymupdf.Document, stamp_lines: list[str] | tuple[str, ...]) -> None:
    """Stamp an open PDF in place."""
    lines = tuple(line for line in (str(s).strip() for s in stamp_lines) if line)
    if not lines:
        return
    form, begin, width, height = _import_form(doc, _stamp_pdf(lines))
    placements: dict[tuple, int] = {}
    for number in range(doc.page_count):
        page = doc.load_page(number)
        key = (tuple(page.rect), tuple(page.transformation_matrix), page.rotation)
        if key not in placements:
            matrix = _placement(page, width, height)
            placements[key] = _new_stream(doc, f"Q q {_pdf_matrix(matrix)} cm /{XOBJECT} Do Q\n".encode())
        _append_contents(doc, page.xref, begin, placements[key])
        _add_resource(doc, page.xref, form)


@functools.lru_cache(maxsize=64)
def _stamp_pdf(lines: tuple[str, ...]) -> bytes:
    """A one-page PDF holding just the stamp text, its font subset to the glyphs it uses."""
    font = _font()
    widths = [font.text_length(line, fontsize=FONT_SIZE) for line in lines]
    step = FONT_SIZE * LINE_HEIGHT
    width, height = max(widths) + FONT_SIZE, step * len(lines)
    doc = pymupdf.open()
    page = doc.new_page(width=width, height=height)
    # TextWriter with the one Font object: page.insert_text measured every glyph of the font for each
    # line (~17 ms a line); this draws the same pixels in a third of the time, per new reader.
    writer = pymupdf.TextWriter(page.rect, opacity=OPACITY, color=COLOUR)
    for index, (line, line_width) in enumerate(zip(lines, widths)):
        baseline = step * index + (step + FONT_SIZE * (font.ascender + font.descender)) / 2
        writer.append(((width - line_width) / 2, baseline), line, font=font, fontsize=FONT_SIZE)
    writer.write_text(page)
    doc.subset_fonts()
    page.clean_contents()  # one content stream, which becomes the Form XObject as it is
    return doc.tobytes(garbage=3, deflate=True)


@functools.cache
def _font() -> pymupdf.Font:
    return pymupdf.Font(fontbuffer=vietnamese_font_buffer())


def _import_form(doc: pymupdf.Document, stamp_pdf: bytes) -> tuple[int, int, float, float]:
    """Copy the stamp page's objects into `doc` and turn its content stream into a Form XObject.

    Every object grafted here stays in use: MuPDF writes a broken free-list entry (qpdf: "unexpected
    xref entry type") for each object its garbage collection drops while writing object streams, so
    the copy must leave nothing behind for it to drop.
    """
    with pymupdf.open(stream=stamp_pdf, filetype="pdf") as stamp:
        page = stamp[0]
        width, height = page.rect.width, page.rect.height
        # Grafting a whole page is the public way to bring the font and its graphics state across.
        doc.insert_pdf(stamp, links=False, annots=False, widgets=False)
    page_xref = doc.page_xref(doc.page_count - 1)
    resources = doc.xref_get_key(page_xref, "Resources")[1]
    form = int(doc.xref_get_key(page_xref, "Contents")[1].strip("[]").split()[0])  # one stream: see _stamp_pdf
    doc.delete_page(doc.page_count - 1)
    for key, value in (("Type", "/XObject"), ("Subtype", "/Form"), ("BBox", f"[0 0 {width:g} {height:g}]"),
                       ("Resources", resources)):
        doc.xref_set_key(form, key, value)
    # The deleted page's dictionary becomes the "q" that opens every page's contents.
    doc.update_object(page_xref, "<<>>")
    doc.update_stream(page_xref, b"q\n", compress=False)
    return form, page_xref, width, height


def _placement(page: pymupdf.Page, width: float, height: float) -> pymupdf.Matrix:
    """Form space -> the page's PDF space: centred on the page as seen, rising along its diagonal."""
    view = page.rect  # the page as displayed, /Rotate applied, y pointing down
    angle = math.degrees(math.atan2(view.height, view.width))
    scale = min(DIAGONAL_SHARE * math.hypot(view.width, view.height) / width, MAX_SCALE)
    to_view = (pymupdf.Matrix(1, 0, 0, 1, -width / 2, -height / 2)
               * pymupdf.Matrix(scale, 0, 0, -scale, 0, 0)  # form y points up, the view's down
               * pymupdf.Matrix(-angle)  # negative: counter-clockwise as seen
               * pymupdf.Matrix(1, 0, 0, 1, (view.x0 + view.x1) / 2, (view.y0 + view.y1) / 2))
    return to_view * ~(page.transformation_matrix * page.rotation_matrix)


def _append_contents(doc: pymupdf.Document, page_xref: int, begin: int, end: int) -> None:
    # The page's own drawing runs inside q ... Q so a transformation it leaves behind cannot move the stamp.
    kind, value = doc.xref_get_key(page_xref, "Contents")
    if kind == "xref" and not doc.xref_is_stream(int(value.split()[0])):
        kind, value = "array", doc.xref_object(int(value.split()[0]), compressed=True)
    refs = " ".join(f"{n} 0 R" for n in re.findall(r"(\d+) 0 R", value)) if kind in ("array", "xref") else ""
    doc.xref_set_key(page_xref, "Contents", f"[{begin} 0 R {refs} {end} 0 R]")


def _add_resource(doc: pymupdf.Document, page_xref: int, form: int) -> None:
    if doc.xref_get_key(page_xref, "Resources")[0] == "null":
        # Inherited from the page tree: give the page its own reference, or the new entry would hide the rest.
        doc.xref_set_key(page_xref, "Resources", _inherited(doc, page_xref, "Resources") or "<<>>")
    # The same name on a shared dictionary is set again, not added again: no growth per page.
    holder, path = page_xref, ""
    for key in ("Resources", "XObject"):
        kind, value = doc.xref_get_key(holder, path + key)
        if kind == "xref":  # xref_set_key cannot write through an indirect object: step into it
            holder, path = int(value.split()[0]), ""
        else:
            path += key + "/"
    doc.xref_set_key(holder, path + XOBJECT, f"{form} 0 R")


def _inherited(doc: pymupdf.Document, xref: int, key: str) -> str | None:
    kind, parent = doc.xref_get_key(xref, "Parent")
    while kind == "xref":
        parent_xref = int(parent.split()[0])
        value = doc.xref_get_key(parent_xref, key)
        if value[0] != "null":
            return value[1]
        kind, parent = doc.xref_get_key(parent_xref, "Parent")
    return None


def _new_stream(doc: pymupdf.Document, data: bytes) -> int:
    xref = doc.get_new_xref()
    doc.update_object(xref, "<<>>")
    doc.update_stream(xref, data, compress=False)
    return xref


def _pdf_matrix(m: pymupdf.Matrix) -> str:
    return " ".join(f"{v:.5f}".rstrip("0").rstrip(".") for v in (m.a, m.b, m.c, m.d, m.e, m.f))
