"""Live-room fixtures: a fixed clock, and a meeting set up through the API the way a secretary does."""
from datetime import datetime, timezone

import pytest

from meetings.extensions import socketio
from meetings.realtime import NAMESPACE
from tests.factories import Factories

NOW = datetime(2026, 12, 2, 3, 0, tzinfo=timezone.utc)  # 10:00 in Hà Nội


@pytest.fixture
def app(make_app):
    return make_app(MEETINGS_FAKE_NOW=NOW)


class LiveMeeting:
    """A published meeting with a chair, a secretary, members and a guest, an agenda of three items."""

    def __init__(self, app, members: int = 2):
        self.app, self.http = app, app.test_client()
        make = Factories(app)
        self.secretary = make.user("secretary", name="Hoàng Thu Trang")
        self.chair = make.user("leader", name="Nguyễn Văn Minh")
        self.members = [make.user("member", name=f"Thành viên {n}") for n in range(1, members + 1)]
        self.guest = make.user("member", name="Khách mời")
        self.outsider = make.user("member", name="Người ngoài")
        self.tokens = {u.id: make.token(u) for u in [self.secretary, self.chair, *self.members, self.guest,
                                                      self.outsider]}
        people = [{"user_id": self.chair.id, "role": "chair"}, {"user_id": self.guest.id, "role": "guest"}]
        people += [{"user_id": m.id, "role": "member"} for m in self.members]
        body = self.call(self.secretary, "POST", "/api/v1/meetings", {
            "title": "Họp giao ban Bộ", "start": "2026-12-02T14:00", "end": "2026-12-02T16:00",
            "status": "published", "participants": people}, expect=201)
        self.id = body["id"]
        self.items = [self.call(self.secretary, "POST", f"/api/v1/meetings/{self.id}/agenda",
                                {"title": title, "duration_minutes": 15}, expect=201)["id"]
                      for title in ("Báo cáo tình hình", "Dự thảo Nghị định", "Ý kiến khác")]

    def headers(self, user) -> dict:
        return {"Authorization": f"Bearer {self.tokens[user.id]}"}

    def call(self, user, method, path, body=None, expect=200):
        response = self.http.open(path, method=method, json=body, headers=self.headers(user))
        assert response.status_code == expect, response.get_data(as_text=True)
        return response.get_json() if response.data else None

    def socket(self, user):
        client = socketio.test_client(self.app, namespace=NAMESPACE, auth={"token": self.tokens[user.id]})
        assert client.is_connected(NAMESPACE)
        return client

    def version(self) -> int:
        return self.call(self.secretary, "GET", f"/api/v1/meetings/{self.id}")["version"]


@pytest.fixture
def meeting(app):
    return LiveMeeting(app)


def updates(client) -> list[dict]:
    return [p["args"][0] for p in client.get_received(NAMESPACE) if p["name"] == "meeting_update"]


def events(client, name: str) -> list[dict]:
    return [p["args"][0] for p in client.get_received(NAMESPACE) if p["name"] == name]


def join(client, meeting_id, since=None) -> dict:
    return client.emit("join_meeting", {"meeting_id": meeting_id, "since_version": since}, namespace=NAMESPACE,
                       callback=True)
