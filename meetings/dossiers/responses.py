"""HTTP responses for files: personal PDFs that no cache keeps, page images that every cache may keep."""
import hashlib

from flask import Response, make_response, request
from flask_babel import gettext as _
from werkzeug.exceptions import RequestedRangeNotSatisfiable

from meetings.web import error_response

from meetings.downloads import content_disposition
from meetings.dossiers.reading import Image

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


def ranged_pdf(data: bytes, filename: str, inline: bool = False) -> Response:
    """A personal copy served in byte ranges (RFC 9110 §14), so that pdf.js reads the cross-reference
    table and page 1 first and draws before the whole file has arrived. The ETag is strong (a hash of
    the very bytes): If-Range and pdf.js's later ranges must come from the same file, or get it whole."""
    response = private_pdf(data, filename, inline)
    response.set_etag(hashlib.sha256(data).hexdigest()[:40], weak=False)
    try:
        return response.make_conditional(request, accept_ranges=True, complete_length=len(data))
    except RequestedRangeNotSatisfiable:
        refused = make_response(error_response(416, _("The requested byte range is not in this file.")))
        refused.headers["Content-Range"] = f"bytes */{len(data)}"
        refused.headers["Accept-Ranges"] = "bytes"
        refused.headers["Cache-Control"] = "private, no-store"
        return refused


def is_first_range() -> bool:
    """The whole file, or a range from its first byte: the request that starts a reading or download
    (pdf.js's later ranges of the same reading are not logged again)."""
    ranges = request.range.ranges if request.range else None
    return not ranges or ranges[0][0] == 0


def image_response(image: Image) -> Response:
    if image.etag in request.if_none_match:
        response = Response(status=304)
    else:
        response = Response(image.data, mimetype=image.mimetype)
    response.set_etag(image.etag)
    response.headers["Cache-Control"] = REVALIDATE if image.personal else IMMUTABLE
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
