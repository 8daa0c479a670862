"""Document files under MEETINGS_STORAGE: written to temporary files, moved into place only after the
database commit, so a refused, failed or interrupted upload leaves neither a row nor a file behind.

With several hosts, MEETINGS_STORAGE is one folder they all mount (NFS or similar): a file is written
under a temporary name in its own folder and renamed, which is atomic there too, so another host sees
the whole file or none. Generated files go to MEETINGS_CACHE, each host's own local folder: they are
made from the shared documents and keyed by what made them, so caches never need to agree.

    files = Staged()
    files.add(pdf_path(version), data)
    with files.committing():
        db.session.commit()
"""
import contextlib
import os
import tempfile
from pathlib import Path

from flask import current_app

from meetings.dossiers.cache import FileCache


def root() -> Path:
    return Path(current_app.config["MEETINGS_STORAGE"])


def pdf_path(meeting_id: int, document_id: int, number: int) -> Path:
    """The sanitised PDF of one version: what every reader's copy and image is made from."""
    return root() / "documents" / str(meeting_id) / str(document_id) / f"v{number}.pdf"


def original_path(meeting_id: int, document_id: int, number: int, ext: str) -> Path:
    """The upload exactly as received, kept for the record (admins only)."""
    return root() / "originals" / str(meeting_id) / str(document_id) / f"v{number}.{ext}"


def incoming_path(meeting_id: int, document_id: int, token: str, ext: str) -> Path:
    """An upload as received, waiting for the worker to check it; removed once it is handled."""
    return root() / "incoming" / str(meeting_id) / str(document_id) / f"{token}.{ext}"


def cache() -> FileCache:
    """This host's cache of generated files, one object per folder and wait (asked on every page turn)."""
    config = current_app.config
    settings = (config["MEETINGS_CACHE"], config.get("GENERATION_WAIT_SECONDS", 30))
    found = _CACHES.get(settings)
    if found is None:
        found = _CACHES[settings] = FileCache(*settings)
    return found


_CACHES: dict[tuple, FileCache] = {}


def read(path: Path) -> bytes:
    return path.read_bytes()


class Staged:
    """Files waiting for a commit: each is complete on disk under a temporary name beside its target."""

    def __init__(self):
        self._pending: list[tuple[Path, Path]] = []

    def add(self, target: Path, data: bytes) -> None:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        self._pending.append((Path(temporary), target))

    def discard(self) -> None:
        for temporary, target in self._pending:
            temporary.unlink(missing_ok=True)
            _remove_empty_parents(target.parent)
        self._pending = []

    def move_into_place(self) -> None:
        for temporary, target in self._pending:
            os.replace(temporary, target)
        self._pending = []

    @contextlib.contextmanager
    def committing(self):
        """Run the commit inside: files appear after it succeeds and vanish if anything fails."""
        try:
            yield
        except BaseException:
            self.discard()
            raise
        self.move_into_place()


def _remove_empty_parents(directory: Path) -> None:
    # A first upload to a new document created its folder; a refused one must not leave it there.
    stop = root()
    while directory != stop and stop in directory.parents:
        try:
            directory.rmdir()
        except OSError:
            return
        directory = directory.parent


def remove_document_files(meeting_id: int, document_id: int) -> None:
    import shutil

    for kind in ("documents", "originals", "incoming"):
        shutil.rmtree(root() / kind / str(meeting_id) / str(document_id), ignore_errors=True)
