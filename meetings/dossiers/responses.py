"""HTTP responses for files: personal PDFs that no cache keeps, page images that every cache may keep;
generated files sent by the server's sendfile or by nginx (X-Accel-Redirect), never read into Python."""
import os
import time
from pathlib import Path

from flask import Response, current_app, make_response, request
from flask_babel import gettext as _
from werkzeug.exceptions import RequestedRangeNotSatisfiable
from werkzeug.http import http_date, parse_if_range_header, parse_range_header, quote_etag
from werkzeug.wsgi import wrap_file

from meetings.web import error_response

from meetings.downloads import content_disposition
from meetings.dossiers.reading import CachedFile

IMMUTABLE = "private, max-age=31536000, immutable"  # private: the image is behind an access check
# A stamped image is one reader's: the browser asks again each time (a 304 while the stamp holds), so
# another person signing in on the same tablet never gets the first one's image from its cache.
REVALIDATE = "private, no-cache"


def private_pdf(data: bytes, filename: str, inline: bool = False) -> Response:
    """A personal (stamped) copy: never stored by a browser or proxy, never sniffed as something else."""
    response = Response(data, mimetype="application/pdf")
    response.headers["Content-Disposition"] = content_disposition(filename, inline, fallback="document.pdf")
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def ranged_copy(copy: CachedFile, inline: bool = False) -> Response:
    """A personal copy served in byte ranges (RFC 9110 §14), so that pdf.js reads the cross-reference
    table and page 1 first and draws before the whole file has arrived. The ETag is strong: the copy's
    cache key (what made it) and the file's own time and size, so a copy made again (after the cache
    was purged, or on another host) is a new validator, and If-Range never splices two files' bytes."""
    path, stat = copy.locate()
    etag = f"{copy.etag}-{stat.st_mtime_ns:x}-{stat.st_size:x}"
    span = _plain_range(stat.st_size)
    response = file_body(path, stat, copy.mimetype, {
        "Content-Disposition": content_disposition(copy.filename, inline, fallback="document.pdf"),
        "Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff", "ETag": quote_etag(etag)},
        start=span[0] if span else 0)
    if "X-Accel-Redirect" in response.headers:
        # nginx answers the range from the file (206, Content-Range, Accept-Ranges, If-Range against this
        # ETag): only a range it would refuse is refused here first, in our JSON with the request id.
        return _range_refused(stat.st_size) if _unsatisfiable(stat.st_size, etag) else response
    if not any(name in request.environ for name in _CONDITIONS):  # the whole file, as asked
        response.headers["Accept-Ranges"] = "bytes"
        return response
    # Werkzeug dates the answer to a range (its email.utils formatting was a tenth of the request): the
    # date of this second, made once.
    response.headers["Date"] = _this_second()
    if span is not None:
        start, stop = span
        response.status_code = 206
        response.headers.update({"Accept-Ranges": "bytes", "Content-Length": str(stop - start),
                                 "Content-Range": f"bytes {start}-{stop - 1}/{stat.st_size}"})
        return response
    body = response.response
    try:
        response = response.make_conditional(request, accept_ranges=True, complete_length=stat.st_size)
    except RequestedRangeNotSatisfiable:
        body.close()
        return _range_refused(stat.st_size)
    if response.status_code not in (200, 206):  # 304 or 412: nothing of the file is sent
        body.close()
    return response


def _plain_range(size: int) -> tuple[int, int] | None:
    """(start, stop) of the one satisfiable byte range asked without any validator (what pdf.js asks for
    each chunk), when the server sends files itself (gunicorn's wsgi.file_wrapper: sendfile(2) from the
    file's position for Content-Length bytes, as PEP 3333 has servers honour Content-Length). Such a
    range is then sent by the kernel like a whole file; Werkzeug's make_conditional would read it through
    Python. Anything else (several ranges, If-Range, a range past the end, no file wrapper) is None and
    goes the general way."""
    environ = request.environ
    if "wsgi.file_wrapper" not in environ or "HTTP_RANGE" not in environ:
        return None
    if any(name in environ for name in _CONDITIONS if name != "HTTP_RANGE"):
        return None
    asked = request.range
    if asked is None or asked.units != "bytes" or len(asked.ranges) != 1:
        return None
    return asked.range_for_length(size)


# What make_conditional answers to: without any of them the answer is the whole file.
_CONDITIONS = ("HTTP_RANGE", "HTTP_IF_RANGE", "HTTP_IF_NONE_MATCH", "HTTP_IF_MATCH", "HTTP_IF_MODIFIED_SINCE",
               "HTTP_IF_UNMODIFIED_SINCE")


def _this_second() -> str:
    global _DATE
    second, text = _DATE
    if second != int(time.time()):
        second = int(time.time())
        text = http_date(second)
        _DATE = (second, text)  # one tuple: another thread reads a second and its text together
    return text


_DATE: tuple[int, str] = (0, "")


def _range_refused(size: int) -> Response:
    refused = make_response(error_response(416, _("The requested byte range is not in this file.")))
    refused.headers["Content-Range"] = f"bytes */{size}"
    refused.headers["Accept-Ranges"] = "bytes"
    refused.headers["Cache-Control"] = "private, no-store"
    return refused


def _unsatisfiable(size: int, etag: str) -> bool:
    """Would the range be refused (416) here? The same test as Werkzeug's make_conditional: a Range
    under an If-Range that no longer matches gets the whole file instead, never a 416."""
    if "Range" not in request.headers:
        return False
    if_range = parse_if_range_header(request.headers.get("If-Range"))
    if if_range.date is not None or (if_range.etag is not None and if_range.etag != etag):
        return False
    parsed = parse_range_header(request.headers["Range"])
    return parsed is None or parsed.range_for_length(size) is None


def is_first_range() -> bool:
    """The whole file, or a range from its first byte: the request that starts a reading or download
    (pdf.js's later ranges of the same reading are not logged again)."""
    ranges = request.range.ranges if request.range else None
    return not ranges or ranges[0][0] == 0


def image_response(image: CachedFile) -> Response:
    """A page image; a revalidation that still holds is answered from the ETag alone, the file untouched.
    Its headers are given to the response whole: set one by one, they were a tenth of a page turn's CPU."""
    headers = {"ETag": quote_etag(image.etag), "Cache-Control": REVALIDATE if image.personal else IMMUTABLE,
               "X-Content-Type-Options": "nosniff"}
    if "HTTP_IF_NONE_MATCH" in request.environ and image.etag in request.if_none_match:
        return Response(status=304, headers=headers)
    return file_body(*image.locate(), image.mimetype, headers)


def file_body(path: str | Path, stat: os.stat_result, mimetype: str, headers: dict | None = None, start: int = 0
              ) -> Response:
    """The file as the body: handed to nginx (X-Accel-Redirect, empty body) when MEETINGS_ACCEL_REDIRECT
    names the internal location that maps this host's MEETINGS_CACHE, else the server's sendfile
    (gunicorn's wsgi.file_wrapper): its bytes never pass through Python either way."""
    headers = dict(headers or {})
    prefix = current_app.config.get("MEETINGS_ACCEL_REDIRECT")
    if prefix:
        folder, name = os.path.split(path)
        headers["X-Accel-Redirect"] = f"{prefix}{os.path.basename(folder)}/{name}"  # the cache's layout
        return Response(mimetype=mimetype, headers=headers)
    headers["Content-Length"] = str(stat.st_size)
    # Unbuffered: the server sends it with sendfile(2) (or reads it in blocks), so Python's buffer is never
    # used, and opening one costs two system calls more (a terminal check and a seek) on every page turn.
    file = open(path, "rb", buffering=0)
    if start:
        file.seek(start)  # a plain range (_plain_range): the server sends from here
    return Response(wrap_file(request.environ, file), mimetype=mimetype, headers=headers,
                    direct_passthrough=True)
