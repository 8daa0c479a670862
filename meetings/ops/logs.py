"""Structured logs: one JSON line per request and per job, each with the request's id.

The id comes from the X-Request-ID header when the proxy (nginx: `$request_id`) sends a sane one, or
is made here; it goes back in the response header and into every error answer, so a person who
reports "mã yêu cầu ..." leads the operator to the exact log line.
"""
import json
import logging
import re
import sys
import time
import uuid
from contextlib import contextmanager
from datetime import datetime, timezone

from flask import Flask, g, has_request_context, request
from flask.logging import default_handler

REQUEST_LOG = logging.getLogger("meetings.requests")
JOB_LOG = logging.getLogger("meetings.jobs")
# Letters, digits and . _ - only, and short: the header is echoed back and written into logs.
_SANE_ID = re.compile(r"^[A-Za-z0-9._-]{8,128}$")


def request_id() -> str | None:
    """This request's id (made on first use), or None outside a request."""
    if not has_request_context():
        return None
    if "request_id" not in g:
        given = request.headers.get("X-Request-ID", "")
        g.request_id = given if _SANE_ID.match(given) else uuid.uuid4().hex
    return g.request_id


class JsonFormatter(logging.Formatter):
    """A record as one JSON object: time, level, logger, message, the request id, and `extra` fields."""

    def format(self, record: logging.LogRecord) -> str:
        line = {"ts": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
                "level": record.levelname.lower(), "logger": record.name, "msg": record.getMessage()}
        rid = getattr(record, "request_id", None) or request_id()
        if rid:
            line["request_id"] = rid
        line.update(getattr(record, "fields", {}))
        if record.exc_info:
            line["exc"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


def _start():
    g.started = time.perf_counter()
    request_id()


def _finish(response):
    from meetings.ops import metrics

    seconds = time.perf_counter() - g.get("started", time.perf_counter())
    route = request.url_rule.rule if request.url_rule is not None else "<unmatched>"
    response.headers["X-Request-ID"] = request_id()
    metrics.observe_request(route, request.method, response.status_code, seconds)
    if REQUEST_LOG.isEnabledFor(logging.INFO):
        REQUEST_LOG.info("request", extra={"request_id": request_id(), "fields": {
            "event": "request", "method": request.method, "route": route, "path": request.path,
            "status": response.status_code, "ms": round(seconds * 1000, 2), "remote": request.remote_addr,
            "bytes": response.content_length}})
    return response


@contextmanager
def job_run(name: str, **fields):
    """Around one background job (a scheduler sweep, a queued job): one JSON line with its outcome and
    duration, and the job metrics. The exception, if any, goes on up after being counted."""
    from meetings.ops import metrics

    started = time.perf_counter()
    outcome = "ok"
    try:
        yield
    except BaseException:
        outcome = "failed"
        raise
    finally:
        seconds = time.perf_counter() - started
        metrics.job_finished(name, outcome == "ok", seconds)
        JOB_LOG.log(logging.INFO if outcome == "ok" else logging.ERROR, "job",
                    extra={"fields": {"event": "job", "job": name, "outcome": outcome,
                                      "ms": round(seconds * 1000, 2), **fields}})


def configure(app: Flask) -> None:
    """JSON lines on stderr for every `meetings.*` logger (journald keeps stderr); not under tests,
    where pytest captures the records itself."""
    app.before_request(_start)
    app.after_request(_finish)
    for name in ("meetings.requests", "meetings.jobs"):
        logging.getLogger(name).setLevel(logging.INFO)
    if app.config.get("TESTING") or not app.config.get("MEETINGS_JSON_LOGS", True):
        return
    root = logging.getLogger("meetings")
    if not any(isinstance(h.formatter, JsonFormatter) for h in root.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(JsonFormatter())
        root.addHandler(handler)
        root.removeHandler(default_handler)  # Flask's plain-text one, had app.logger been used already
        root.setLevel(logging.INFO)
        root.propagate = False
