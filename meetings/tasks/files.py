"""Completion-report files under MEETINGS_STORAGE/tasks/.

A file is staged to a temporary name before the database commits and moved into place only after
the commit succeeds; when anything fails the staged file is removed. So the storage never holds a
file the database does not know, and the database never names a file that was not written.
"""
import os
import secrets
import tempfile
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from werkzeug.utils import secure_filename

from meetings.downloads import clean_filename
from meetings.errors import ServiceError

CHUNK = 1024 * 1024


class TooLarge(ServiceError):
    status = 413
    code = "too_large"


@dataclass
class Staged:
    name: str  # as the user named it, for the download
    key: str  # relative to the storage folder
    size: int
    temporary: Path


def root() -> Path:
    return Path(current_app.config["MEETINGS_STORAGE"])


def limit() -> int:
    return int(current_app.config["TASKS_MAX_REPORT_BYTES"])


def stage(task_id: int, filename: str, stream) -> Staged:
    """Copy the upload to a temporary file beside its final place, refusing it past the limit."""
    folder = root() / "tasks" / str(task_id)
    folder.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".tmp-")
    size = 0
    try:
        with os.fdopen(handle, "wb") as out:
            while chunk := stream.read(CHUNK):
                size += len(chunk)
                if size > limit():
                    raise TooLarge(_("The file is larger than %(mb)d MB.", mb=limit() // (1024 * 1024)))
                out.write(chunk)
    except BaseException:
        os.unlink(temporary)
        raise
    suffix = Path(secure_filename(filename or "")).suffix.lower()[:10]
    key = f"tasks/{task_id}/report-{secrets.token_hex(8)}{suffix}"
    return Staged(name=clean_filename(filename, "report"), key=key, size=size, temporary=Path(temporary))


def place(staged: Staged) -> None:
    """After the commit: the staged file takes its final name (atomic within one file system)."""
    os.replace(staged.temporary, root() / staged.key)


def discard(staged: Staged | None) -> None:
    if staged is not None and staged.temporary.exists():
        staged.temporary.unlink()


def remove(key: str | None) -> None:
    """A replaced report's old file, after the commit that replaced it."""
    if key and (root() / key).exists():
        (root() / key).unlink()


def path_of(key: str) -> Path:
    return root() / key
