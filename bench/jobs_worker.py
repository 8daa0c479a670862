"""Background work beside the web: real gunicorn and `flask worker` processes on one database.

1. Page images for 300 different pages not yet drawn, 300 requests at once (target: p95 < 3 s).
2. Page turns of one document while the worker takes in a 1,000-page upload (target: p95 < 150 ms).
3. The worker's memory at rest and after 100 uploads (target: no growth past 20 %).

SQLite by default (the embedded queue beside it); BENCH_DATABASE_URL for PostgreSQL and
BENCH_REDIS_URL for the Redis queue. BENCH_WEB_WORKERS gunicorn processes (default 2: one per core).
"""
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

import requests

from bench.common import percentile
from bench.dossiers_pdf import source_pdf

ROOT = Path(__file__).resolve().parent.parent
NOW = datetime(2026, 12, 2, 1, 0, tzinfo=timezone.utc)


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="meetings-bench-jobs-"))
    env = _environment(folder)
    tokens, meeting_id = _world(env)
    web_workers = int(os.environ.get("BENCH_WEB_WORKERS", "2"))
    with _process([sys.executable, "-m", "gunicorn", "-w", str(web_workers), "--threads", "200", "-b",
                   f"127.0.0.1:{(port := _free_port())}", "--backlog", "2048", "wsgi:app"], env, folder / "web.log"), \
            _process([sys.executable, "-m", "flask", "--app", "wsgi", "worker", "--workers", "2"], env,
                     folder / "worker.log") as worker:
        url = f"http://127.0.0.1:{port}"
        _wait_for(lambda: requests.get(url + "/login", timeout=2).ok)
        print(f"load before: {os.getloadavg()[0]:.2f} (1 min average), {os.cpu_count()} CPUs, "
              f"{web_workers} gunicorn processes x 200 threads, worker: 2 processes")
        api = _Api(url, tokens)
        many = api.upload_and_wait(meeting_id, source_pdf(303), "300 trang")
        bench_uncached_pages(api, many)
        other = api.upload_and_wait(meeting_id, source_pdf(70), "Tài liệu đang đọc")
        bench_turns_during_upload(api, meeting_id, other)
        bench_worker_memory(api, meeting_id, worker)
        print(f"load after: {os.getloadavg()[0]:.2f}")


def bench_uncached_pages(api, document_id: int) -> None:
    # Pages 1-3 were drawn ahead by the worker; 4-303 have never been asked for.
    samples, start = [], threading.Barrier(300)

    def fetch(page: int):
        session = requests.Session()
        start.wait()
        began = time.perf_counter()
        response = session.get(f"{api.url}/api/v1/documents/{document_id}/pages/{page}", headers=api.member,
                               timeout=120)
        samples.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200, response.text[:200]

    threads = [threading.Thread(target=fetch, args=(page,)) for page in range(4, 304)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    p95 = percentile(samples, 95)
    print(f"{'300 different uncached pages, 300 at once':<55} median {statistics.median(samples):8.0f} ms  "
          f"p95 {p95:8.0f} ms  last {max(samples):8.0f} ms (target p95 < 3000 ms){_verdict(p95 < 3000)}")


def bench_turns_during_upload(api, meeting_id: int, document_id: int) -> None:
    big = api.upload(meeting_id, source_pdf(1000), "1000 trang")
    samples = []
    session = requests.Session()
    for page in range(4, 64):  # a reader turning pages nobody has opened yet
        began = time.perf_counter()
        response = session.get(f"{api.url}/api/v1/documents/{document_id}/pages/{page}", headers=api.member,
                               timeout=60)
        samples.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200
    still = api.state(big)
    p95 = percentile(samples, 95)
    print(f"{'60 page turns while a 1,000-page upload is taken in':<55} median {statistics.median(samples):8.1f} ms  "
          f"p95 {p95:8.1f} ms (target < 150 ms){_verdict(p95 < 150)}; the upload was "
          f"{still['state']} ({still['progress']} %) after the last turn")
    api.wait(big)


def bench_worker_memory(api, meeting_id: int, worker) -> None:
    time.sleep(2)  # let the queue drain and the worker settle
    at_rest = _rss_tree(worker.pid)
    small = source_pdf(5)
    ids = [api.upload(meeting_id, small, f"Tài liệu {n}") for n in range(100)]
    for document_id in ids:
        api.wait(document_id)
    time.sleep(2)
    after = _rss_tree(worker.pid)
    growth = (after - at_rest) / at_rest * 100
    print(f"{'worker memory (all its processes), at rest -> after 100 uploads':<55} {at_rest / 2**20:6.0f} MiB -> "
          f"{after / 2**20:6.0f} MiB, {growth:+.1f} % (target < +20 %){_verdict(growth < 20)}")


class _Api:
    def __init__(self, url: str, tokens: dict):
        self.url = url
        self.secretary = {"Authorization": f"Bearer {tokens['secretary']}"}
        self.member = {"Authorization": f"Bearer {tokens['member']}"}

    def upload(self, meeting_id: int, pdf: bytes, title: str) -> int:
        response = requests.post(f"{self.url}/api/v1/meetings/{meeting_id}/documents", headers=self.secretary,
                                 files={"file": (f"{title}.pdf", pdf, "application/pdf")}, data={"title": title},
                                 timeout=120)
        assert response.status_code == 202, response.text[:300]
        return response.json()["id"]

    def state(self, document_id: int) -> dict:
        return requests.get(f"{self.url}/api/v1/documents/{document_id}", headers=self.secretary, timeout=30).json()

    def wait(self, document_id: int) -> None:
        _wait_for(lambda: self.state(document_id)["state"] == "ready", timeout=600)

    def upload_and_wait(self, meeting_id: int, pdf: bytes, title: str) -> int:
        document_id = self.upload(meeting_id, pdf, title)
        self.wait(document_id)
        return document_id


def _environment(folder: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL")}
    env.update({"DATABASE_URL": os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{folder}/bench.db",
                "MEETINGS_INSTANCE": str(folder), "MEETINGS_STORAGE": str(folder / "storage"),
                "SECRET_KEY": "bench-secret-key-0123456789-0123456789", "PYTHONPATH": str(ROOT),
                "MAIL_TRANSPORT": "outbox", "JOBS_QUEUE_NAME": f"bench-{os.getpid()}"})
    if os.environ.get("BENCH_REDIS_URL"):
        env.update(REDIS_URL=os.environ["BENCH_REDIS_URL"], SOCKETIO_CHANNEL=f"bench-{os.getpid()}")
    return env


def _world(env: dict) -> tuple[dict, int]:
    """Schema, a secretary and a member with API tokens, a published meeting: made in a child process,
    with the same environment as the servers (this process keeps no app of its own)."""
    script = """
import json
from datetime import datetime, timezone
from meetings.extensions import db
from meetings.auth.services import create_token
from meetings.directory import services as directory
from meetings.dossiers.services import create_meeting
from wsgi import app
now = datetime(2026, 12, 2, 1, 0, tzinfo=timezone.utc)
with app.app_context():
    db.drop_all(); db.create_all()
    secretary = directory.create_user({"email": "tk@bench.vn", "name": "Thư ký", "role": "secretary", "password": "mat-khau-dung"})
    member = directory.create_user({"email": "dv@bench.vn", "name": "Đại biểu", "role": "member", "password": "mat-khau-dung"})
    meeting = create_meeting({"title": "Họp", "start": "2026-12-02T10:00", "end": "2026-12-02T12:00", "status": "published",
                              "participants": [{"user_id": member.id, "role": "member"}]}, secretary, now)
    tokens = {"secretary": create_token(secretary, "bench", now)[1], "member": create_token(member, "bench", now)[1]}
    db.session.commit()
    print(json.dumps({"tokens": tokens, "meeting": meeting.id}))
"""
    import json

    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    data = json.loads(out.stdout.strip().splitlines()[-1])
    return data["tokens"], data["meeting"]


class _process:
    def __init__(self, command: list[str], env: dict, log: Path):
        self.command, self.env, self.log = command, env, log

    def __enter__(self):
        self.out = open(self.log, "w")
        self.popen = subprocess.Popen(self.command, cwd=ROOT, env=self.env, stdout=self.out, stderr=subprocess.STDOUT)
        self.pid = self.popen.pid
        return self

    def __exit__(self, *exc):
        self.popen.terminate()
        try:
            self.popen.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.popen.kill()
            self.popen.wait()
        self.out.close()


def _rss_tree(pid: int) -> int:
    """Resident memory of a process and its children, in bytes."""
    total, pids = 0, [pid]
    while pids:
        current = pids.pop()
        try:
            total += int(next(line for line in Path(f"/proc/{current}/status").read_text().splitlines()
                              if line.startswith("VmRSS:")).split()[1]) * 1024
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except (FileNotFoundError, StopIteration):
            continue
        pids += [int(c) for c in children]
    return total


def _wait_for(condition, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if condition():
                return
        except requests.RequestException:
            pass
        time.sleep(0.1)
    raise TimeoutError("condition not met")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _verdict(ok: bool) -> str:
    return "  OK" if ok else "  OVER TARGET"


if __name__ == "__main__":
    main()
