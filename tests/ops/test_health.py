"""/healthz, /readyz with the heartbeats, /metrics behind its allow-list or token, and the JSON logs
with the request id that every error answer carries."""
import json
import logging
from datetime import timedelta

import pytest

from sqlalchemy import delete

from meetings import create_app
from meetings.extensions import db
from meetings.ops.models import Heartbeat
from tests.conftest import app_config, clean_tables
from meetings.heartbeat import beat, last_beats
from meetings.ops.logs import JsonFormatter, job_run
from meetings.ops.readiness import _script_heads
from tests.meetings.conftest import NOW


@pytest.fixture(scope="module")
def apps(database_url, tmp_path_factory):
    """One database for the module, emptied once at the end; `build` makes an app on it with settings."""
    built = []

    def build(**overrides):
        app = create_app(app_config(database_url, tmp_path_factory.mktemp("ops"), **overrides))
        built.append(app)
        return app

    main = build(MEETINGS_FAKE_NOW=NOW, MEETINGS_PROCESSES="scheduler,worker")
    with main.app_context():  # the tables were made by create_all: say they are at the latest revision
        # (by hand: Alembic's own stamp runs fileConfig, which disables every logger made before it)
        db.session.execute(db.text("CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY)"))
        for head in _script_heads():
            db.session.execute(db.text("INSERT INTO alembic_version VALUES (:v)"), {"v": head})
        db.session.commit()
    yield main, build
    with main.app_context():
        db.session.execute(db.text("DROP TABLE alembic_version"))
        db.session.commit()
        clean_tables()
    for app in built:
        with app.app_context():
            db.engine.dispose()


@pytest.fixture
def app(apps):
    main, _build = apps
    with main.app_context():
        db.session.execute(delete(Heartbeat))
        db.session.commit()
    return main


@pytest.fixture
def make_app(apps):
    return apps[1]


@pytest.fixture
def client(app):
    return app.test_client()


def test_healthz_answers_without_the_database(client):
    assert client.get("/healthz").json == {"status": "ok"}


def test_heartbeats_keep_the_last_time_per_process(app):
    with app.app_context():
        beat("scheduler", NOW - timedelta(minutes=5))
        beat("scheduler", NOW - timedelta(seconds=30))  # the second beat updates the row
        beats = last_beats(NOW)
    assert list(beats) == ["scheduler"]
    assert beats["scheduler"]["age_seconds"] == 30.0


def test_readyz_names_what_fails_until_every_process_beats(app, client):
    with app.app_context():
        beat("scheduler", NOW - timedelta(seconds=90))
        beat("worker", NOW - timedelta(minutes=3))
    answer = client.get("/readyz")
    assert answer.status_code == 503
    assert answer.json["failed"] == ["worker"]
    assert answer.json["checks"]["worker"] == "last seen 180 s ago"
    assert {k: v for k, v in answer.json["checks"].items() if k != "worker"} == {
        "database": "ok", "redis": "ok", "storage": "ok", "migrations": "ok", "scheduler": "ok"}
    with app.app_context():
        beat("worker", NOW)
    assert client.get("/readyz").status_code == 200


def test_readyz_checks_only_the_processes_configured_and_the_latest_migration(make_app):
    app = make_app(MEETINGS_PROCESSES="")  # a deployment without scheduler or worker
    assert app.test_client().get("/readyz").status_code == 200
    with app.app_context():
        head = db.session.scalar(db.text("SELECT version_num FROM alembic_version"))
        db.session.execute(db.text("UPDATE alembic_version SET version_num = '0001_foundation'"))
        db.session.commit()
        try:
            answer = app.test_client().get("/readyz")
        finally:
            db.session.execute(db.text("UPDATE alembic_version SET version_num = :v"), {"v": head})
            db.session.commit()
    assert answer.status_code == 503 and answer.json["failed"] == ["migrations"]
    assert answer.json["checks"]["migrations"] == "not at the latest revision: run flask db upgrade"


def test_readyz_fails_on_unwritable_storage_and_an_unreachable_redis(make_app, tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    app = make_app(MEETINGS_PROCESSES="", MEETINGS_STORAGE=str(blocked), REDIS_URL="redis://127.0.0.1:9/0")
    answer = app.test_client().get("/readyz")
    assert answer.status_code == 503
    assert {"storage", "redis"} <= set(answer.json["failed"])
    assert answer.json["checks"]["redis"] == "unavailable"  # never the exception's text


def _sample(text: str, name: str, **labels) -> float:
    want = ",".join(f'{k}="{v}"' for k, v in sorted(labels.items()))
    for line in text.splitlines():
        if line.startswith(name + "{") or line.startswith(name + " "):
            key, value = line.rsplit(" ", 1)
            found = key[len(name):].strip("{}")
            if sorted(found.split(",")) == sorted(want.split(",")) or (not want and not found):
                return float(value)
    return 0.0


def test_metrics_by_route_jobs_outbox_and_cache(app, client):
    before = client.get("/metrics").get_data(as_text=True)
    client.get("/api/v1/users/123456", headers={"Accept": "application/json"})
    with app.app_context(), pytest.raises(RuntimeError), job_run("deliver_email"):
        raise RuntimeError("smtp down")
    from meetings.ops import metrics

    metrics.set_queue_depth_source(lambda: 7)
    try:
        after = client.get("/metrics").get_data(as_text=True)
    finally:
        metrics.set_queue_depth_source(None)
    route = {"route": "/api/v1/users/<int:user_id>", "method": "GET", "status": "401"}
    assert _sample(after, "meetings_request_seconds_count", **route) == \
        _sample(before, "meetings_request_seconds_count", **route) + 1
    assert _sample(after, "meetings_job_failures_total", job="deliver_email") == \
        _sample(before, "meetings_job_failures_total", job="deliver_email") + 1
    assert _sample(after, "meetings_queue_depth") == 7
    assert "meetings_outbox_backlog{status=\"queued\"}" in after
    assert "meetings_open_sockets" in after and "meetings_generated_file_cache_total" in after


def test_metrics_refuse_other_addresses_unless_the_token_is_given(make_app):
    app = make_app(METRICS_ALLOW="10.1.0.0/16", METRICS_TOKEN="scrape-token-0123456789")
    client = app.test_client()
    refused = client.get("/metrics", headers={"Accept": "application/json"})
    assert refused.status_code == 403 and refused.json["error"]["message"]
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 403
    assert client.get("/metrics", headers={"Authorization": "Bearer scrape-token-0123456789"}).status_code == 200
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "10.1.2.3"}).status_code == 200


def test_one_json_line_per_request_with_the_id_the_error_answer_carries(client, caplog):
    caplog.set_level(logging.INFO, logger="meetings.requests")
    given = client.get("/api/v1/meetings/1", headers={"X-Request-ID": "nginx-1234abcd"})
    assert given.json["error"]["request_id"] == "nginx-1234abcd" == given.headers["X-Request-ID"]
    made = client.get("/no/such/page")  # an HTML error page shows the id made here
    rid = made.headers["X-Request-ID"]
    assert len(rid) == 32 and rid in made.get_data(as_text=True)
    odd = "<script>" + "x" * 200  # not echoed into logs and headers: a fresh id instead
    assert client.get("/healthz", headers={"X-Request-ID": odd}).headers["X-Request-ID"] != odd
    lines = [json.loads(JsonFormatter().format(r)) for r in caplog.records if r.name == "meetings.requests"]
    assert [(line["request_id"], line["route"], line["status"]) for line in lines[:2]] == [
        ("nginx-1234abcd", "/api/v1/meetings/<int:meeting_id>", 401), (rid, "<unmatched>", 404)]
    assert lines[0]["event"] == "request" and lines[0]["path"] == "/api/v1/meetings/1" and lines[0]["ms"] >= 0


def test_the_scheduler_beats_from_its_own_loop(app):
    from meetings.notify.scheduler import _beat

    _beat(app, lambda: NOW)  # what the scheduler's "heartbeat" job runs every minute
    with app.app_context():
        assert last_beats(NOW)["scheduler"]["age_seconds"] == 0


def test_open_sockets_count_signed_in_sockets_while_they_are_open(app):
    from meetings.extensions import socketio
    from meetings.ops.metrics import OPEN_SOCKETS
    from meetings.realtime import NAMESPACE
    from tests.factories import Factories

    make = Factories(app)
    before = OPEN_SOCKETS._value.get()
    socket = socketio.test_client(app, namespace=NAMESPACE, auth={"token": make.token(make.user("member"))})
    refused = socketio.test_client(app, namespace=NAMESPACE, auth={"token": "mtg_unknown"})
    assert socket.is_connected(NAMESPACE) and not refused.is_connected(NAMESPACE)
    assert OPEN_SOCKETS._value.get() == before + 1
    socket.disconnect(namespace=NAMESPACE)
    assert OPEN_SOCKETS._value.get() == before
