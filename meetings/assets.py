"""The app's static files: under an address that names the build, kept by browsers for a year, and the
large libraries sent compressed ahead of time (brotli or gzip twins made by scripts/build-assets.mjs).

Why: on a meeting room's Wi-Fi (10 Mbit/s, 40 ms) a tablet opening the reader used to ask again for
every script and style (a 304 each, in waves of six) and fetched pdf.js's 0.5 MB whole each time; a
warm reader now asks for none of them. `url_for('static', filename=F)` gives /static/b/<build>/F,
where <build> is the offline shell's version (a hash of every file of css/, js/ and vendor/,
offline/shell.py), so any change of any file is a new address, and the service worker's shell uses
the same addresses. The scripts import each other by relative paths, so a module imported from a
versioned module is versioned too. An address naming another build (a page older than a deploy) gets
today's file, revalidated on each use rather than kept. Plain /static/F still works, as before.

Compressed once, never per request: pdf.js's two modules (1.8 MB, most of the bytes) and socket.io
get brotli and gzip twins from the asset build (a twin older than its file is never sent); our own
scripts and styles, which change with every commit and are not built, are gzipped here on first use
and kept in memory while the file is unchanged (80 KB of the reader's modules become 25 KB). A library
such as flask-compress would compress every response, HTML included; HTML that carries the CSRF
token beside reflected text is what BREACH reads through TLS compression, and it is small anyway."""
import gzip
import mimetypes
import os
import time

from flask import Response, current_app, request, send_file
from werkzeug.exceptions import NotFound

from meetings.offline.shell import shell

PREFIX = "b/"
YEAR = 365 * 24 * 3600
KEPT_A_YEAR = ("vendor/", "js/", "css/")
CHECK_EVERY = 5.0  # seconds between looks at the files' sizes and times (a look costs a few ms)
TWINS = (("br", ".br"), ("gzip", ".gz"))  # the best the browser accepts first

ZIPPED_HERE = (".js", ".mjs", ".css", ".svg", ".json")
ZIP_AT_MOST = 512 * 1024

_memo = {"at": -CHECK_EVERY, "version": None}
_zipped: dict[str, tuple[tuple[int, int], bytes]] = {}


def build_version() -> str:
    now = time.monotonic()
    if now - _memo["at"] >= CHECK_EVERY:
        _memo.update(at=now, version=shell(current_app.static_folder)[0])
    return _memo["version"]


def versioned(filename: str, version: str | None = None) -> str:
    return f"{PREFIX}{version or build_version()}/{filename}"


def _accepts(encoding: str) -> bool:
    return any(part.split(";")[0].strip() == encoding for part in request.headers.get("Accept-Encoding", "").split(","))


def _twin(filename: str):
    """The compressed twin the browser accepts, if the build made one after the file: (encoding, path)."""
    plain = os.path.join(current_app.static_folder, filename)
    for encoding, suffix in TWINS:
        twin = plain + suffix
        if _accepts(encoding) and os.path.isfile(twin) and os.path.getmtime(twin) >= os.path.getmtime(plain):
            return encoding, twin
    return None


def _zipped_here(filename: str, kind: str):
    """Our own script or style gzipped, kept while the file does not change; None when not worth it."""
    plain = os.path.join(current_app.static_folder, filename)
    if not (filename.endswith(ZIPPED_HERE) and _accepts("gzip")):
        return None
    stat = os.stat(plain)
    if stat.st_size > ZIP_AT_MOST:
        return None
    stamp = (stat.st_mtime_ns, stat.st_size)
    if _zipped.get(filename, (None,))[0] != stamp:
        with open(plain, "rb") as file:
            _zipped[filename] = (stamp, gzip.compress(file.read(), 6, mtime=0))
    response = Response(_zipped[filename][1], mimetype=kind)
    response.set_etag(f"{stamp[0]:x}-{stamp[1]:x}-gz")
    response.headers["Content-Encoding"] = "gzip"
    return response.make_conditional(request)


def _kind(filename: str) -> str:
    if filename.endswith(".mjs"):
        return "text/javascript"
    return mimetypes.guess_type(filename)[0] or "application/octet-stream"


def serve_static(filename: str):
    version = None
    if filename.startswith(PREFIX):
        parts = filename.split("/", 2)
        if len(parts) < 3:
            raise NotFound()
        version, filename = parts[1], parts[2]
    # Kept a year: every file of this build (its address changes with any change). Kept so, the live
    # room's module arrived after the bell's had opened the page's socket, and waited for a "connect"
    # that had passed (fixed in live-meeting.js: it joins at once when the socket is already up).
    current = version is not None and version == build_version() and filename.startswith(KEPT_A_YEAR)
    response = current_app.send_static_file(filename)  # refuses paths outside the folder
    twin = _twin(filename) if response.status_code in (200, 304) else None
    if twin:
        response.close()
        response = send_file(twin[1], mimetype=_kind(filename), conditional=True, etag=True)
        response.headers["Content-Encoding"] = twin[0]
    elif response.status_code in (200, 304) and (zipped := _zipped_here(filename, _kind(filename))) is not None:
        response.close()
        response = zipped
    if filename.endswith(ZIPPED_HERE) or any(
            os.path.isfile(os.path.join(current_app.static_folder, filename) + s) for _, s in TWINS):
        response.vary.add("Accept-Encoding")
    if current:
        response.cache_control.no_cache = None
        response.cache_control.public = True
        response.cache_control.max_age = YEAR
        response.cache_control.immutable = True
    else:
        response.cache_control.no_cache = True
        response.cache_control.max_age = None
    return response


def init_app(app) -> None:
    @app.url_defaults
    def _versioned_static(endpoint, values):
        if endpoint == "static" and "filename" in values and not values["filename"].startswith(PREFIX):
            values["filename"] = versioned(values["filename"])

    app.view_functions["static"] = serve_static
