"""Start the app as separate processes (web servers, the CLI) sharing one database and Redis."""
import os
import subprocess
import sys
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest
import redis

from tests.conftest import require_or_skip

ROOT = Path(__file__).resolve().parent.parent
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def stop(process: subprocess.Popen, timeout: float = 10) -> None:
    """Ask a started process to end (SIGTERM), kill it if it has not after `timeout`, and reap it."""
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def redis_or_skip() -> str:
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError:
        require_or_skip(f"Redis is not reachable at {REDIS_URL}")
    return REDIS_URL


def process_env(database_url: str, instance: Path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update({"DATABASE_URL": database_url, "MEETINGS_INSTANCE": str(instance),
                "SECRET_KEY": "multi-process-test-secret-key-0123456789", "PYTHONPATH": str(ROOT),
                "MEETINGS_STORAGE": str(instance / "storage")})
    env.update({k: str(v) for k, v in extra.items()})
    return env


@contextmanager
def web_server(env: dict):
    """A web process; yields its base URL once it listens. Stopped (and reaped) afterwards."""
    process = subprocess.Popen([sys.executable, "-m", "tests.server_main"], cwd=ROOT, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline()
        if not line.startswith("PORT "):
            process.kill()
            pytest.fail(f"server did not start: {line}{process.stderr.read()}")
        yield f"http://127.0.0.1:{int(line.split()[1])}"
    finally:
        stop(process)
        process.stdout.close()
        process.stderr.close()


def flask_cli(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)


@contextmanager
def worker_process(env: dict, log_path):
    """A `flask worker` process; yields its start line, then its `jobs` (JobLines) as jobs finish."""
    process = subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi", "worker", "--threads",
                                "--workers", "1"], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    # Its log is read as it comes (a pipe nobody reads would fill and stop the worker mid-job), kept in a
    # file for a failure's report, and each finished job's JSON line wakes whoever waits on `jobs`.
    jobs = JobLines(process.stderr, log_path)
    try:
        line = process.stdout.readline()
        if not line.startswith("worker:"):
            process.kill()
            jobs.reader.join(timeout=5)
            pytest.fail(f"worker did not start: {line}{open(log_path).read()}")
        yield line, jobs
    finally:
        stop(process, timeout=15)
        process.stdout.close()
        jobs.reader.join(timeout=5)
        process.stderr.close()


class JobLines:
    """The worker's stderr, line by line, into a file; `wait_for_job` returns once another job has
    finished (its "job" JSON line: meetings.ops.logs.job_run) or the timeout passed."""

    def __init__(self, stream, log_path):
        self.finished = 0
        self._changed = threading.Condition()
        self.reader = threading.Thread(target=self._read, args=(stream, log_path), daemon=True)
        self.reader.start()

    def _read(self, stream, log_path):
        with open(log_path, "w") as log:
            for line in stream:
                log.write(line)
                log.flush()
                if '"event": "job"' in line:
                    with self._changed:
                        self.finished += 1
                        self._changed.notify_all()

    def wait_for_job(self, seen: int, timeout: float) -> int:
        """Block until more than `seen` jobs have finished (or `timeout`); the count now."""
        with self._changed:
            self._changed.wait_for(lambda: self.finished > seen, timeout=timeout)
            return self.finished
