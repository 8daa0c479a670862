"""CPU per request of the cheap repeated reads (issue 18), in one process without the network: the app as
gunicorn loads it (`wsgi.py`, JSON request logs on, Flask-Limiter on), called as a WSGI app, each request's
`time.process_time` (user + system CPU, the kernel's copy of the file included) beside `/healthz`'s.

Reads: a cached page image stamped for the reader (an `app` document), a shared one (a `download`
document), the personal copy whole and its first 64 KiB range (what pdf.js asks first), and the stamped
page again with the browser's session cookie instead of a token. Every file is made and every first
view logged before timing, so each timed request is a repeat. The kinds are measured in turn, 50 requests
each per round (see `interleaved`). Target: each read <= 2x /healthz.
"""
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from werkzeug.test import EnvironBuilder

from bench.ops_cached_reads import seed_readers

REPEAT = int(os.environ.get("BENCH_REPEAT", "1500"))
WARMUP = 200


class _SendFile:
    """What gunicorn's wsgi.file_wrapper does with a served file: once the headers are out, sendfile(2)
    from the file's position for Content-Length bytes (or to its end), here into /dev/null."""

    def __init__(self, sink: int):
        self.sink = sink
        self.length: int | None = None  # the response's Content-Length, as start_response gave it

    def __call__(self, file, block_size=8192):
        return _Sending(self, file, block_size)


class _Sending:
    def __init__(self, server: _SendFile, file, block_size: int):
        self.server, self.file, self.block_size = server, file, block_size

    def __iter__(self):
        file = self.file
        try:
            offset = os.lseek(file.fileno(), 0, os.SEEK_CUR)
            end = os.fstat(file.fileno()).st_size if self.server.length is None else offset + self.server.length
            while offset < end:
                offset += os.sendfile(self.server.sink, file.fileno(), offset, end - offset)
        except (AttributeError, io.UnsupportedOperation):  # not a real file: read it as gunicorn would
            while file.read(self.block_size):
                pass
        return iter(())

    def close(self):
        self.file.close()


def environ_for(path: str, headers: dict, sink: int) -> dict:
    environ = EnvironBuilder(path=path, headers=headers, base_url="http://127.0.0.1:8000").get_environ()
    environ["wsgi.file_wrapper"] = _SendFile(sink)
    return environ


def _runner(app, environ: dict):
    status = []

    sender = environ.get("wsgi.file_wrapper")

    def start_response(line, headers, exc_info=None):
        status[:] = [int(line.split()[0])]
        if sender is not None:
            sender.length = next((int(value) for name, value in headers if name.lower() == "content-length"), None)

    def once():
        body = app(dict(environ), start_response)
        try:
            for _chunk in body:
                pass
        finally:
            getattr(body, "close", lambda: None)()

    return once, status


def cpu_ms(app, environ: dict, repeat: int = REPEAT) -> tuple[float, int]:
    """Median CPU milliseconds of one request (samples of 50 requests each), and the last status."""
    return interleaved(app, {"one": environ}, repeat)["one"]


def interleaved(app, environs: dict, repeat: int = REPEAT) -> dict:
    """Each kind's median CPU milliseconds per request and its last status, the kinds taken in turn, 50
    requests of each per round: a minute when the machine is busier (other processes, the CPU's clock)
    falls on every kind alike instead of on whichever ran then."""
    runners = {kind: _runner(app, environ) for kind, environ in environs.items()}
    for once, _status in runners.values():
        for _ in range(WARMUP):
            once()
    samples = {kind: [] for kind in runners}
    for _ in range(repeat // 50):
        for kind, (once, _status) in runners.items():
            start = time.process_time()
            for _ in range(50):
                once()
            samples[kind].append((time.process_time() - start) * 1000 / 50)
    return {kind: (statistics.median(samples[kind]), runners[kind][1][0]) for kind in runners}


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="meetings-bench-cpu-"))
    environment = {"SECRET_KEY": "bench" * 8, "MEETINGS_STORAGE": str(folder / "storage"),
                   "MEETINGS_INSTANCE": str(folder), "MAIL_TRANSPORT": "outbox", "REDIS_URL": "",
                   "DATABASE_URL": os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{folder}/bench.db"}
    os.environ.update(environment)
    seeded = seed_readers(environment)
    import wsgi  # the app exactly as gunicorn loads it, from the environment above

    app = wsgi.app
    for handler in __import__("logging").getLogger("meetings").handlers:  # journald's job, not ours
        if hasattr(handler, "stream"):
            handler.stream = open(os.devnull, "w")
    cookie = seeded.session_cookie(app)
    token = {"Authorization": f"Bearer {seeded.token}"}
    copy = {**token, "X-Meetings-Reader": "pdfjs"}
    sink = os.open(os.devnull, os.O_WRONLY)
    reads = [
        ("GET /healthz", "/healthz", {}),
        ("cached page image, stamped (token)", f"/api/v1/documents/{seeded.app_document}/pages/7", token),
        ("cached page image, shared (token)", f"/api/v1/documents/{seeded.download_document}/pages/7", token),
        ("personal copy, whole (token)", f"/api/v1/documents/{seeded.app_document}/file", copy),
        ("personal copy, first 64 KiB range (token)", f"/api/v1/documents/{seeded.app_document}/file",
         {**copy, "Range": "bytes=0-65535"}),
        ("cached page image, stamped (session cookie)", f"/api/v1/documents/{seeded.app_document}/pages/7",
         {"Cookie": cookie}),
    ]
    measured = interleaved(app, {label: environ_for(path, headers, sink) for label, path, headers in reads})
    results = [(label, *measured[label]) for label, _path, _headers in reads]
    health = results[0][1]
    database = environment["DATABASE_URL"].split(":")[0]
    print(f"CPU per request (time.process_time), {REPEAT} requests each, one process, {database}; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    for label, ms, status in results:
        ratio = ms / health
        verdict = "" if label.startswith("GET /healthz") else ("  OK" if ratio <= 2 else "  OVER TARGET (<= 2x)")
        print(f"  {label:<46} {ms:6.2f} ms  {ratio:4.1f}x healthz  [{status}]{verdict}")


if __name__ == "__main__":
    sys.exit(main())
