"""Cheap repeated reads (issue 18): 300 concurrent requests for one cached, stamped page image against
300 concurrent /healthz, in the same run, through gunicorn started as the README says
(`gunicorn -w 1 --threads 400 wsgi:app`). Target: the page's p95 at most 3 times /healthz's p95.

A 60-page read-only document, one participant with an API token; the page is drawn and the first view
logged before timing, so every timed page request is a repeat: token lookup, access decision, file read.
The client is Python threads on the same machine (one connection each, all released at once).
"""
import http.client
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from bench.common import percentile
from bench.dossiers_pdf import source_pdf

CONCURRENT = 300
ROUNDS = 3
NOW = datetime(2026, 12, 2, 1, 0, tzinfo=timezone.utc)
ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Seeded:
    """One reader of two 60-page documents: `app` (stamped page images, the copy only to pdf.js) and
    `download` (shared page images), with an API token and a password to sign in with."""

    app_document: int
    download_document: int
    token: str
    email: str = "dv@bench.vn"
    password: str = "mat-khau-dung"

    def session_cookie(self, app, user_agent: str = "bench") -> str:
        """The browser's session cookie, from a real sign-in (the form and its CSRF token)."""
        client = app.test_client()
        client.environ_base.update({"REMOTE_ADDR": "127.0.0.1", "HTTP_USER_AGENT": user_agent})
        form = client.get("/login").get_data(as_text=True)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
        signed_in = client.post("/login", data={"csrf_token": csrf, "email": self.email, "password": self.password})
        assert signed_in.status_code == 302, signed_in.status_code
        cookie = client.get_cookie(app.config.get("SESSION_COOKIE_NAME", "session"))
        return f"{cookie.key}={cookie.value}"


def seed_readers(environment: dict) -> Seeded:
    """The database and the documents, made through the services."""
    from meetings import create_app
    from meetings.auth.services import create_token
    from meetings.directory import services as directory
    from meetings.dossiers.documents import upload
    from meetings.dossiers.services import create_meeting
    from meetings.extensions import db

    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": environment["DATABASE_URL"],
                      "SECRET_KEY": environment["SECRET_KEY"], "MEETINGS_STORAGE": environment["MEETINGS_STORAGE"],
                      "REDIS_URL": None})
    with app.app_context():
        db.drop_all()
        db.create_all()
        secretary = directory.create_user({"email": "tk@bench.vn", "name": "Thư ký", "role": "secretary",
                                           "password": "mat-khau-dung"})
        reader = directory.create_user({"email": "dv@bench.vn", "name": "Nguyễn Thị Hồng Đào", "role": "member",
                                        "password": "mat-khau-dung"})
        meeting = create_meeting({"title": "Hội nghị toàn ngành", "start": "2026-12-02T10:00",
                                  "end": "2026-12-02T12:00", "status": "published",
                                  "participants": [{"user_id": reader.id, "role": "member"}]}, secretary, NOW)
        in_app = upload(meeting.id, source_pdf(60), "Dự thảo.pdf", {"title": "Dự thảo", "access": "app"},
                        secretary, NOW)
        to_keep = upload(meeting.id, source_pdf(60), "Báo cáo.pdf", {"title": "Báo cáo", "access": "download"},
                         secretary, NOW)
        _row, token = create_token(reader, "bench", NOW)
        db.session.commit()
        seeded = Seeded(in_app.id, to_keep.id, token)
        db.engine.dispose()
    return seeded


def seed(environment: dict) -> tuple[int, str]:
    """Returns (id of the `app` document, the reader's token)."""
    seeded = seed_readers(environment)
    return seeded.app_document, seeded.token


def _wait_ready(port: int, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("gunicorn stopped at start-up")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer /healthz in 60 s")


def burst(port: int, path: str, headers: dict | Callable[[int], dict], ok: tuple[int, ...] = (200,)) -> list[float]:
    """CONCURRENT requests released together, one connection each: each one's milliseconds. `headers`
    may be a function of the request's number (e.g. each participant's own token)."""
    connections = [http.client.HTTPConnection("127.0.0.1", port, timeout=60) for _ in range(CONCURRENT)]
    for connection in connections:
        connection.connect()
    gate = threading.Barrier(CONCURRENT + 1)
    times: list[float] = []
    failures: list[int] = []

    def one(number, connection):
        sent = headers(number) if callable(headers) else headers
        gate.wait()
        start = time.perf_counter()
        connection.request("GET", path, headers=sent)
        response = connection.getresponse()
        response.read()
        times.append((time.perf_counter() - start) * 1000)
        if response.status not in ok:
            failures.append(response.status)
        connection.close()

    threads = [threading.Thread(target=one, args=(n, c)) for n, c in enumerate(connections)]
    for thread in threads:
        thread.start()
    gate.wait()
    for thread in threads:
        thread.join()
    if failures:
        raise RuntimeError(f"{len(failures)} requests failed: {sorted(set(failures))}")
    return times


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="meetings-bench-ops-"))
    environment = {**os.environ, "SECRET_KEY": "bench" * 8,
                   "DATABASE_URL": os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{folder}/bench.db",
                   "MEETINGS_STORAGE": str(folder / "storage"), "MEETINGS_INSTANCE": str(folder),
                   "MAIL_TRANSPORT": "outbox", "REDIS_URL": ""}
    document, token = seed(environment)
    port = _free_port()
    server = subprocess.Popen([str(ROOT / ".venv/bin/gunicorn"), "-w", "1", "--threads", "400", "-b",
                               f"127.0.0.1:{port}", "wsgi:app"], cwd=ROOT, env=environment,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_ready(port, server)
        page = f"/api/v1/documents/{document}/pages/7"
        auth = {"Authorization": f"Bearer {token}"}
        burst(port, page, auth)  # drawn, stamped, first view logged: every timed request is a repeat
        burst(port, "/healthz", {})
        health, cached = [], []
        for _ in range(ROUNDS):  # interleaved, so both see the same machine
            health += burst(port, "/healthz", {})
            cached += burst(port, page, auth)
    finally:
        server.terminate()
        server.wait(timeout=30)
    load = os.getloadavg()[0]
    p95_health, p95_page = percentile(health, 95), percentile(cached, 95)
    print(f"{CONCURRENT} concurrent GET /healthz, {ROUNDS} rounds{'':<14} p50 {percentile(health, 50):7.1f} ms  "
          f"p95 {p95_health:7.1f} ms  last {max(health):7.1f} ms")
    print(f"{CONCURRENT} concurrent GET of one cached stamped page{'':<5} p50 {percentile(cached, 50):7.1f} ms  "
          f"p95 {p95_page:7.1f} ms  last {max(cached):7.1f} ms")
    ratio = p95_page / p95_health
    print(f"  page p95 / healthz p95 = {ratio:.2f} (target <= 3){'  OK' if ratio <= 3 else '  OVER TARGET'}; "
          f"load average {load:.1f} on {os.cpu_count()} CPUs; database {environment['DATABASE_URL'].split(':')[0]}")


if __name__ == "__main__":
    sys.exit(main())
