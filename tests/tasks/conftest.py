"""Task fixtures: the calendar's fixed "now" (Wednesday 2 December 2026, 10:00 in Hà Nội), a
ministry with units and their people, a meeting chaired by the minister, and helpers that give
and move tasks through the same services the API and the pages use."""
from datetime import datetime, timedelta, timezone

import pytest

from meetings.directory import services as directory
from meetings.tasks import conclusions, lifecycle, services
from meetings.tasks.present import task_json
from tests.calendar.conftest import NOW, Office

ZONE_OFFSET = timedelta(hours=7)


def local(text: str) -> datetime:
    """'2026-12-02 16:00' in Hà Nội, as an aware UTC datetime."""
    return datetime.fromisoformat(text).replace(tzinfo=timezone.utc) - ZONE_OFFSET


@pytest.fixture
def app(make_app):
    return make_app(MEETINGS_FAKE_NOW=NOW)


class TaskOffice(Office):
    """The calendar's office, with units that receive tasks and a meeting that gives them."""

    def __init__(self, app):
        super().__init__(app)
        make = self.factories
        self.legal = make.unit("Vụ Pháp chế", self.ministry)
        self.finance = make.unit("Vụ Kế hoạch - Tài chính", self.ministry)
        self.climate = make.unit("Cục Biến đổi khí hậu", self.ministry)
        self.legal_head = make.user("member", name="Đỗ Văn Khải", unit_id=self.legal)
        self.legal_staff = make.user("member", name="Trần Văn Bình", unit_id=self.legal)
        self.finance_head = make.user("member", name="Ngô Thị Lan", unit_id=self.finance)
        self.climate_head = make.user("member", name="Vũ Ngọc Ánh", unit_id=self.climate)
        self.admin = make.user("admin", name="Quản trị hệ thống")
        self.meeting = self.book("Họp giao ban Bộ", start="2026-12-01T08:00", end="2026-12-01T09:30",
                                 leaders=[self.minister, self.deputy])

    def user(self, info):
        return directory.get_user(info.id)

    def conclusion(self, text="Giao Vụ Pháp chế rà soát dự thảo Nghị định.", meeting=None, item=None) -> int:
        with self.app.app_context():
            return conclusions.record_conclusion(meeting or self.meeting, {"text": text, "agenda_item_id": item},
                                                 self.user(self.secretary), NOW).id

    def task(self, title="Rà soát dự thảo Nghị định", unit=None, due="2026-12-10", now=NOW, **extra) -> int:
        with self.app.app_context():
            data = {"title": title, "unit_id": unit or self.legal, "due": due, **extra}
            return services.create_task(data, self.user(self.secretary), now).id

    def change(self, task_id: int, who, now=NOW, **data):
        with self.app.app_context():
            task = lifecycle.change(task_id, data, self.user(who), now)
            return task.status, task.version

    def get(self, task_id: int) -> dict:
        """The task as the API shows it, history included."""
        with self.app.app_context():
            return task_json(services.get_task(task_id), with_history=True)


@pytest.fixture
def office(app):
    return TaskOffice(app)
