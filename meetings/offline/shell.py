"""The app shell the service worker keeps, and the version that names its cache.

The version is a hash of every file the shell holds (our scripts and styles, and what the asset build
copied into static/vendor/), so any new build or code change gives a new /sw.js: the browser installs
it beside the old one, it fetches the whole new shell into a new cache, and only then takes over and
deletes the old cache, so a page never gets a mix of old and new files.
"""
import hashlib
import os

SHELL_FOLDERS = ("css", "js", "vendor")
SKIPPED_SUFFIXES = (".map", ".gz", ".br")  # twins, served in place of the plain file (meetings/assets.py)
# pdf.js's CJK character maps (1.7 MB in 170 files) are needed only by PDFs with such fonts not embedded,
# and its WebAssembly decoders are off: not installed with the shell; the worker keeps any it sees used.
SKIPPED_FOLDERS = ("vendor/pdfjs/cmaps/", "vendor/pdfjs/wasm/")
WORKER_SOURCE = "js/offline/sw.js"  # served at /sw.js, never from the shell

_memo: dict = {}


def _files(static_folder: str) -> list[tuple[str, os.stat_result]]:
    found = []
    for folder in SHELL_FOLDERS:
        for base, _dirs, names in os.walk(os.path.join(static_folder, folder)):
            for name in names:
                if not name.endswith(SKIPPED_SUFFIXES) and not name.startswith("."):  # .built: the build's mark
                    path = os.path.join(base, name)
                    found.append((os.path.relpath(path, static_folder).replace(os.sep, "/"), os.stat(path)))
    return sorted(item for item in found if not item[0].startswith(SKIPPED_FOLDERS))


def shell(static_folder: str) -> tuple[str, list[str]]:
    """(version, the shell's paths under static/). Hashed again only when a file's size or time changed."""
    files = _files(static_folder)
    stamp = tuple((name, s.st_size, s.st_mtime_ns) for name, s in files)
    if _memo.get("stamp") != stamp:
        digest = hashlib.sha256()
        for name, _stat in files:
            digest.update(name.encode() + b"\0")
            with open(os.path.join(static_folder, name), "rb") as file:
                digest.update(hashlib.sha256(file.read()).digest())
        _memo.update(stamp=stamp, version=digest.hexdigest()[:16],
                     paths=[name for name, _stat in files if name != WORKER_SOURCE])
    return _memo["version"], _memo["paths"]
