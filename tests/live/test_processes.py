"""Real server processes sharing the database and Redis: a change made through one reaches clients
of another, and clients of a server that is killed and restarted catch up to the same version."""
import uuid

import requests

from meetings.directory import services as directory
from meetings.live import services as live
from tests.conftest import free_port
from tests.live.conftest import NOW
from tests.live.room_client import RoomClient
from tests.processes import process_env, redis_or_skip, web_server


def _env(database_url, tmp_path, **extra):
    return process_env(database_url, tmp_path, REDIS_URL=redis_or_skip(),
                       SOCKETIO_CHANNEL=f"test-{uuid.uuid4().hex}", **extra)


def test_a_change_through_one_process_reaches_a_client_of_the_other(database_url, meeting, tmp_path):
    env = _env(database_url, tmp_path)
    with web_server(env) as first, web_server(env) as second:
        client = RoomClient(second, meeting.tokens[meeting.members[0].id], meeting.id).connect()
        try:
            assert client.wait_for_version(meeting.version())
            before = client.version
            response = requests.post(f"{first}/api/v1/meetings/{meeting.id}/current", timeout=10,
                                     json={"item_id": meeting.items[1]}, headers=meeting.headers(meeting.chair))
            assert response.status_code == 200, response.text
            assert client.wait_for_version(before + 1)
            assert client.gapless() and not client.errors
        finally:
            client.close()


def test_clients_converge_after_the_server_is_killed_and_restarted(database_url, meeting, app, tmp_path):
    env = _env(database_url, tmp_path, MEETINGS_TEST_PORT=free_port())
    people = [meeting.chair, meeting.secretary, *meeting.members]
    clients = []
    try:
        with web_server(env) as url:
            clients = [RoomClient(url, meeting.tokens[u.id], meeting.id).connect() for u in people]
            for client in clients:
                assert client.wait_for_version(meeting.version())
            requests.post(f"{url}/api/v1/meetings/{meeting.id}/current", json={"item_id": meeting.items[0]},
                          headers=meeting.headers(meeting.chair), timeout=10).raise_for_status()
        # The server is gone (terminated mid-meeting); the meeting goes on: two changes the clients miss.
        with app.app_context():
            chair = directory.get_user(meeting.chair.id)
            live.set_current(meeting.id, {"item_id": meeting.items[1]}, chair, NOW)
            live.post_notice(meeting.id, {"text": "Máy chủ khởi động lại"}, directory.get_user(meeting.secretary.id),
                             NOW)
        with web_server(env):
            final = meeting.version()
            for client in clients:  # they reconnect on their own (backoff with jitter) and rejoin
                assert client.wait_for_version(final, timeout=30), (client.version, final)
            final = meeting.version()  # their own presence changes on return raised it further
            for client in clients:
                assert client.wait_for_version(final, timeout=30)
            assert {c.version for c in clients} == {final}
            assert all(c.gapless() and not c.errors for c in clients)
    finally:
        for client in clients:
            client.close()
