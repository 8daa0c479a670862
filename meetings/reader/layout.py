"""What the reader and the validation need to know about a version's pages, read once with PyMuPDF:
each page's box in its own unrotated space, the matrix to the page as displayed, the outline, and
the words with their boxes (the text layer for highlighting and search hits).

All coordinates here are PyMuPDF's: points, origin at the top-left of the unrotated page. Page
images are rendered as displayed (rotated), so the browser maps with `matrix`.
"""
import functools
from dataclasses import dataclass

import pymupdf

from meetings.mupdf import LOCK


@dataclass(frozen=True)
class PageBox:
    width: float  # unrotated
    height: float
    rotation: int
    matrix: tuple[float, ...]  # unrotated -> displayed (page.rotation_matrix)

    def to_json(self) -> dict:
        return {"width": round(self.width, 3), "height": round(self.height, 3), "rotation": self.rotation,
                "matrix": [round(v, 3) for v in self.matrix]}


@dataclass(frozen=True)
class Layout:
    pages: tuple[PageBox, ...]
    outline: tuple[tuple[int, str, int], ...]  # level, title, page (1-based)


# Keyed by the version's content hash: a version never changes, so neither does its layout.
@functools.lru_cache(maxsize=64)
def _layout(sha256: str, loader) -> Layout:
    with LOCK:
        doc = pymupdf.open(stream=loader(), filetype="pdf")
        try:
            pages = []
            for page in doc:
                box = page.cropbox
                pages.append(PageBox(box.width, box.height, page.rotation, tuple(page.rotation_matrix)))
            outline = tuple((level, title, number) for level, title, number, *_ in doc.get_toc(simple=True)
                            if number >= 1)
            return Layout(tuple(pages), outline)
        finally:
            doc.close()


class _Loader:
    """Reads the PDF only on a cache miss; equal for equal hashes, so lru_cache can key on it."""

    def __init__(self, sha256: str, read):
        self.sha256, self.read = sha256, read

    def __call__(self) -> bytes:
        return self.read()

    def __hash__(self) -> int:
        return hash(self.sha256)

    def __eq__(self, other) -> bool:
        return isinstance(other, _Loader) and other.sha256 == self.sha256


def layout_of(sha256: str, read) -> Layout:
    """The layout of the PDF whose hash is `sha256`; `read()` gives its bytes if not cached."""
    return _layout(sha256, _Loader(sha256, read))


@functools.lru_cache(maxsize=512)
def _words(sha256: str, page_number: int, loader) -> tuple:
    with LOCK:
        doc = pymupdf.open(stream=loader(), filetype="pdf")
        try:
            page = doc.load_page(page_number - 1)
            return tuple((round(x0, 2), round(y0, 2), round(x1, 2), round(y1, 2), text)
                         for x0, y0, x1, y1, text, *_ in page.get_text("words", sort=True))
        finally:
            doc.close()


def words_of(sha256: str, page_number: int, read) -> tuple:
    """The words of one page as (x0, y0, x1, y1, text), in reading order."""
    return _words(sha256, page_number, _Loader(sha256, read))
