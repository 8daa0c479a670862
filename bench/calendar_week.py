"""Week table and a leader's week at 1x, 4x and 16x the history (40 leaders, 12 rooms, 3,000
entries over 78 weeks at 1x). The week's cost should follow the week's entries, not the history."""
import random
from datetime import datetime, timedelta, timezone

from sqlalchemy import insert

from bench.common import bench_app, report, timed
from meetings.calendar.models import Event, EventLeader
from meetings.directory import services as directory
from meetings.extensions import db
from meetings.text import fold_vietnamese

LEADERS, ROOMS, ENTRIES, WEEKS = 40, 12, 3000, 78
FIRST_MONDAY = datetime(2025, 6, 2, 1, 0, tzinfo=timezone.utc)  # 08:00 in Hà Nội
TITLES = ["Họp giao ban", "Làm việc với Vụ Pháp chế", "Tiếp Đại sứ", "Hội nghị trực tuyến", "Họp Hội đồng thẩm định"]


def populate(app, scale: int) -> tuple[int, str]:
    """Users and rooms through the services; entries inserted in bulk (the services would take minutes)."""
    rng = random.Random(scale)
    with app.app_context():
        leaders = [directory.create_user({"email": f"leader{i}@bench.vn", "name": f"Lãnh đạo {i}", "role": "leader"}).id
                   for i in range(LEADERS)]
        directory.create_user({"email": "reader@bench.vn", "name": "Người đọc", "role": "member",
                               "password": "bench-password"})
        rooms = [directory.create_room({"name": f"Phòng {i}"}).id for i in range(ROOMS)]
        weeks = WEEKS * scale
        rows, links = [], []
        for n in range(ENTRIES * scale):
            start = FIRST_MONDAY + timedelta(days=rng.randrange(weeks * 7), hours=rng.randrange(10))
            end = start + timedelta(hours=1)
            title = f"{rng.choice(TITLES)} số {n}"
            rows.append({"id": n + 1, "title": title, "start_at": start, "end_at": end, "span_start": start,
                         "span_end": end, "status": "published", "visibility": rng.choice(["internal", "public"]),
                         "kind": "meeting", "room_id": rng.choice(rooms), "search_folded": fold_vietnamese(title),
                         "sequence": 0, "version": 1, "all_day": False, "has_conflict": False,
                         "created_at": start, "updated_at": start})
            for position, leader in enumerate(rng.sample(leaders, 2)):
                links.append({"event_id": n + 1, "user_id": leader, "role": "chair" if position == 0 else "attend",
                              "position": position})
        db.session.execute(insert(Event), rows)
        db.session.execute(insert(EventLeader), links)
        db.session.commit()
        middle = FIRST_MONDAY + timedelta(weeks=weeks // 2)
        iso = middle.isocalendar()
        return leaders[0], f"{iso.year}-W{iso.week:02d}"


def main() -> None:
    for scale in (1, 4, 16):
        app = bench_app()
        leader, week = populate(app, scale)
        client = app.test_client()
        client.post("/login", data={"email": "reader@bench.vn", "password": "bench-password"})
        for url in (f"/schedule/week/{week}", f"/schedule/leader/{leader}/week/{week}"):
            assert client.get(url).status_code == 200, url

        def week_table():
            client.get(f"/schedule/week/{week}")

        def leader_week():
            client.get(f"/schedule/leader/{leader}/week/{week}")

        count = ENTRIES * scale
        report(f"{scale:>2}x ({count:>6} entries) week table", timed(week_table, repeat=15), 150)
        report(f"{scale:>2}x ({count:>6} entries) a leader's week", timed(leader_week, repeat=15), 50)


if __name__ == "__main__":
    main()
