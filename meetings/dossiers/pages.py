"""Page images for the tablet reader and thumbnails for the page strip.

MuPDF rasterises a text page at 1024 px in ~2 ms, but its own PNG encoder takes ~20-80 ms and
its JPEG one ~50 ms, and pymupdf-lite has no WebP. Pillow's libjpeg-turbo takes ~4 ms for the same
page, so JPEG is the default; WebP (libwebp, fastest method) and PNG are there for who asks.
Only the rasterising holds the MuPDF lock: encoding runs outside it, so another thread can render.
"""
import io
import math
from dataclasses import dataclass

import pymupdf
from flask_babel import gettext as _
from PIL import Image

from meetings.dossiers.pdf import as_document
from meetings.errors import NotFound, ValidationFailed
from meetings.mupdf import LOCK

MIN_WIDTH, MAX_WIDTH = 480, 2048
THUMBNAIL_WIDTH = 160
# A4 at the widest width is 2048 x 2897; a legal page 2048 x 3373. A tall strip of a page is
# shrunk to fit rather than made 1024 x 73,728, and no side may pass what JPEG and WebP can hold.
MAX_PIXELS = 2048 * 3500
MAX_SIDE = 16_000
MIME_TYPES = {"jpeg": "image/jpeg", "webp": "image/webp", "png": "image/png"}
# JPEG q80 with 4:2:0 chroma: black text lives in the luma channel, which is not subsampled.
# Measured on a dense 1024 px page: 3 ms and 177 KiB, against 10 ms and 200 KiB without subsampling.
ENCODERS = {
    "jpeg": ("JPEG", {"quality": 80, "subsampling": 2}),
    "webp": ("WEBP", {"quality": 80, "method": 0}),
    "png": ("PNG", {"compress_level": 1}),
}


def page_image(pdf: bytes | pymupdf.Document, page_number: int, width: int = 1024, fmt: str = "jpeg") -> bytes:
    """Page `page_number` (1-based) as an image `width` px wide, or narrower if the pixel cap needs it."""
    check_width(width)
    return render(pdf, page_number, width, fmt)


def check_width(width: int) -> None:
    if not MIN_WIDTH <= width <= MAX_WIDTH:
        raise ValidationFailed({"width": _("Choose a width from %(low)s to %(high)s pixels.",
                                           low=MIN_WIDTH, high=MAX_WIDTH)})


def thumbnail(pdf: bytes | pymupdf.Document, page_number: int, width: int = THUMBNAIL_WIDTH) -> bytes:
    """A small JPEG for the page strip."""
    return render(pdf, page_number, width, "jpeg", quality=70)


def render(pdf: bytes | pymupdf.Document, page_number: int, width: int, fmt: str, quality: int | None = None) -> bytes:
    check_format(fmt)
    return encode(raster(pdf, page_number, width).image, fmt, quality)


def check_format(fmt: str) -> None:
    if fmt not in ENCODERS:
        raise ValidationFailed({"format": _("Choose one of: %(formats)s.", formats=", ".join(ENCODERS))})


def encode(image: Image.Image, fmt: str, quality: int | None = None) -> bytes:
    name, options = ENCODERS[fmt]
    if quality is not None:
        options = {**options, "quality": quality}
    out = io.BytesIO()
    image.save(out, name, **options)
    return out.getvalue()


@dataclass(frozen=True)
class Raster:
    """A page drawn at one width, and the page's geometry, which a stamp laid over it needs."""
    image: Image.Image
    geometry: tuple  # (mediabox, cropbox, rotation) of the page
    zoom: float


def zoom_for(page_rect: pymupdf.Rect, width: int) -> float:
    """The scale that gives `width` px, reduced until the image fits MAX_PIXELS and MAX_SIDE."""
    w, h = max(page_rect.width, 1.0), max(page_rect.height, 1.0)
    return min(width / w, math.sqrt(MAX_PIXELS / (w * h)), MAX_SIDE / h, MAX_SIDE / w)


def raster(pdf: bytes | pymupdf.Document, page_number: int, width: int) -> Raster:
    """Page `page_number` (1-based) drawn `width` px wide (narrower if the pixel cap needs it)."""
    with LOCK:
        doc, close = as_document(pdf)
        try:
            if not 1 <= page_number <= doc.page_count:
                raise NotFound(_("There is no page %(number)s.", number=page_number))
            page = doc.load_page(page_number - 1)
            zoom = zoom_for(page.rect, width)
            pix = page.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), alpha=False, colorspace=pymupdf.csRGB)
            geometry = (tuple(page.mediabox), tuple(page.cropbox), page.rotation)
            # `samples` is a copy (rows packed, no alpha), so encoding can run after the lock is released.
            size, samples = (pix.width, pix.height), pix.samples
        finally:
            if close:
                doc.close()
    return Raster(Image.frombuffer("RGB", size, samples, "raw", "RGB", 0, 1), geometry, zoom)
