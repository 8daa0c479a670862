"""Where page images, thumbnails and stamped copies are drawn: in the drawing pool's child processes
(meetings/drawpool.py) when the process has one, else in the asking thread behind the MuPDF lock.

Callers pass plain values (the file's path, the version's hash), never ORM objects or open documents:
the same call runs in a child process. This module is also what the children import, so it imports
only the PDF engine (pages, watermark, stamping), never the app.
"""
import os
import threading
from collections import OrderedDict
from pathlib import Path

import pymupdf

from meetings.dossiers.pages import page_image, thumbnail
from meetings.dossiers.stamping import personal_copy
from meetings.dossiers.watermark import stamped_page

_pool, _pool_lock = None, threading.Lock()


def pool():
    """This process's drawing pool, made on first use; None when drawing happens in the asking thread."""
    global _pool
    from flask import current_app

    from meetings.drawpool import Pool

    size = current_app.config.get("DRAW_PROCESSES") or 0
    if size <= 0:
        return None
    with _pool_lock:
        # A pool made before a fork (gunicorn --preload) has no feeding threads in the child: make another.
        if _pool is None or _pool.size != size or _pool.pid != os.getpid():
            _pool = Pool(size, __name__)
        return _pool


def _in_pool(drawer, kind: str, *args) -> bytes:
    from concurrent.futures import TimeoutError as Late

    from flask import current_app

    from meetings.singleflight import StillBeingMade

    wait = float(current_app.config.get("GENERATION_WAIT_SECONDS", 30))
    try:
        return drawer.run(kind, *args, timeout=wait)
    except Late:  # the children are behind: the same answer as waiting for another maker too long
        raise StillBeingMade(retry_after=max(1, round(wait / 4))) from None


def page(path: Path, sha256: str, number: int, width: int, fmt: str, small: bool) -> bytes:
    """Page `number` of the version stored at `path`: an image `width` px wide, or its thumbnail."""
    drawer = pool()
    if drawer is not None:
        return _in_pool(drawer, "page", str(path), sha256, number, width, fmt, small)
    data = Path(path).read_bytes()
    return thumbnail(data, number) if small else page_image(data, number, width, fmt)


def stamped(path: Path, sha256: str, number: int, width: int, lines: tuple[str, ...], fmt: str,
            quality: int | None) -> bytes:
    """Page `number` with a reader's stamp in its pixels."""
    drawer = pool()
    if drawer is not None:
        return _in_pool(drawer, "stamped", str(path), sha256, number, width, tuple(lines), fmt, quality)
    return stamped_page(lambda: Path(path).read_bytes(), sha256, number, width, lines, fmt, quality)


def copy(path: Path, lines: tuple[str, ...]) -> bytes:
    """The whole version stamped for one reader."""
    drawer = pool()
    if drawer is not None:
        return _in_pool(drawer, "copy", str(path), tuple(lines))
    return personal_copy(Path(path).read_bytes(), lines)


# In a child: the documents it drew from lately stay open, so the next page of the same document skips
# parsing the file and loading its fonts again (and MuPDF's glyph cache stays warm): a 1024 px text
# page cost 18 ms opened afresh and 6 ms from an open document. One thread per child: no lock needed.
_OPEN_DOCUMENTS = 4
_opened: OrderedDict[tuple[str, str], pymupdf.Document] = OrderedDict()


def _document(path: str, sha256: str) -> pymupdf.Document:
    key = (path, sha256)
    if key in _opened:
        _opened.move_to_end(key)
        return _opened[key]
    doc = pymupdf.open(stream=Path(path).read_bytes(), filetype="pdf")
    _opened[key] = doc
    while len(_opened) > _OPEN_DOCUMENTS:
        _opened.popitem(last=False)[1].close()
    return doc


def _page_in_child(path, sha256, number, width, fmt, small):
    doc = _document(path, sha256)
    return thumbnail(doc, number) if small else page_image(doc, number, width, fmt)


def _stamped_in_child(path, sha256, number, width, lines, fmt, quality):
    return stamped_page(lambda: _document(path, sha256), sha256, number, width, lines, fmt, quality)


HANDLERS = {"page": _page_in_child, "stamped": _stamped_in_child,
            "copy": lambda path, lines: personal_copy(Path(path).read_bytes(), lines)}
