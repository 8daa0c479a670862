"""One maker per generated file: whoever asks for the same missing page image or copy at the same
time, in this process or another on the host, waits for the first one instead of drawing it again.

A lock file per key, locked with flock(2). flock locks belong to an open file description, so two
threads of one process exclude each other as two processes do, and the kernel drops the lock when
its holder dies (a killed maker never leaves a key locked). The cache these files sit beside is
per host (see the README), so a host-local lock is the right scope.
"""
import errno
import fcntl
import os
import time
from contextlib import contextmanager
from pathlib import Path

from flask_babel import gettext as _

from meetings.errors import ServiceError

FIRST_PAUSE, LONGEST_PAUSE = 0.002, 0.05  # seconds between tries: short at first, the maker may be quick


class StillBeingMade(ServiceError):
    """The file is being made by someone else and did not appear in time: try again shortly."""

    status = 503
    code = "still_being_made"

    def __init__(self, retry_after: int):
        super().__init__(_("This page is still being prepared. Please try again in a few seconds."))
        self.retry_after = retry_after


@contextmanager
def one_maker(lock_path: Path, timeout: float, clock=time.monotonic, sleep=time.sleep):
    """Hold the lock for `lock_path` while the body runs; raise StillBeingMade after `timeout` s."""
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    handle = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        deadline, pause = clock() + timeout, FIRST_PAUSE
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES):
                    raise
            if clock() >= deadline:
                raise StillBeingMade(retry_after=max(1, round(timeout / 4)))
            sleep(pause)
            pause = min(pause * 2, LONGEST_PAUSE)
        yield
    finally:
        os.close(handle)  # also releases the lock
