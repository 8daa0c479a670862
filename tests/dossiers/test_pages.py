"""Page images: the width asked for, the pixel cap on odd pages, the formats the reader uses."""
import io

import pymupdf
import pytest
from PIL import Image

from meetings.dossiers.pages import MAX_PIXELS, page_image, thumbnail
from meetings.errors import NotFound, ValidationFailed
from tests.dossiers import pdfs


def size_of(data: bytes) -> tuple[int, int]:
    return Image.open(io.BytesIO(data)).size


@pytest.mark.parametrize("fmt, magic", [("jpeg", b"\xff\xd8"), ("png", b"\x89PNG"), ("webp", b"RIFF")])
def test_a_page_at_1024_px_in_each_format(fmt, magic):
    data = page_image(pdfs.text_pdf(2), 2, width=1024, fmt=fmt)
    assert data.startswith(magic)
    width, height = size_of(data)
    assert width == 1024
    assert height == pytest.approx(1024 * 842 / 595, abs=2)


def test_a_rotated_page_is_rendered_as_it_is_seen():
    width, height = size_of(page_image(pdfs.text_pdf(1, rotations=(90,)), 1, width=800))
    assert (width, height) == (800, pytest.approx(800 * 595 / 842, abs=2))


def test_a_very_tall_page_is_shrunk_to_the_pixel_cap():
    tall = pdfs.text_pdf(1, size=(200, 14_400), text="a long strip")
    width, height = size_of(page_image(tall, 1, width=1024))
    assert width * height <= MAX_PIXELS
    assert width < 1024 and height > 10_000


def test_an_open_document_can_be_passed_for_several_pages():
    doc = pymupdf.open(stream=pdfs.text_pdf(3), filetype="pdf")
    assert [size_of(page_image(doc, n, width=480))[0] for n in (1, 2, 3)] == [480, 480, 480]
    assert not doc.is_closed


def test_thumbnails_for_the_page_strip_are_small():
    data = thumbnail(pdfs.text_pdf(1), 1)
    assert size_of(data)[0] == 160
    assert len(data) < 20_000


@pytest.mark.parametrize("width", [479, 2049])
def test_a_width_outside_480_to_2048_is_refused(width):
    with pytest.raises(ValidationFailed):
        page_image(pdfs.text_pdf(1), 1, width=width)


@pytest.mark.parametrize("number", [0, 3])
def test_a_page_that_does_not_exist_is_not_found(number):
    with pytest.raises(NotFound):
        page_image(pdfs.text_pdf(2), number)
