"""A small on-disk cache of generated files (stamped copies, page images), keyed by what made them."""
import hashlib
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from meetings.singleflight import one_maker

# A read marks the file's access time ("last read", which the nightly purge looks at), not its
# modification time: that stays the time the file was made, part of the ETag a byte-range reader
# compares (meetings/dossiers/responses.py). Once a day is enough for a 30-day purge, and spares a
# metadata write on every page turn.
TOUCH_EVERY = 24 * 3600
# Readable by the group too: nginx serves these files itself under X-Accel-Redirect (the README's
# Production section puts nginx's user in the service's group); never by other users of the host.
FILE_MODE = 0o640


def document_sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def cache_key(*parts: object) -> str:
    """One key from e.g. (document sha, stamp lines): unambiguous however the parts are split."""
    digest = hashlib.sha256()
    for part in parts:
        encoded = repr(part).encode()
        digest.update(len(encoded).to_bytes(8, "big") + encoded)
    return digest.hexdigest()


def shared_picture_key(sha: str, page: int, width: int, fmt: str = "jpeg", small: bool = False) -> str:
    """The key of an unstamped page image (or thumbnail), which every reader who may keep the document
    shares: the same recipe where it is read (reading.page_picture) and where it is made ahead."""
    return cache_key("thumb" if small else "page", sha, page, width, fmt)


class FileCache:
    """Files under `directory`, one per key; writes are atomic, so readers never see half a file."""

    def __init__(self, directory: str | os.PathLike, wait: float = 30.0):
        self.directory = Path(directory)
        self._folder = os.fspath(directory)  # joined as text on every read: pathlib's joins cost more
        self.wait = wait  # seconds to wait for another maker of the same file before giving up

    def path(self, key: str) -> Path:
        return Path(self._folder, key[:2], key)

    def has(self, key: str) -> bool:
        return self.path(key).exists()

    def get(self, key: str) -> bytes | None:
        path = self.path(key)
        try:
            data = path.read_bytes()
            touch(path, os.stat(path))
        except FileNotFoundError:
            return None
        return data

    def found(self, key: str) -> tuple[str, os.stat_result] | None:
        """The file's path for `key` and its stat, marked as read, or None: no byte of it is read here.
        The path is text: a Path object cost as much as the stat on every page turn."""
        name = f"{self._folder}/{key[:2]}/{key}"
        try:
            stat = os.stat(name)
            touch(name, stat)
        except FileNotFoundError:
            return None
        return name, stat

    def put(self, key: str, data: bytes) -> None:
        target = self.path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
        try:
            os.fchmod(handle, FILE_MODE)
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def lock_path(self, key: str) -> Path:
        return self.directory / ".locks" / key[:2] / key

    def ensure(self, key: str, make: Callable[[], bytes], on_miss: Callable[[], object] | None = None
               ) -> tuple[str, os.stat_result]:
        """The file for `key` (its path as text, and its stat), made once if missing, as get_or_make makes it.
        `on_miss` runs once the file is known missing, before waiting for its maker."""
        from meetings.ops.metrics import cache_lookup

        found = self.found(key)
        cache_lookup(hit=found is not None)
        if found is not None:
            return found
        if on_miss is not None:
            on_miss()
        with one_maker(self.lock_path(key), self.wait):
            if not self.has(key):  # unless the maker we waited for has put it there
                self.put(key, make())
        return self.found(key)

    def get_or_make(self, key: str, make: Callable[[], bytes]) -> bytes:
        """The file for `key`, made once: concurrent askers (threads or processes) wait for one maker."""
        from meetings.ops.metrics import cache_lookup

        data = self.get(key)
        cache_lookup(hit=data is not None)
        if data is not None:
            return data
        with one_maker(self.lock_path(key), self.wait):
            data = self.get(key)  # the maker we waited for has put it there
            if data is None:
                data = make()
                self.put(key, data)
        return data


def touch(path: str | Path, stat: os.stat_result) -> None:
    """Mark a file as read now (its access time), at most once a day; its modification time stays."""
    now = time.time()
    if now - stat.st_atime > TOUCH_EVERY:
        try:
            os.utime(path, (now, stat.st_mtime))
        except FileNotFoundError:  # purged a moment ago: whoever asks next makes it again
            pass
