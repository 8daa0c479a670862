"""Page images with the reader's stamp in their pixels, for documents that never reach the device as a file.

The page is drawn once per version, page and width and kept in memory (a few MB a page); each
reader's image is that drawing with the reader's stamp composed on top and encoded. The stamp's
pixels come from MuPDF drawing the very stamp of the personal copy (stamping.py) on an empty page of
the same geometry, so the image carries the same lines in the same place as the stamped PDF. Only
its coverage is kept (an 8-bit mask cropped to its box, one colour): composing it is one Pillow
paste of ~1-2 ms on a 1024 px page (bench/dossiers_stamped_images.py).
"""
import functools
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence

import pymupdf
from PIL import Image

from meetings.dossiers.pages import Raster, check_format, encode, raster
from meetings.dossiers.stamping import COLOUR, stamp_document
from meetings.mupdf import LOCK

STAMP_RGB = tuple(round(c * 255) for c in COLOUR)
# A 1024 px A4 page is 4.4 MB of pixels, a 2048 px one 17.8 MB: this holds a meeting's current pages.
RASTER_CACHE_BYTES = 96 * 1024 * 1024


def stamped_page(pdf: Callable[[], bytes], sha256: str, page_number: int, width: int, lines: Sequence[str],
                 fmt: str = "jpeg", quality: int | None = None) -> bytes:
    """Page `page_number` of the version whose file is `pdf()` (read only if not drawn yet), `width` px
    wide, with `lines` stamped across it, encoded as `fmt`."""
    check_format(fmt)
    drawn = RASTERS.get((sha256, page_number, width), lambda: raster(pdf(), page_number, width))
    return encode(compose(drawn, tuple(lines)), fmt, quality)


def compose(drawn: Raster, lines: tuple[str, ...]) -> Image.Image:
    image = drawn.image.copy()
    stamp = _stamp(drawn.geometry, round(drawn.zoom, 6), lines)
    if stamp is not None:
        box, mask = stamp
        box = _fit(box, image.size)
        if box is not None:
            mask = mask.crop((0, 0, box[2] - box[0], box[3] - box[1]))
            image.paste(Image.new("RGB", mask.size, STAMP_RGB), box, mask)
    return image


def _fit(box: tuple[int, int, int, int], size: tuple[int, int]) -> tuple[int, int, int, int] | None:
    """The mask's box within the image: the two are drawn at one zoom, so at most a pixel apart."""
    x0, y0 = box[0], box[1]
    x1, y1 = min(box[2], size[0]), min(box[3], size[1])
    return (x0, y0, x1, y1) if x1 > x0 and y1 > y0 else None


# Readers turn pages of one geometry (A4 portrait, mostly): a stamp is drawn once per reader, page
# shape and zoom. Cropped to the text's box, a 1024 px stamp is ~0.6 MB; 256 of them bound the memory.
@functools.lru_cache(maxsize=256)
def _stamp(geometry: tuple, zoom: float, lines: tuple[str, ...]) -> tuple[tuple, Image.Image] | None:
    """The stamp's coverage over a page of `geometry` drawn at `zoom`: its box in the image and the mask."""
    mediabox, cropbox, rotation = geometry
    with LOCK:
        doc = pymupdf.open()
        try:
            page = doc.new_page(width=mediabox[2] - mediabox[0], height=mediabox[3] - mediabox[1])
            page.set_mediabox(pymupdf.Rect(mediabox))
            page.set_cropbox(pymupdf.Rect(cropbox))
            page.set_rotation(rotation)
            stamp_document(doc, lines)
            pix = doc.load_page(0).get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), alpha=True,
                                              colorspace=pymupdf.csRGB)
            size, samples = (pix.width, pix.height), pix.samples
        finally:
            doc.close()
    # The alpha channel is the coverage times the stamp's opacity: with one colour, all that is needed.
    alpha = Image.frombuffer("RGBA", size, samples, "raw", "RGBA", 0, 1).getchannel("A")
    box = alpha.getbbox()
    return (box, alpha.crop(box)) if box else None


class RasterCache:
    """Drawn pages by (version sha, page, width), the least recently used dropped past `limit` bytes."""

    def __init__(self, limit: int):
        self.limit = limit
        self.entries: OrderedDict[tuple, Raster] = OrderedDict()
        self.size = 0
        self.lock = threading.Lock()

    def get(self, key: tuple, make: Callable[[], Raster]) -> Raster:
        with self.lock:
            found = self.entries.get(key)
            if found is not None:
                self.entries.move_to_end(key)
                return found
        made = make()  # outside our lock: drawing takes MuPDF's, and others may read meanwhile
        with self.lock:
            if key not in self.entries:
                self.entries[key] = made
                self.size += _bytes(made)
            while self.size > self.limit and len(self.entries) > 1:
                _, dropped = self.entries.popitem(last=False)
                self.size -= _bytes(dropped)
        return made


def _bytes(drawn: Raster) -> int:
    return drawn.image.width * drawn.image.height * 3


RASTERS = RasterCache(RASTER_CACHE_BYTES)
