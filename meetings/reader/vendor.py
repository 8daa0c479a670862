"""pdf.js's two modules go out gzipped: 1.8 MB as they are, 0.5 MB gzipped, and most of what a tablet
fetches to read a document the first time. scripts/build-assets.mjs writes a .gz twin beside each;
this swaps the static file for its twin when the browser accepts gzip. No compression at request
time, nothing for the other static files (fonts and images are compressed already)."""
from pathlib import Path

from flask import current_app, request, send_file

from meetings.reader import bp

GZIPPED = ("vendor/pdfjs/pdf.min.mjs", "vendor/pdfjs/pdf.worker.min.mjs")


@bp.after_app_request
def gzip_twin(response):
    if request.endpoint != "static" or response.status_code != 200:
        return response
    name = (request.view_args or {}).get("filename", "")
    if name not in GZIPPED:
        return response
    response.vary.add("Accept-Encoding")
    if "gzip" not in request.headers.get("Accept-Encoding", ""):
        return response
    twin = Path(current_app.static_folder, name + ".gz")
    if not twin.is_file():
        return response
    response.close()
    gzipped = send_file(twin, mimetype="text/javascript", max_age=current_app.get_send_file_max_age(name))
    gzipped.headers["Content-Encoding"] = "gzip"
    gzipped.vary.add("Accept-Encoding")
    gzipped.set_etag(f"{twin.stat().st_mtime_ns:x}-{twin.stat().st_size:x}-gz")
    return gzipped
