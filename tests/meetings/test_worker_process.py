"""A real `flask worker` process beside the app, on the embedded queue (SQLite) and on the production
one (Redis): an upload waits as "processing" until the worker has checked it, then is ready (or
refused with its reason), the worker beats its heartbeat, and with Redis the secretary's screen
connected to a web process hears the progress pushed from the worker process.

Under CI=true the Redis case runs too (a missing Redis is a failure there), so `.ci/run` tests both."""
import threading
import time
import uuid

import pytest
import socketio

from meetings.extensions import db
from meetings.heartbeat import last_beats
from meetings.timeutil import now_utc
from tests.dossiers import pdfs
from tests.meetings.conftest import LIMIT_BYTES, LIMIT_PAGES, NOW
from tests.processes import process_env, redis_or_skip, web_server, worker_process

WAIT = 60  # seconds: a loaded CI machine starts Python processes slowly


@pytest.fixture
def queue(tmp_path, database_url) -> dict:
    """The queue settings shared by the test's app and the worker process: the embedded queue beside
    SQLite (a fresh `make run`) and Redis beside PostgreSQL (production). The crossed pairs would
    only double the slowest test of the suite for nothing the database changes in the worker."""
    kind = "sqlite" if database_url.startswith("sqlite") else "redis"
    settings = {"JOBS_QUEUE_NAME": f"test-{uuid.uuid4().hex}"}
    if kind == "redis":
        url = redis_or_skip()
        settings.update(JOBS_REDIS_URL=url, REDIS_URL=url, SOCKETIO_CHANNEL=f"test-{uuid.uuid4().hex}")
    else:
        settings["JOBS_SQLITE_PATH"] = str(tmp_path / "jobs.db")
    return settings


@pytest.fixture
def app(make_app, queue, tmp_path):
    return make_app(MEETINGS_FAKE_NOW=NOW, DOSSIER_MAX_BYTES=LIMIT_BYTES, DOSSIER_MAX_PAGES=LIMIT_PAGES,
                    JOBS_IMMEDIATE=False, MEETINGS_STORAGE=str(tmp_path / "storage"), **queue)


def wait_for_state(board, jobs, doc_id: int, wanted: str) -> dict:
    """The document once it is `wanted`: looked at now, then again each time the worker finishes a job
    (its log line), never on a clock."""
    deadline = time.monotonic() + WAIT
    finished = jobs.finished
    while True:
        seen = board.get(board.secretary, f"/api/v1/documents/{doc_id}").json
        if seen["state"] == wanted:
            return seen
        left = deadline - time.monotonic()
        if left <= 0:
            pytest.fail(f"document {doc_id} still {seen['state']} after {WAIT} s")
        finished = jobs.wait_for_job(finished, left)


class StateListener:
    """The secretary's screen on a web process: the document_state events pushed to it."""

    def __init__(self, url: str, token: str):
        self.events, self._arrived = [], threading.Condition()
        self.sio = socketio.Client(reconnection=False)
        self.sio.on("document_state", self._on_state, namespace="/live")
        self.sio.connect(url, namespaces=["/live"], transports=["websocket"], auth={"token": token}, wait_timeout=10)

    def _on_state(self, message):
        with self._arrived:
            self.events.append(message)
            self._arrived.notify_all()

    def wait_for(self, predicate) -> bool:
        with self._arrived:
            return self._arrived.wait_for(lambda: any(predicate(m) for m in self.events), timeout=WAIT)


def test_the_worker_process_makes_uploads_ready_or_refused(board, app, queue, database_url, tmp_path):
    meeting_id = board.meeting()["id"]
    good = board.upload(meeting_id, pdfs.text_pdf(3, text="Báo cáo tổng kết"), title="Báo cáo")
    bad = board.upload(meeting_id, pdfs.encrypted_pdf(), title="Có mật khẩu")
    assert (good.status_code, good.json["state"]) == (202, "processing")  # no worker yet: it waits
    assert board.get(board.member, f"/api/v1/documents/{good.json['id']}").status_code == 404
    env = process_env(database_url, tmp_path, **queue)
    listener = None
    with worker_process(env, tmp_path / "worker.log") as (started, jobs):
        assert queue["JOBS_QUEUE_NAME"] in started
        if "JOBS_REDIS_URL" in queue:  # the worker's pushes travel through Redis to any web process
            server = web_server(env)
            url = server.__enter__()
            listener = StateListener(url, board.make.token(board.secretary))
        try:
            ready = wait_for_state(board, jobs, good.json["id"], "ready")
            refused = wait_for_state(board, jobs, bad.json["id"], "refused")
            # A second upload while the worker runs, so a connected screen hears it from the start.
            late = board.upload(meeting_id, pdfs.text_pdf(2), title="Phụ lục")
            wait_for_state(board, jobs, late.json["id"], "ready")
            if listener:
                assert listener.wait_for(lambda m: m["document_id"] == late.json["id"] and m["state"] == "ready")
                assert [m["progress"] for m in listener.events if m["document_id"] == late.json["id"]][-1] == 100
        finally:
            if listener:
                listener.sio.disconnect()
                server.__exit__(None, None, None)
    assert (ready["pages"], ready["version"]) == (3, 1)
    assert refused["refusal"]["code"] == "encrypted"
    assert board.get(board.member, f"/api/v1/documents/{good.json['id']}/pages/1").status_code == 200
    assert board.get(board.member, f"/api/v1/meetings/{meeting_id}/search?q=tong+ket").json["hits"]
    with app.app_context():
        assert "worker" in last_beats(now_utc())
        db.session.remove()
