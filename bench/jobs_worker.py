"""Background work beside the web: real gunicorn and `flask worker` processes on one database.

One run prints each measure beside its baseline from the same run:
0. What one page costs to draw in one process (MuPDF and JPEG, at the widths the reader asks), and
   what 300 of them cost on this machine's cores: whether the next target can fit at all.
1. Page images for 300 different pages not yet drawn, 300 requests at once (target: p95 < 3 s),
   drawn in the web process behind its one MuPDF lock (before, MEETINGS_DRAW_PROCESSES=0) and in
   its drawing pool (now); beside 300 concurrent /healthz.
2. 60 page turns of one document, quiet and while the worker takes in a 1,000-page upload (target:
   p95 < 150 ms).
3. The worker's memory at rest and after 100 uploads (target: no growth past 20 %).

gunicorn as the README runs it (`-w 1 --threads 400`), the worker as `flask --app wsgi worker`
(2 processes, nice 10). SQLite by default (the embedded queue beside it); BENCH_DATABASE_URL for
PostgreSQL and BENCH_REDIS_URL for the Redis queue.
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
CONCURRENT = 300


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="meetings-bench-jobs-"))
    env = _environment(folder)
    tokens, meeting_id = _world(env)
    print(f"load average before: {_load()}, {os.cpu_count()} CPUs; gunicorn -w 1 --threads 400, "
          "worker: 2 processes at nice 10")
    drawing_cost()
    before_pages, now_pages, turned = source_pdf(303), source_pdf(304), source_pdf(130)
    big, small = source_pdf(1000), source_pdf(5)
    with _process([sys.executable, "-m", "flask", "--app", "wsgi", "worker", "--workers", "2"], env,
                  folder / "worker.log") as worker:
        with _web(env, folder, draw_processes=0) as web:
            api = _Api(web.url, tokens)
            before_id, now_id, turned_id = (api.upload_and_wait(meeting_id, pdf, title) for pdf, title in (
                (before_pages, "300 trang (trước)"), (now_pages, "300 trang"), (turned, "Tài liệu đang đọc")))
            health_before = concurrent_health(api)
            with _cpu_of(web) as cpu_before:
                uncached_before = bench_uncached_pages(api, before_id)
        with _web(env, folder, draw_processes=None) as web:
            api = _Api(web.url, tokens)
            api.page(turned_id, 2, width=768)  # the first drawing starts the pool's processes
            health_now = concurrent_health(api)
            with _cpu_of(web) as cpu_now:
                uncached_now = bench_uncached_pages(api, now_id)
            print(f"{'/healthz, 300 at once (before / now)':<58} p95 {health_before:7.0f} / {health_now:7.0f} ms")
            _line("300 different uncached pages, 300 at once: before", uncached_before, 3000)
            _line("                                            now", uncached_now, 3000)
            print(f"{'':<58} p95 now / before: {uncached_now[1] / uncached_before[1]:.2f}; "
                  f"now / its /healthz: {uncached_now[1] / health_now:.1f}x")
            for label, cpu in (("before", cpu_before), ("now", cpu_now)):
                print(f"{'':<58} CPU for the 300 ({label}): web process {cpu['web']:.2f} s "
                      f"({cpu['web'] / 0.3:.1f} ms a page), its drawing processes {cpu['children']:.2f} s")
            bench_turns_during_upload(api, meeting_id, turned_id, big)
            bench_worker_memory(api, meeting_id, worker, small)
    print(f"load average after: {_load()}")


def drawing_cost() -> None:
    """CPU per page in one process, from an open document as the drawing pool's children keep them:
    first with glibc's default malloc (as this process starts), then as the children run it."""
    from meetings.dossiers import drawing
    from meetings.dossiers.pages import encode, raster
    from meetings.drawpool import keep_freed_memory

    folder = Path(tempfile.mkdtemp(prefix="meetings-bench-draw-"))
    (path := folder / "v1.pdf").write_bytes(source_pdf(303))
    widths = (768, 1024, 1536, 2048)

    def cost(width: int, pages: range) -> tuple[float, float]:
        drawn, encoded = [], []
        for page in pages:
            began = time.process_time()
            picture = raster(drawing._document(str(path), "bench"), page, width)
            middle = time.process_time()
            encode(picture.image, "jpeg")
            del picture  # freed here, as in a child between two pages
            drawn.append((middle - began) * 1000)
            encoded.append((time.process_time() - middle) * 1000)
        return statistics.mean(drawn), statistics.mean(encoded)

    drawing._page_in_child(str(path), "bench", 1, 1024, "jpeg", False)  # fonts loaded
    default = {width: sum(cost(width, range(4, 44))) for width in widths}
    opened = time.process_time()
    for page in range(84, 114):
        drawing.page_image(path.read_bytes(), page, 1024, "jpeg")
    afresh = (time.process_time() - opened) / 30 * 1000
    keep_freed_memory()
    for width in widths:
        mupdf, jpeg = cost(width, range(44, 84))
        print(f"  one page at {width:4} px, CPU: MuPDF {mupdf:5.1f} ms + JPEG q80 {jpeg:5.1f} ms = "
              f"{mupdf + jpeg:5.1f} ms "
              f"(glibc's default malloc: {default[width]:5.1f} ms); 300 pages on {os.cpu_count()} cores: "
              f"{CONCURRENT * (mupdf + jpeg) / (os.cpu_count() or 1) / 1000:4.1f} s of drawing alone")
    print(f"  one page at 1024 px opening the file afresh, default malloc (as the web process drew before): "
          f"{afresh:.1f} ms")


def concurrent_health(api) -> float:
    samples = _at_once(lambda session, n: session.get(f"{api.url}/healthz", timeout=120), range(CONCURRENT))
    return percentile(samples, 95)


def bench_uncached_pages(api, document_id: int) -> tuple[float, float, float]:
    # Pages 1-3 were drawn ahead by the worker; 4-303 have never been asked for.
    samples = _at_once(lambda session, page: session.get(
        f"{api.url}/api/v1/documents/{document_id}/pages/{page}", headers=api.member, timeout=120), range(4, 304))
    return statistics.median(samples), percentile(samples, 95), max(samples)


def _at_once(fetch, items) -> list[float]:
    items = list(items)
    samples, start, failures = [], threading.Barrier(len(items)), []

    def one(item):
        session = requests.Session()
        start.wait()
        began = time.perf_counter()
        response = fetch(session, item)
        samples.append((time.perf_counter() - began) * 1000)
        if response.status_code != 200:
            failures.append(f"{response.status_code} {response.text[:200]}")

    threads = [threading.Thread(target=one, args=(item,)) for item in items]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures, f"{len(failures)} failed, e.g. {failures[0]}"
    return samples


def bench_turns_during_upload(api, meeting_id: int, document_id: int, big: bytes) -> None:
    def turns(pages) -> list[float]:
        samples, session = [], requests.Session()
        for page in pages:  # a reader turning pages nobody has opened yet
            began = time.perf_counter()
            api.page(document_id, page, session=session)
            samples.append((time.perf_counter() - began) * 1000)
        return samples

    quiet = turns(range(4, 64))
    load = _load()
    uploaded = api.upload(meeting_id, big, "1000 trang")
    busy = turns(range(64, 124))
    still = api.state(uploaded)
    print(f"{'60 page turns, quiet (baseline)':<58} median {statistics.median(quiet):7.1f} ms  "
          f"p95 {percentile(quiet, 95):7.1f} ms")
    print(f"{'60 page turns while a 1,000-page upload is taken in':<58} median {statistics.median(busy):7.1f} ms  "
          f"p95 {percentile(busy, 95):7.1f} ms (target < 150 ms){_verdict(percentile(busy, 95) < 150)}; "
          f"{percentile(busy, 95) / percentile(quiet, 95):.1f}x quiet; the upload was {still['state']} "
          f"({still['progress']} %) after the last turn; load before it {load}")
    began = time.perf_counter()
    api.wait(uploaded)
    print(f"{'':<58} the 1,000-page intake ended {time.perf_counter() - began:.1f} s after the last turn")


def bench_worker_memory(api, meeting_id: int, worker, small: bytes) -> None:
    time.sleep(2)  # let the queue drain and the worker settle
    at_rest = _rss_tree(worker.pid)
    ids = [api.upload(meeting_id, small, f"Tài liệu {n}") for n in range(100)]
    for document_id in ids:
        api.wait(document_id)
    time.sleep(2)
    after = _rss_tree(worker.pid)
    growth = (after - at_rest) / at_rest * 100
    print(f"{'worker memory (all its processes), at rest -> after 100 uploads':<58} {at_rest / 2**20:6.0f} MiB -> "
          f"{after / 2**20:6.0f} MiB, {growth:+.1f} % (target < +20 %){_verdict(growth < 20)}")


def _line(label: str, figures: tuple[float, float, float], target: float) -> None:
    median, p95, last = figures
    print(f"{label:<58} median {median:7.0f} ms  p95 {p95:7.0f} ms  last {last:7.0f} ms "
          f"(target p95 < {target:.0f} ms){_verdict(p95 < target)}")


def _load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


class _web:
    """gunicorn as the README starts it; draw_processes=0 draws in its threads behind the MuPDF lock."""

    def __init__(self, env: dict, folder: Path, draw_processes: int | None):
        self.env = dict(env)
        if draw_processes is not None:
            self.env["MEETINGS_DRAW_PROCESSES"] = str(draw_processes)
        self.folder, self.name = folder, f"web-{draw_processes}"

    def __enter__(self) -> "_web":
        port = _free_port()
        self.process = _process([sys.executable, "-m", "gunicorn", "-w", "1", "--threads", "400", "-b",
                                 f"127.0.0.1:{port}", "--backlog", "2048", "wsgi:app"], self.env,
                                self.folder / f"{self.name}.log").__enter__()
        self.url = f"http://127.0.0.1:{port}"
        _wait_for(lambda: requests.get(self.url + "/healthz", timeout=2).ok)
        return self

    def worker_pid(self) -> int:
        """gunicorn's one worker process (the master only forks and watches it)."""
        return int(Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()[0])

    def __exit__(self, *exc):
        self.process.__exit__(*exc)


class _cpu_of:
    """CPU seconds spent during the block by a gunicorn worker and, apart, by its children (the pool)."""

    def __init__(self, web: _web):
        self.pid = web.worker_pid()
        self.figures: dict = {}

    def __enter__(self) -> dict:
        self.start = _cpu_split(self.pid)
        return self.figures

    def __exit__(self, *exc):
        end = _cpu_split(self.pid)
        self.figures.update(web=end[0] - self.start[0], children=end[1] - self.start[1])


def _cpu_split(pid: int) -> tuple[float, float]:
    """(the process's own CPU seconds, its live children's), from /proc."""
    def cpu(of: int) -> float:
        fields = Path(f"/proc/{of}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    # Each thread has its own list: the pool's children were started by its feeding threads.
    children = [c for task in Path(f"/proc/{pid}/task").iterdir() for c in (task / "children").read_text().split()]
    return cpu(pid), sum(cpu(int(child)) for child in children)

    def __exit__(self, *exc):
        self.process.__exit__(*exc)


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

    def page(self, document_id: int, page: int, width: int = 1024, session=None) -> None:
        response = (session or requests).get(f"{self.url}/api/v1/documents/{document_id}/pages/{page}",
                                             params={"width": width}, headers=self.member, timeout=60)
        assert response.status_code == 200, response.text[:200]

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
