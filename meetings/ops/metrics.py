"""Prometheus metrics (prometheus-client): request latency by route, open sockets, the job queue,
the e-mail outbox and the generated-file cache.

Under gunicorn with several worker processes, set PROMETHEUS_MULTIPROC_DIR to an empty folder that
every worker may write (cleared before start): each process then writes its numbers there and a
scrape of any one process adds them all up (prometheus-client's multiprocess mode). Without it, the
numbers are this process's own, which is exact for the README's single-process gunicorn.

The queue (meetings' background jobs) reports through three small calls, so it needs no Prometheus
knowledge of its own: `job_finished(name, ok, seconds)` (or logs.job_run around a job), and
`set_queue_depth_source(function)`, a function returning the number of jobs waiting, asked at scrape.
"""
import logging
import os
from collections.abc import Callable

from prometheus_client import REGISTRY, CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector

MULTIPROCESS = bool(os.environ.get("PROMETHEUS_MULTIPROC_DIR"))
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"

REQUEST_SECONDS = Histogram(
    "meetings_request_seconds", "Time to answer a request, by URL rule (not the raw path).",
    ["route", "method", "status"], buckets=(0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10))
OPEN_SOCKETS = Gauge("meetings_open_sockets", "Signed-in live sockets open now.",
                     multiprocess_mode="livesum")
JOBS = Counter("meetings_jobs_total", "Background jobs run, by job and outcome.", ["job", "outcome"])
JOB_FAILURES = Counter("meetings_job_failures_total", "Background jobs that failed, by job.", ["job"])
JOB_SECONDS = Histogram("meetings_job_seconds", "Time a background job took.", ["job"],
                        buckets=(0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300))
CACHE = Counter("meetings_generated_file_cache_total",
                "Generated files (page images, stamped copies) asked for: hit = served from the cache.", ["result"])

_queue_depth: Callable[[], int] | None = None


def observe_request(route: str, method: str, status: int, seconds: float) -> None:
    REQUEST_SECONDS.labels(route, method, str(status)).observe(seconds)


def socket_opened() -> None:
    OPEN_SOCKETS.inc()


def socket_closed() -> None:
    OPEN_SOCKETS.dec()


def job_finished(name: str, ok: bool, seconds: float) -> None:
    JOBS.labels(name, "ok" if ok else "failed").inc()
    JOB_SECONDS.labels(name).observe(seconds)
    if not ok:
        JOB_FAILURES.labels(name).inc()


def set_queue_depth_source(function: Callable[[], int] | None) -> None:
    """The queue says how to count its waiting jobs; asked at each scrape, never per request."""
    global _queue_depth
    _queue_depth = function


def cache_lookup(hit: bool) -> None:
    counter = _CACHE_RESULTS.get(hit)
    if counter is None:  # made on first use (after a multiprocess setup): labels() again costs each page turn
        counter = _CACHE_RESULTS[hit] = CACHE.labels("hit" if hit else "miss")
    counter.inc()


_CACHE_RESULTS: dict = {}


class _AtScrape:
    """Numbers read from the database and the queue when Prometheus asks: the same for every process,
    so they are not summed across processes."""

    def describe(self):
        return []  # nothing to ask the database at registration

    def collect(self):
        from sqlalchemy import func, select

        from meetings.extensions import db
        from meetings.notify.models import OutboxEmail

        backlog = GaugeMetricFamily("meetings_outbox_backlog", "E-mails waiting to be sent, by status.",
                                    labels=["status"])
        try:
            counts = dict(db.session.execute(select(OutboxEmail.status, func.count()).where(
                OutboxEmail.status.in_(("queued", "sending", "failed"))).group_by(OutboxEmail.status)).all())
        except Exception:  # the database away: the other numbers still help, and /readyz says why
            db.session.rollback()
            logging.getLogger(__name__).exception("metrics: outbox unreadable")
            counts = None
        if counts is not None:
            for status in ("queued", "sending", "failed"):
                backlog.add_metric([status], counts.get(status, 0))
            yield backlog
        depth = GaugeMetricFamily("meetings_queue_depth", "Background jobs waiting in the queue.")
        depth.add_metric([], _queue_depth() if _queue_depth else 0)
        yield depth


_SHARED = CollectorRegistry()
_SHARED.register(_AtScrape())


def exposition() -> bytes:
    """The text Prometheus scrapes: this process's metrics (every process's, in multiprocess mode,
    where the default registry would hold only the scraped process's), then the shared numbers."""
    if MULTIPROCESS:
        registry = CollectorRegistry()
        MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    return generate_latest(registry) + generate_latest(_SHARED)
