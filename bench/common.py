"""Helpers shared by the benchmarks: a throw-away app on SQLite (or BENCH_DATABASE_URL) and timing."""
import gc
import os
import statistics
import tempfile
import time

from meetings import create_app
from meetings.extensions import db


def bench_app(**overrides):
    """A fresh app with an empty schema; BENCH_DATABASE_URL picks PostgreSQL instead of SQLite."""
    folder = tempfile.mkdtemp(prefix="meetings-bench-")
    url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{folder}/bench.db"
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench" * 8,
                      "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False,
                      "MEETINGS_STORAGE": f"{folder}/storage", "REDIS_URL": None, **overrides})
    with app.app_context():
        db.drop_all()
        db.create_all()
    gc.freeze()  # as wsgi.py does for the served app: start-up objects are left out of collections
    return app


def timed(function, repeat: int = 20, warmup: int = 2) -> list[float]:
    """Wall-clock milliseconds of `repeat` calls after `warmup` untimed ones."""
    for _ in range(warmup):
        function()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def median(samples: list[float]) -> float:
    return statistics.median(samples)


def report(label: str, samples_ms: list[float], target_ms: float | None = None, judged_at: int = 50) -> None:
    """One line of figures; the verdict is the median's, or the percentile `judged_at` where a target is
    set at p95 (a median under a p95 target read OK when p95 was over it)."""
    med = statistics.median(samples_ms)
    judged = med if judged_at == 50 else percentile(samples_ms, judged_at)
    verdict = "" if target_ms is None else ("  OK" if judged < target_ms else "  OVER TARGET")
    target = "" if target_ms is None else f" (target {'' if judged_at == 50 else f'p{judged_at} '}< {target_ms:g} ms)"
    print(f"{label:<55} median {med:8.2f} ms  p95 {percentile(samples_ms, 95):8.2f} ms{target}{verdict}")


def percentile(samples: list[float], pct: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[index]
