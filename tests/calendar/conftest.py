"""Calendar fixtures: a fixed "now" (Wednesday 2 December 2026, 10:00 in Hà Nội, ISO week 49),
the office's people, and a helper that books entries through the same services the API uses."""
from datetime import datetime, timezone

import pytest

from meetings.calendar import services
from meetings.directory import services as directory
from tests.factories import Factories

NOW = datetime(2026, 12, 2, 3, 0, tzinfo=timezone.utc)  # 10:00 +07:00, Wednesday of 2026-W49


@pytest.fixture
def app(make_app):
    return make_app(MEETINGS_FAKE_NOW=NOW)


class Office:
    """The people of a small ministry office, and entries booked for them."""

    def __init__(self, app):
        self.app = app
        make = Factories(app)
        self.factories = make
        self.ministry = make.unit("Bộ Nông nghiệp và Môi trường")  # the root: its name heads the pages
        self.secretary = make.user("secretary", name="Hoàng Thu Trang")
        self.minister = make.user("leader", name="Nguyễn Văn Minh", title="Bộ trưởng")
        self.deputy = make.user("leader", name="Lê Thị Hoa", title="Thứ trưởng")
        self.member = make.user("member", name="Trần Thị Thu", unit="Vụ Pháp chế")
        self.outsider = make.user("member", name="Phan Đức Long")
        self.room = make.room("Phòng họp số 1")
        self.other_room = make.room("Phòng họp số 2")

    def token(self, user) -> dict:
        return {"Authorization": f"Bearer {self.factories.token(user)}"}

    def book(self, title="Họp giao ban", start="2026-12-02T08:00", end="2026-12-02T09:00", leaders=None,
             status="published", now=NOW, **extra) -> int:
        """An entry made by the secretary; returns its id."""
        with self.app.app_context():
            actor = directory.get_user(self.secretary.id)
            data = {"title": title, "start": start, "end": end, "status": status,
                    "leader_ids": [u.id for u in (leaders if leaders is not None else [self.minister])], **extra}
            return services.create_event(data, actor, now)[0].id


@pytest.fixture
def office(app):
    return Office(app)
