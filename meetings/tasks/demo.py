"""Demo conclusions and tasks: a few from this week's briefing, a few assigned directly by leaders,
some done, some late, one waiting for an extension.

`now` comes from the `flask demo` command; tasks are given three weeks earlier so that some can
already be overdue, and every step goes through the same services as the pages.
"""
from datetime import datetime, timedelta

from sqlalchemy import select

from meetings.calendar.models import Event
from meetings.directory import services as directory
from meetings.directory.models import Unit
from meetings.extensions import db
from meetings.tasks import conclusions, lifecycle, services
from meetings.tasks.dates import local_today

DOMAIN = "demo.gov.vn"
CONCLUSIONS = [
    "Giao Vụ Pháp chế chủ trì, phối hợp các đơn vị rà soát hồ sơ dự thảo Nghị định sửa đổi về quản lý đất đai, "
    "trình Bộ trưởng trong tháng.",
    "Giao Vụ Kế hoạch - Tài chính tổng hợp tình hình giải ngân vốn đầu tư công, báo cáo Lãnh đạo Bộ tại phiên "
    "giao ban tuần sau.",
]
# (title, unit short name, days from today to the due date, leader or None (the chair), conclusion index or None,
#  what happened: list of (days from today, who, change))
TASKS = [
    ("Rà soát hồ sơ dự thảo Nghị định sửa đổi về quản lý đất đai", "PC", -5, None, 0,
     [(-10, "chuyenvien", {"note": "Đã gửi xin ý kiến các Cục, Vụ liên quan."})]),
    ("Báo cáo tình hình giải ngân vốn đầu tư công", "KHTC", 2, None, 1, []),
    ("Xây dựng kế hoạch ứng phó với biến đổi khí hậu giai đoạn 2026-2030", "BĐKH", -3, "tt.son", None,
     [(-4, "cuc.bdkh", {"status": "done", "note": "Đã trình Thứ trưởng phê duyệt kế hoạch."})]),
    ("Tổng kết công tác bảo vệ thực vật vụ Đông Xuân", "TTBVTV", -6, "tt.hung", None,
     [(-2, "cuc.ttbvtv", {"status": "done", "note": "Đã hoàn thành báo cáo tổng kết."})]),
    ("Đề xuất phương án sắp xếp tổ chức bộ máy các đơn vị sự nghiệp", "TCCB", 10, "tt.hoa", None,
     [(-1, "vu.tccb", {"status": "extension_requested", "due": 24, "note": "Chờ ý kiến của Bộ Nội vụ."})]),
    ("Chuẩn bị nội dung Hội nghị sơ kết công tác quý IV", "VP", -2, "bo.truong", None, []),
]


def load_tasks_demo(now: datetime) -> None:
    today = local_today(now)
    earlier = now - timedelta(days=21)
    people = {local: directory.user_by_email(f"{local}@{DOMAIN}") for local in ("thuky", "chuyenvien", "cuc.bdkh",
              "cuc.ttbvtv", "vu.tccb", "bo.truong", "tt.hoa", "tt.hung", "tt.son")}
    units = {unit.short_name: unit.id for unit in db.session.scalars(select(Unit))}
    briefing = db.session.scalar(select(Event).where(Event.title == "Họp giao ban Lãnh đạo Bộ"))
    made = [conclusions.record_conclusion(briefing.id, {"text": text}, people["thuky"], earlier).id
            for text in CONCLUSIONS] if briefing else []
    for title, unit, due, leader, conclusion, steps in TASKS:
        if conclusion is not None and not made:
            continue
        data = {"title": title, "unit_id": units[unit], "due": (today + timedelta(days=due)).isoformat(),
                "leader_id": people[leader].id if leader else None,
                "conclusion_id": made[conclusion] if conclusion is not None else None,
                "assignee_id": people["chuyenvien"].id if unit == "PC" else None}
        task = services.create_task(data, people["thuky"], earlier)
        for day, who, change in steps:
            if "due" in change:
                change = {**change, "due": (today + timedelta(days=change["due"])).isoformat()}
            lifecycle.change(task.id, change, people[who], now + timedelta(days=day))
