"""HTTP responses for files: personal PDFs that no cache keeps, page images that every cache may keep."""
import unicodedata
from urllib.parse import quote

from flask import Response, request

from meetings.dossiers.reading import Image

IMMUTABLE = "private, max-age=31536000, immutable"  # private: the image is behind an access check
# A stamped image is one reader's: the browser asks again each time (a 304 while the stamp holds), so
# another person signing in on the same tablet never gets the first one's image from its cache.
REVALIDATE = "private, no-cache"


def content_disposition(filename: str, inline: bool = False) -> str:
    """An ASCII fallback for old clients and the real name in filename*=UTF-8'' for everyone else."""
    name = filename.replace("\r", " ").replace("\n", " ")
    ascii_name = unicodedata.normalize("NFKD", name.replace("đ", "d").replace("Đ", "D"))
    ascii_name = "".join(c for c in ascii_name if c.isascii() and c not in '"\\' and (c.isprintable()))
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{ascii_name or 'document.pdf'}\"; filename*=UTF-8''{quote(name, safe='')}"


def private_pdf(data: bytes, filename: str, inline: bool = False) -> Response:
    """A personal (stamped) copy: never stored by a browser or proxy, never sniffed as something else."""
    response = Response(data, mimetype="application/pdf")
    response.headers["Content-Disposition"] = content_disposition(filename, inline)
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
