"""Personal copies: the reader's name on every page, readable, upright as the page is seen."""
import math

import pymupdf
import pytest

from meetings.dossiers.stamping import XOBJECT, personal_copy
from tests.dossiers import pdfs

READER = ["Nguyễn Thị Hồng Đào", "Vụ Pháp chế", "12/03/2026 14:05"]


def stamp_lines_on(page: pymupdf.Page) -> dict[str, tuple]:
    """Each stamp line found on the page -> (direction as seen, centre as seen)."""
    found = {}
    to_view = page.rotation_matrix
    for block in page.get_text("dict")["blocks"]:
        for line in block.get("lines", []):
            text = "".join(span["text"] for span in line["spans"]).strip()
            if text in READER:
                dx, dy = line["dir"]
                seen = pymupdf.Point(dx, dy) * pymupdf.Matrix(to_view.a, to_view.b, to_view.c, to_view.d, 0, 0)
                centre = pymupdf.Rect(line["bbox"]).transform(to_view)
                found[text] = (seen, (centre.x0 + centre.x1) / 2, (centre.y0 + centre.y1) / 2)
    return found


def test_every_page_carries_the_vietnamese_stamp_and_keeps_its_own_text():
    copy = pymupdf.open(stream=personal_copy(pdfs.text_pdf(3), READER), filetype="pdf")
    assert copy.page_count == 3
    for number, page in enumerate(copy, start=1):
        text = page.get_text()
        for line in READER:
            assert line in text  # no "·" where a Vietnamese vowel should be
        assert f"Trang {number}." in text


@pytest.mark.parametrize("rotation", [0, 90, 180, 270])
def test_the_stamp_rises_along_the_diagonal_as_the_page_is_seen(rotation):
    copy = pymupdf.open(stream=personal_copy(pdfs.text_pdf(1, rotations=(rotation,)), READER), filetype="pdf")
    page = copy[0]
    found = stamp_lines_on(page)
    assert set(found) == set(READER)
    view = page.rect
    expected = math.atan2(view.height, view.width)
    for direction, x, y in found.values():
        # Left to right and upwards on screen (y grows downwards), at the page's diagonal angle.
        assert direction.x > 0 and direction.y < 0
        assert math.atan2(-direction.y, direction.x) == pytest.approx(expected, abs=0.01)
        assert view.x0 < x < view.x1 and view.y0 < y < view.y1
    name_centre = found[READER[0]][1:]
    assert name_centre[0] == pytest.approx(view.width / 2, abs=view.width * 0.15)


def test_the_stamp_is_drawn_once_and_shared_by_every_page():
    source = pdfs.text_pdf(20, rotations=(0, 90))
    copy_bytes = personal_copy(source, READER)
    copy = pymupdf.open(stream=copy_bytes, filetype="pdf")
    forms = {copy.xref_get_key(page.xref, f"Resources/XObject/{XOBJECT}")[1] for page in copy}
    assert len(forms) == 1
    fonts = [x for x in range(1, copy.xref_length()) if "/Type /FontDescriptor" in copy.xref_object(x)]
    assert len(fonts) <= 2  # the document's own subset and the stamp's, not one per page
    assert len(copy_bytes) < 1.5 * len(source) + 80_000


def test_pages_that_share_one_resource_dictionary_gain_one_entry_not_one_per_page():
    doc = pymupdf.open(stream=pdfs.text_pdf(6), filetype="pdf")
    shared = doc.xref_get_key(doc[0].xref, "Resources")[1]
    for page in doc:
        doc.xref_set_key(page.xref, "Resources", shared)  # as LibreOffice writes them
    copy = pymupdf.open(stream=personal_copy(doc.tobytes(), READER), filetype="pdf")
    resources = {copy.xref_get_key(page.xref, "Resources")[1] for page in copy}
    assert len(resources) == 1
    xobjects = copy.xref_get_key(int(resources.pop().split()[0]), "XObject")[1]
    assert xobjects.count("/") == 1  # just /MeetingsStamp
    for page in copy:
        assert READER[0] in page.get_text()


def test_a_page_that_inherits_its_resources_keeps_its_fonts():
    doc = pymupdf.open(stream=pdfs.text_pdf(1), filetype="pdf")
    page_xref = doc[0].xref
    resources = doc.xref_get_key(page_xref, "Resources")[1]
    pages_root = int(doc.xref_get_key(doc.pdf_catalog(), "Pages")[1].split()[0])
    doc.xref_set_key(pages_root, "Resources", resources)
    doc.xref_set_key(page_xref, "Resources", "null")
    copy = pymupdf.open(stream=personal_copy(doc.tobytes(), READER), filetype="pdf")
    text = copy[0].get_text()
    assert "Trang 1." in text and READER[0] in text
