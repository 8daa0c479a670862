"""Several processes behind Debian's real nginx, configured as the README says (deploy/nginx.conf):
two gunicorn processes with their own caches, one shared documents folder, one Redis, one database.
A document uploaded through one process is read through the other; a change made through one reaches
Socket.IO clients of the other through nginx; when one is killed, its clients reconnect through nginx
to the other and catch up."""
import io
import random
import re
import uuid
from pathlib import Path

import pymupdf
import pytest
import requests
from PIL import Image

from tests.conftest import free_port
from tests.live.conftest import NOW, LiveMeeting
from tests.live.room_client import RoomClient
from tests.processes import process_env, redis_or_skip, worker_process
from tests.production.servers import caches_folder, gunicorns, nginx, ready, wait_until


@pytest.fixture
def app(make_app):
    return make_app(MEETINGS_FAKE_NOW=NOW)


@pytest.fixture
def meeting(app):
    return LiveMeeting(app)


def heavy_pdf() -> bytes:
    """Two pages, the first with a photo-like image that does not compress: over nginx's default
    1 MB body limit, so the upload passes only if client_max_body_size is set."""
    noise = random.Random(18).randbytes(640 * 640 * 3)
    picture = io.BytesIO()
    Image.frombytes("RGB", (640, 640), noise).save(picture, format="PNG")
    doc = pymupdf.open()
    for number in (1, 2):
        page = doc.new_page()
        page.insert_text((72, 72), f"Trang {number}", fontsize=14)
        if number == 1:
            page.insert_image(pymupdf.Rect(72, 100, 520, 548), stream=picture.getvalue())
    return doc.tobytes(deflate=True)


def read_through_nginx(web, proxy, meeting, document_id: int) -> None:
    """Through nginx, a page image and the personal copy come from the cached file (X-Accel-Redirect:
    the access log shows the internal location), with the app's headers; ranges are answered by nginx
    from the file; a refused reader is refused by the app as before."""
    member = meeting.members[0]
    base = f"{proxy.url}/api/v1/documents/{document_id}"
    logged = len(proxy.log())
    page = web.get(f"{base}/pages/1", headers=meeting.headers(member), timeout=30)
    assert page.status_code == 200 and page.content.startswith(b"\xff\xd8"), page.text  # a whole JPEG
    assert page.headers["Content-Type"] == "image/jpeg" and page.headers["X-Content-Type-Options"] == "nosniff"
    assert page.headers["Cache-Control"] == "private, max-age=31536000, immutable" and page.headers["ETag"]
    again = web.get(f"{base}/pages/1", headers={**meeting.headers(member), "If-None-Match": page.headers["ETag"]},
                    timeout=30)
    assert again.status_code == 304 and again.content == b""  # answered by the app, the file untouched
    reader = {**meeting.headers(member), "X-Meetings-Reader": "pdfjs"}
    first = web.get(f"{base}/file", headers={**reader, "Range": "bytes=0-65535"}, timeout=30)
    assert first.status_code == 206 and len(first.content) == 65536 and first.content.startswith(b"%PDF")
    size = int(first.headers["Content-Range"].rpartition("/")[2])
    assert first.headers["Content-Range"] == f"bytes 0-65535/{size}" and size > 65536
    assert first.headers["Content-Type"] == "application/pdf" and first.headers["Cache-Control"] == "private, no-store"
    assert first.headers["Content-Disposition"].startswith("inline")
    etag = first.headers["ETag"]
    tail = web.get(f"{base}/file", headers={**reader, "Range": "bytes=-100", "If-Range": etag}, timeout=30)
    assert tail.status_code == 206 and tail.headers["ETag"] == etag and len(tail.content) == 100
    stale = web.get(f"{base}/file", headers={**reader, "Range": "bytes=0-99", "If-Range": '"another"'}, timeout=30)
    assert stale.status_code == 200 and len(stale.content) == size and stale.content[-100:] == tail.content
    assert stale.headers["Accept-Ranges"] == "bytes"  # what pdf.js looks for on a whole answer
    beyond = web.get(f"{base}/file", headers={**reader, "Range": f"bytes={size}-"}, timeout=30)
    assert beyond.status_code == 416 and beyond.json()["error"]["request_id"]  # the app's refusal, in JSON
    served = [uri for uri in proxy.uris()[logged:] if uri.startswith("/_files/")]
    assert len(served) == 4, proxy.uris()[logged:]  # the page, the first range, the tail, the whole copy
    outsider = web.get(f"{base}/pages/1", headers=meeting.headers(meeting.outsider), timeout=30)
    assert outsider.status_code == 404 and outsider.json()["error"]["request_id"]
    unknown = web.get(f"{base}/file", headers={"Authorization": "Bearer mtg_not-a-token"}, timeout=30)
    assert unknown.status_code == 401 and "X-Accel-Redirect" not in unknown.headers


def host_env(database_url: str, tmp_path: Path, caches: Path, host: str, channel: str) -> dict:
    """One host's settings: production, shared documents folder, its own instance folder and cache,
    the one Redis for live updates and background jobs (a queue of this test's own). The one nginx
    reads both hosts' caches (in one folder) to send their files under X-Accel-Redirect."""
    return process_env(database_url, tmp_path / host, MEETINGS_ENV="production", REDIS_URL=redis_or_skip(),
                       SOCKETIO_CHANNEL=channel, JOBS_QUEUE_NAME=channel, MEETINGS_STORAGE=tmp_path / "shared-storage",
                       MEETINGS_CACHE=caches / host, MEETINGS_ACCEL_REDIRECT=f"/_files/{host}/",
                       MEETINGS_SECURE_COOKIES=1, MEETINGS_TRUSTED_PROXIES=1)


def tls_session(proxy) -> requests.Session:
    session = requests.Session()
    session.verify = str(proxy.certificate)  # TLS checked against the test's own certificate,
    session.trust_env = False  # which REQUESTS_CA_BUNDLE in the environment would otherwise replace
    return session


def files_under(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


@pytest.fixture
def hosts(app, database_url, tmp_path):
    """Two hosts' web processes, a worker on a third host (its own cache: what it makes ahead must not
    be mistaken for a web host's drawing) and nginx, starting while the test sets its meeting up;
    stopped before `app` empties the tables."""
    channel = f"test-{uuid.uuid4().hex}"
    ports = [free_port(), free_port()]
    with caches_folder() as caches:
        envs = [host_env(database_url, tmp_path, caches, host, channel) for host in ("host-a", "host-b")]
        worker_env = host_env(database_url, tmp_path, caches, "worker-host", channel)
        (tmp_path / "worker-host").mkdir()
        with gunicorns([(env, port, tmp_path / f"{port}.log") for env, port in zip(envs, ports)]) as servers, \
                nginx(ports, caches) as proxy, worker_process(worker_env, tmp_path / "worker.log") as (_, jobs):
            yield servers, proxy, jobs


def test_two_processes_behind_nginx_share_documents_and_live_changes_and_survive_a_kill(hosts, meeting, tmp_path):
    (first, second), proxy, jobs = hosts
    member, chair = meeting.members[0], meeting.chair
    clients = []
    document = heavy_pdf()
    assert len(document) > 1024 * 1024
    ready([first, second])
    web = tls_session(proxy)
    by_address = {first.address: first, second.address: second}
    try:
        assert requests.get(f"http://127.0.0.1:{proxy.http_port}/healthz", allow_redirects=False,
                            timeout=10).headers["Location"].startswith("https://")

        # A browser signs in through nginx: the form's CSRF check (strict about the Referer over HTTPS)
        # needs the scheme and host the browser used, and the session cookie must be Secure.
        browser = tls_session(proxy)
        form = browser.get(f"{proxy.url}/login", timeout=10)
        token = re.search(r'name="csrf_token" value="([^"]+)"', form.text).group(1)
        signed_in = browser.post(f"{proxy.url}/login", headers={"Referer": f"{proxy.url}/login"}, timeout=10,
                                 data={"csrf_token": token, "email": chair.email, "password": chair.password},
                                 allow_redirects=False)
        assert signed_in.status_code == 302, signed_in.text
        assert "; Secure" in signed_in.headers["Set-Cookie"] and "HttpOnly" in signed_in.headers["Set-Cookie"]
        assert chair.name in browser.get(f"{proxy.url}/", timeout=10).text

        # ip_hash sends this test's address to one process ("home"); the other is reached directly.
        upload = web.post(f"{proxy.url}/api/v1/meetings/{meeting.id}/documents", headers=meeting.headers(
            meeting.secretary), files={"file": ("Tờ trình.pdf", document, "application/pdf")},
            data={"title": "Tờ trình số 18"}, timeout=60)
        assert upload.status_code == 202, upload.text  # taken; the worker checks it
        document_id = upload.json()["id"]
        state = lambda: web.get(f"{proxy.url}/api/v1/documents/{document_id}", timeout=10,  # noqa: E731
                                headers=meeting.headers(meeting.secretary)).json()["state"]
        finished = jobs.finished
        while state() != "ready":  # looked at again each time the worker finishes a job
            assert jobs.wait_for_job(finished, 60) > finished, "the worker did not make the upload ready"
            finished = jobs.finished
        wait_until(lambda: proxy.log("/api/v1/meetings/"), 10, "nginx to log the upload", proxy.folder)
        home = by_address[proxy.log("/api/v1/meetings/")[-1][1]]
        other = second if home is first else first

        # Uploaded through home, read through the other, which draws into its own cache only. Asked
        # directly, the other answers as it answers nginx: the access checked, the file named in its cache
        # for nginx to send (X-Accel-Redirect), no byte of it in the body.
        before = set(files_under(home.cache))
        page = requests.get(f"{other.url}/api/v1/documents/{document_id}/pages/1", timeout=30,
                            headers=meeting.headers(member))
        assert page.status_code == 200 and page.headers["Content-Type"] == "image/jpeg", page.text
        copy = requests.get(f"{other.url}/api/v1/documents/{document_id}/file", timeout=30,
                            headers=meeting.headers(member))
        assert copy.status_code == 200 and copy.content == b"", copy.text
        for answer in (page, copy):
            named = answer.headers["X-Accel-Redirect"]
            assert named.startswith(f"/_files/{other.cache.name}/") and answer.content == b""
            assert (other.cache / named.removeprefix(f"/_files/{other.cache.name}/")).is_file()
        assert files_under(other.cache)
        assert set(files_under(home.cache)) == before
        assert not (tmp_path / "shared-storage" / "cache").exists()
        read_through_nginx(web, proxy, meeting, document_id)

        # Live: every client connects through nginx (so to home); a change through the other reaches them.
        # The chair's starts with long-polling, as browsers do: its requests must all reach one process.
        people = [chair, meeting.secretary, *meeting.members]
        clients = [RoomClient(proxy.url, meeting.tokens[u.id], meeting.id, http_session=web).connect(
            ("polling", "websocket") if u is chair else ("websocket",)) for u in people]
        for client in clients:
            assert client.wait_for_version(meeting.version())
        before = clients[0].version
        change = requests.post(f"{other.url}/api/v1/meetings/{meeting.id}/current", timeout=10,
                               json={"item_id": meeting.items[1]}, headers=meeting.headers(chair))
        assert change.status_code == 200, change.text
        for client in clients:
            assert client.wait_for_version(before + 1)

        # Home dies. The meeting goes on through nginx, which now sends everyone to the other.
        polls = proxy.log("/socket.io/")  # the chair's long-polling before its upgrade
        home.kill()
        # nginx logs a websocket when it closes: all of them were on home (ip_hash), closed by its death.
        wait_until(lambda: len(proxy.websockets()) >= len(clients), 10, "the sockets on the killed process to close",
                   proxy.folder)
        assert proxy.websockets()[:len(clients)] == [home.address] * len(clients)
        assert polls and {upstream for _status, upstream in polls} == {home.address}
        logged = len(proxy.log())
        for body in ({"item_id": meeting.items[2]}, {"item_id": meeting.items[0]}):
            change = web.post(f"{proxy.url}/api/v1/meetings/{meeting.id}/current", json=body,
                              headers=meeting.headers(chair), timeout=10)
            assert change.status_code == 200, change.text
        final = change.json()["version"]
        for client in clients:  # they reconnect on their own (backoff with jitter) and rejoin
            assert client.wait_for_version(final, timeout=30), (client.version, final)
        page = web.get(f"{proxy.url}/api/v1/documents/{document_id}/pages/2", headers=meeting.headers(member),
                       timeout=30)
        assert page.status_code == 200 and page.headers["Content-Type"] == "image/jpeg", page.text
        assert all(c.gapless() and not c.errors for c in clients)
        for client in clients:
            client.close()
        # Every request since the kill, the reconnected sockets among them, was answered by the other.
        wait_until(lambda: len(proxy.websockets()) >= 2 * len(clients), 10, "the sockets to close", proxy.folder)
        answered = [upstream for _status, upstream in proxy.log()[logged:]]
        assert answered and all(a.split(", ")[-1] == other.address for a in answered), answered
    finally:
        for client in clients:
            client.close()
