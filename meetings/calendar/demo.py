"""Demo entries for this week and next: the kind of schedule a ministry office publishes.

`now` comes from the `flask demo` command; nothing here reads the clock.
"""
from datetime import datetime, timedelta

from sqlalchemy import select

from meetings.calendar import publishing, services
from meetings.calendar.weeks import week_of
from meetings.directory import services as directory
from meetings.directory.models import Room
from meetings.extensions import db
from meetings.timeutil import app_zone

DOMAIN = "demo.gov.vn"
# (day offset from this week's Monday, start, end or session, title, leaders (chair first), room index,
#  preparing unit, visibility, kind, extra)
ENTRIES = [
    (0, "08:00", "09:30", "Họp giao ban Lãnh đạo Bộ", ["bo.truong", "tt.hoa", "tt.hung", "tt.son", "tt.tuan"], 0,
     "Văn phòng Bộ", "public", "meeting", {"rrule": "FREQ=WEEKLY;COUNT=26"}),
    (0, "14:00", "16:30", "Làm việc với Vụ Kế hoạch - Tài chính về dự toán ngân sách năm 2027", ["tt.hoa"], 1,
     "Vụ Kế hoạch - Tài chính", "internal", "working", {}),
    (1, "09:00", "10:30", "Tiếp Đại sứ Vương quốc Hà Lan", ["bo.truong"], 3, "Văn phòng Bộ", "public", "reception",
     {"guests": "Đoàn Đại sứ quán Hà Lan"}),
    (1, "afternoon", None, "Họp Hội đồng thẩm định quy hoạch", ["tt.hung"], 0, "Cục Trồng trọt và Bảo vệ thực vật",
     "internal", "meeting", {}),
    (2, "08:30", "11:30", "Hội nghị trực tuyến toàn quốc về phòng, chống thiên tai", ["tt.son", "bo.truong"], 2,
     "Cục Biến đổi khí hậu", "public", "conference", {}),
    (2, "14:00", "15:30", "Họp về công tác cán bộ", ["bo.truong", "tt.hoa"], 1, "Vụ Tổ chức cán bộ", "confidential",
     "meeting", {}),
    (3, "all_day", 4, "Đi công tác tại tỉnh Đồng Tháp", ["tt.tuan"], None, "Văn phòng Bộ", "internal", "trip",
     {"location": "Tỉnh Đồng Tháp"}),
    (3, "09:00", "11:00", "Họp Ban soạn thảo Luật Đất đai (sửa đổi)", ["tt.hoa"], 0, "Vụ Pháp chế", "internal",
     "meeting", {}),
    (4, "15:00", "16:30", "Họp giao ban Văn phòng Bộ", ["tt.hung"], 1, "Văn phòng Bộ", "internal", "meeting", {}),
]
NEXT_WEEK = [
    (8, "08:30", "11:00", "Hội nghị sơ kết công tác quý IV", ["bo.truong", "tt.hoa", "tt.hung"], 3, "Văn phòng Bộ",
     "public", "conference", {}),
    (9, "14:00", "16:00", "Làm việc với Cục Biến đổi khí hậu", ["tt.son"], 1, "Cục Biến đổi khí hậu", "internal",
     "working", {}),
    (10, "morning", None, "Tiếp công dân định kỳ", ["tt.tuan"], None, "Văn phòng Bộ", "public", "reception",
     {"location": "Trụ sở tiếp công dân"}),
]


def _input(entry, monday, leaders, rooms) -> dict:
    offset, start, end, title, who, room, unit, visibility, kind, extra = entry
    day = monday + timedelta(days=offset)
    data = {"title": title, "leader_ids": [leaders[w] for w in who], "preparing_unit": unit,
            "visibility": visibility, "kind": kind, "room_id": rooms[room] if room is not None else None, **extra}
    if start == "all_day":
        data.update(all_day=True, start=day.isoformat(), end=(monday + timedelta(days=end)).isoformat())
    elif end is None:
        data.update(session=start, start=f"{day.isoformat()}T00:00")
    else:
        data.update(start=f"{day.isoformat()}T{start}", end=f"{day.isoformat()}T{end}")
    return data


def load_calendar_demo(now: datetime) -> None:
    """This week published with one later adjustment; next week mostly drafts."""
    leaders = {local: directory.user_by_email(f"{local}@{DOMAIN}").id
               for local in ("bo.truong", "tt.hoa", "tt.hung", "tt.son", "tt.tuan")}
    rooms = list(db.session.scalars(select(Room.id).order_by(Room.id)))  # in the order demo.ROOMS lists them
    week = week_of(now.astimezone(app_zone()).date())
    created = [services.create_event(_input(e, week.monday, leaders, rooms), None, now)[0] for e in ENTRIES]
    publishing.publish_week(week, None, now)
    services.update_event(created[1].id, {"start": f"{week.monday.isoformat()}T14:30",
                                          "end": f"{week.monday.isoformat()}T17:00"}, None, now)
    for entry in NEXT_WEEK:
        services.create_event(_input(entry, week.monday, leaders, rooms), None, now)

