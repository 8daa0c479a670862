"""A small on-disk cache of generated files (stamped copies, page images), keyed by what made them."""
import hashlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from meetings.singleflight import one_maker


def document_sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def cache_key(*parts: object) -> str:
    """One key from e.g. (document sha, stamp lines): unambiguous however the parts are split."""
    digest = hashlib.sha256()
    for part in parts:
        encoded = repr(part).encode()
        digest.update(len(encoded).to_bytes(8, "big") + encoded)
    return digest.hexdigest()


class FileCache:
    """Files under `directory`, one per key; writes are atomic, so readers never see half a file."""

    def __init__(self, directory: str | os.PathLike, wait: float = 30.0):
        self.directory = Path(directory)
        self.wait = wait  # seconds to wait for another maker of the same file before giving up

    def path(self, key: str) -> Path:
        return self.directory / key[:2] / key

    def has(self, key: str) -> bool:
        return self.path(key).exists()

    def get(self, key: str) -> bytes | None:
        path = self.path(key)
        try:
            data = path.read_bytes()
            os.utime(path)  # "last read": the housekeeping job drops files unread for a month
        except FileNotFoundError:
            return None
        return data

    def put(self, key: str, data: bytes) -> None:
        target = self.path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def lock_path(self, key: str) -> Path:
        return self.directory / ".locks" / key[:2] / key

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
