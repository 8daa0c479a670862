"""Generated files are made once: concurrent askers of one missing file, threads or processes, wait
for the first maker; one who waits too long gets a clear "try again" instead of a second drawing."""
import multiprocessing
import os
import threading

from pathlib import Path

import pytest

from meetings.dossiers.cache import FileCache
from meetings.singleflight import StillBeingMade, one_maker


def test_threads_asking_for_one_missing_file_make_it_once(tmp_path):
    cache, made, start = FileCache(tmp_path, wait=10), [], threading.Barrier(8)
    arrived, everyone_asked = [], threading.Event()

    def make():
        made.append(threading.get_ident())
        # The maker holds the lock until every thread has asked: they wait for it or find the file made.
        assert everyone_asked.wait(timeout=10)
        return b"page image"

    results = []

    def ask():
        start.wait()
        arrived.append(threading.get_ident())
        if len(arrived) == 8:
            everyone_asked.set()
        results.append(cache.get_or_make("k" * 64, make))

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(made) == 1
    assert results == [b"page image"] * 8


def _ask_in_a_process(directory: str, marker_dir: str, go, asked, everyone_asked) -> None:
    go.wait()

    def make():
        (Path(marker_dir) / str(os.getpid())).write_text("made")
        assert everyone_asked.wait(timeout=10)  # hold the lock until the other process has asked too
        return b"copy"

    with asked.get_lock():
        asked.value += 1
        if asked.value == 2:
            everyone_asked.set()

    assert FileCache(directory, wait=10).get_or_make("p" * 64, make) == b"copy"


def test_two_processes_asking_for_one_missing_file_make_it_once(tmp_path):
    markers = tmp_path / "markers"
    markers.mkdir()
    context = multiprocessing.get_context("fork")
    go, asked, everyone_asked = context.Event(), context.Value("i", 0), context.Event()
    workers = [context.Process(target=_ask_in_a_process,
                               args=(str(tmp_path / "cache"), str(markers), go, asked, everyone_asked))
               for _ in range(2)]
    for worker in workers:
        worker.start()
    go.set()
    for worker in workers:
        worker.join(timeout=20)
    assert [w.exitcode for w in workers] == [0, 0]
    assert len(list(markers.iterdir())) == 1


def test_a_waiter_gives_up_after_the_timeout_with_a_503_and_when_to_retry(tmp_path):
    lock = tmp_path / "lock"
    with one_maker(lock, timeout=1):
        with pytest.raises(StillBeingMade) as refused:
            with one_maker(lock, timeout=0.1):
                pass  # pragma: no cover - the lock is held
    assert refused.value.status == 503 and refused.value.retry_after >= 1
    with one_maker(lock, timeout=0.1):  # released when its holder is done
        pass
