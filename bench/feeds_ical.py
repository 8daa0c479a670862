"""A personal feed of 5,000 entries (200 of them weekly series with a moved and a cancelled
occurrence): the first full response, an unchanged feed's 304, a changed feed rebuilt, and beside
them, from the same run, the peers' way (every entry loaded and serialised on every request).

What is cached where: feed bodies (cache.py) and each entry's VEVENT text (feed.py) live in the
process's memory only; nothing is stored in the database. "Nothing cached" empties both and the
writer's memos (rules, names, the VTIMEZONE block) before every timed request, so it is what a
freshly started process answers; the database's own page cache stays warm. The app is set up as
wsgi.py sets up the served one (gc.freeze() after start-up; see bench.common.bench_app).

Two peers' ways, both loading ORM entries with selectinload and serialising every entry on every
request: with this app's writer (what caching and narrow loading save), and with the former
icalendar-based writer kept in tests/feeds/reference_ical.py (what the peers' usual library costs).

    .venv/bin/python -m bench feeds_ical                     # SQLite in a temporary folder
    BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/DB .venv/bin/python -m bench feeds_ical

Measured on this 2-core machine at load average ~2 (medians, ms):

    run            first (cold)  body cached   304   one changed   peers' (ours)   peers' (icalendar)
    SQLite              233          2.8       2.8        77            593              2728
    SQLite              266          4.5       4.9       143            610                 -
    PostgreSQL 15       261          6.6       6.7       117            816                 -
    PostgreSQL 15       245          6.0       7.7       106            933              2621   (people by id array)
    before (SQLite)    4964         17.8      13.1       131           8295 (icalendar)
"""
import random
from datetime import datetime, timedelta, timezone

from sqlalchemy import insert, update

from bench.common import bench_app, median, report, timed
from meetings.calendar.models import Event, EventChange, EventLeader, EventOverride
from meetings.directory import services as directory
from meetings.extensions import db
from meetings.feeds import cache, feed, tokens
from meetings.feeds.selection import FeedSpec
from meetings.text import fold_vietnamese
from tests.feeds import reference_ical  # the former icalendar-based writer, kept as the tests' reference

ENTRIES, SERIES = 5000, 200
NOW = datetime(2026, 12, 2, 3, 0, tzinfo=timezone.utc)
FIRST = datetime(2026, 9, 7, 1, 0, tzinfo=timezone.utc)  # a Monday, 08:00 in Hà Nội
TITLES = ["Họp giao ban", "Làm việc với Vụ Pháp chế; chuẩn bị báo cáo", "Tiếp Đại sứ, trao đổi hợp tác",
          "Hội nghị trực tuyến toàn quốc", "Họp Hội đồng thẩm định"]


def populate(app) -> tuple[str, int]:
    rng = random.Random(5)
    with app.app_context():
        leader = directory.create_user({"email": "leader@bench.vn", "name": "Nguyễn Văn Minh", "role": "leader"})
        rows, links, overrides, history = [], [], [], []
        for n in range(1, ENTRIES + 1):
            start = FIRST + timedelta(days=rng.randrange(200), hours=rng.randrange(9))
            end = start + timedelta(hours=1)
            recurring = n <= SERIES
            title = f"{rng.choice(TITLES)} số {n}"
            rows.append({"id": n, "title": title, "start_at": start, "end_at": end, "span_start": start,
                         "span_end": start + timedelta(weeks=20) if recurring else end, "status": "published",
                         "visibility": "internal", "kind": "meeting", "search_folded": fold_vietnamese(title),
                         "description": "Thành phần: các Vụ, Cục;\nchuẩn bị tài liệu.", "location": "Phòng họp số 1",
                         "rrule": "FREQ=WEEKLY;COUNT=20" if recurring else None, "sequence": 1, "version": 1,
                         "all_day": False, "has_conflict": False, "changed_at": NOW, "created_at": NOW,
                         "updated_at": NOW})
            links.append({"event_id": n, "user_id": leader.id, "role": "chair", "position": 0})
            history.append({"event_id": n, "batch": f"b{n}", "changed_at": NOW, "field": "created"})
            if recurring:
                overrides.append({"event_id": n, "original_start": start + timedelta(weeks=2), "cancelled": True})
                overrides.append({"event_id": n, "original_start": start + timedelta(weeks=3), "cancelled": False,
                                  "start_at": start + timedelta(weeks=3, hours=5),
                                  "end_at": end + timedelta(weeks=3, hours=5)})
        for table, data in ((Event, rows), (EventLeader, links), (EventOverride, overrides), (EventChange, history)):
            db.session.execute(insert(table), data)
        db.session.commit()
        token = tokens.token_of(tokens.ensure(leader, "personal", 0, NOW))
        db.session.commit()
        return f"/feeds/{token}.ics", leader.id


def main() -> None:
    app = bench_app(MEETINGS_FAKE_NOW=NOW)
    url, leader_id = populate(app)
    client = app.test_client()

    def first_response():
        cache.clear()
        feed.clear()
        assert client.get(url).status_code == 200

    first_response()
    etag = client.get(url).headers["ETag"]

    def revalidate():
        assert client.get(url, headers={"If-None-Match": etag}).status_code == 304

    counter = iter(range(1, 10**6))

    def changed():
        with app.app_context():  # one entry changes, as a secretary's edit would
            n = next(counter)
            db.session.execute(update(Event).where(Event.id == SERIES + n).values(
                title=f"Họp giao ban (đổi) {n}", version=Event.version + 1, updated_at=datetime.now(timezone.utc)))
            db.session.commit()
        assert client.get(url, headers={"If-None-Match": etag}).status_code == 200

    def naive(writer=None):
        with app.test_request_context("/"):
            leader = db.session.get(directory.User, leader_id)
            feed.build_naive(FeedSpec("personal", 0, leader), NOW, writer)

    def with_icalendar(event, full, last_change, ctx, words) -> bytes:
        return b"".join(reference_ical.to_bytes(c) for c in reference_ical.components(event, full, last_change, ctx,
                                                                                     words=words))

    cold = timed(first_response, repeat=5, warmup=1)
    report("first response, nothing in this process's memory", cold, 300)
    warm = timed(lambda: client.get(url), repeat=20)
    report("first response of a client, body cached in memory", warm, 300)
    not_modified = timed(revalidate, repeat=50)
    report("unchanged feed revalidated: 304", not_modified, 10)
    rebuilt = timed(changed, repeat=10, warmup=1)
    report("one entry changed: feed rebuilt", rebuilt, 300)
    peers = timed(naive, repeat=5, warmup=1)
    report("the peers' way: ORM load, every entry serialised", peers)
    print(f"{'ratio peers / changed-feed rebuild':<55} {median(peers) / median(rebuilt):8.1f}x")
    print(f"{'ratio peers / 304 revalidation':<55} {median(peers) / median(not_modified):8.1f}x")
    library = timed(lambda: naive(with_icalendar), repeat=3, warmup=0)
    report("the peers' way with the icalendar library (ORM load)", library)
    print(f"{'ratio peers with icalendar / first response':<55} {median(library) / median(cold):8.1f}x")
    print(f"{'ratio peers with icalendar / changed-feed rebuild':<55} {median(library) / median(rebuilt):8.1f}x")


if __name__ == "__main__":
    main()
