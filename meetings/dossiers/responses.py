"""HTTP responses for files: personal PDFs that no cache keeps, page images that every cache may keep."""
from flask import Response, request

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


def image_response(image: Image) -> Response:
    if image.etag in request.if_none_match:
        response = Response(status=304)
    else:
        response = Response(image.data, mimetype=image.mimetype)
    response.set_etag(image.etag)
    response.headers["Cache-Control"] = REVALIDATE if image.personal else IMMUTABLE
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
