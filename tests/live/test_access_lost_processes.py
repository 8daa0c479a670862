"""Losing access across processes: the change is made through one web process and the user's socket
is open on another; the order to leave the room (or to disconnect) travels through Redis like every
push, so the other process enforces it before it sends the next change."""
import threading
import uuid

import requests
import socketio

from tests.factories import Factories
from tests.processes import process_env, redis_or_skip, web_server


class Screen:
    """A bare /live client that records the meeting's pushes and its own disconnection."""

    def __init__(self, url: str, token: str, meeting_id: int):
        self.meeting_id, self.seen, self.disconnected = meeting_id, [], False
        self.changed = threading.Condition()
        self.sio = socketio.Client(reconnection=False)
        self.sio.on("meeting_update", self._update, namespace="/live")
        self.sio.on("disconnect", self._gone, namespace="/live")
        self.sio.connect(url, namespaces=["/live"], transports=["websocket"], auth={"token": token}, wait_timeout=10)
        ack = self.sio.call("join_meeting", {"meeting_id": meeting_id}, namespace="/live", timeout=10)
        assert "state" in ack, ack

    def _update(self, update):
        with self.changed:
            self.seen.append(update)
            self.changed.notify_all()

    def _gone(self, *reason):
        with self.changed:
            self.disconnected = True
            self.changed.notify_all()

    def wait(self, predicate, timeout: float = 15) -> bool:
        with self.changed:
            return self.changed.wait_for(lambda: predicate(self), timeout)

    def notices(self) -> list[str]:
        return [u["data"]["text"] for u in self.seen if u["type"] == "notice"]

    def close(self):
        if not self.disconnected:
            self.sio.disconnect()


def test_access_lost_through_one_process_is_enforced_on_the_other(database_url, meeting, app, tmp_path):
    env = process_env(database_url, tmp_path, REDIS_URL=redis_or_skip(), SOCKETIO_CHANNEL=f"test-{uuid.uuid4().hex}")
    removed, staying = meeting.members
    admin = Factories(app).user("admin")
    admin_headers = {"Authorization": f"Bearer {Factories(app).token(admin)}"}
    screens = []
    with web_server(env) as first, web_server(env) as second:
        try:
            gone, kept = Screen(second, meeting.tokens[removed.id], meeting.id), \
                Screen(second, meeting.tokens[staying.id], meeting.id)
            screens = [gone, kept]
            response = requests.delete(f"{first}/api/v1/meetings/{meeting.id}/participants/{removed.id}",
                                       headers=meeting.headers(meeting.secretary), timeout=10)
            assert response.status_code == 204, response.text
            response = requests.post(f"{first}/api/v1/meetings/{meeting.id}/notices", json={"text": "Sau"},
                                     headers=meeting.headers(meeting.secretary), timeout=10)
            assert response.status_code == 201, response.text
            assert kept.wait(lambda s: "Sau" in s.notices())
            assert gone.wait(lambda s: any(u["type"] == "participant_removed" for u in s.seen))
            # the second process handled the order before it sent the notice, so it never went there
            assert gone.notices() == [] and not gone.disconnected

            response = requests.patch(f"{first}/api/v1/users/{staying.id}", json={"active": False},
                                      headers=admin_headers, timeout=10)
            assert response.status_code == 200, response.text
            assert kept.wait(lambda s: s.disconnected)
        finally:
            for screen in screens:
                screen.close()
