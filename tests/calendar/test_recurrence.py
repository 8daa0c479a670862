"""Series: expansion across a month boundary with one occurrence moved and one cancelled,
occurrence edits by their original start, and "this and following"."""
from datetime import datetime, timezone
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from meetings.calendar import recurrence

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


def local(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=ZONE).astimezone(timezone.utc)


def series(rule, start, end, overrides=()):
    return SimpleNamespace(rrule=rule, start_at=local(start), end_at=local(end), overrides=list(overrides))


def test_weekly_series_across_a_month_boundary_with_a_moved_and_a_cancelled_occurrence():
    moved = SimpleNamespace(original_start=local("2026-12-07T08:00"), cancelled=False,
                            start_at=local("2026-12-08T14:00"), end_at=local("2026-12-08T15:00"))
    cancelled = SimpleNamespace(original_start=local("2026-12-14T08:00"), cancelled=True, start_at=None, end_at=None)
    event = series("FREQ=WEEKLY;COUNT=5", "2026-11-23T08:00", "2026-11-23T09:00", [moved, cancelled])
    found = recurrence.expand(event, local("2026-11-25T00:00"), local("2027-01-01T00:00"), ZONE)
    assert [(o.start.astimezone(ZONE).strftime("%d/%m %H:%M"), o.recurrence_id.astimezone(ZONE).strftime("%d/%m"),
             o.cancelled, o.moved) for o in found] == [
        ("30/11 08:00", "30/11", False, False),
        ("08/12 14:00", "07/12", False, True),
        ("14/12 08:00", "14/12", True, False),
        ("21/12 08:00", "21/12", False, False),
    ]


def test_monthly_rule_on_the_31st_skips_short_months_and_the_span_ends_with_the_last():
    event = series("FREQ=MONTHLY;BYMONTHDAY=31;COUNT=3", "2027-01-31T09:00", "2027-01-31T10:00")
    starts = [o.start.astimezone(ZONE).date().isoformat()
              for o in recurrence.expand(event, local("2027-01-01T00:00"), local("2027-12-31T00:00"), ZONE)]
    assert starts == ["2027-01-31", "2027-03-31", "2027-05-31"]
    assert recurrence.span(event, ZONE) == (local("2027-01-31T09:00"), local("2027-05-31T10:00"))


def test_until_in_utc_is_read_as_local_wall_clock():
    rule = recurrence.normalise_rule("RRULE:freq=weekly;until=20261214T010000Z", ZONE)
    assert rule == "FREQ=WEEKLY;UNTIL=20261214T080000"


def test_split_rule_keeps_the_remaining_count():
    head, tail = recurrence.split_rule("FREQ=WEEKLY;COUNT=10", local("2026-11-30T08:00"), local("2026-12-21T08:00"), ZONE)
    assert head == "FREQ=WEEKLY;UNTIL=20261221T075959"
    assert tail == "FREQ=WEEKLY;COUNT=7"


def test_occurrences_through_the_api(client, office):
    headers = office.token(office.secretary)
    series_id = office.book(title="Giao ban tuần", start="2026-11-23T08:00", end="2026-11-23T09:00",
                            rrule="FREQ=WEEKLY;COUNT=5")
    moved = client.patch(f"/api/v1/events/{series_id}/occurrences/2026-12-07T08:00:00+07:00", headers=headers,
                         json={"start": "2026-12-08T14:00", "end": "2026-12-08T15:00"})
    assert moved.status_code == 200 and moved.json["sequence"] == 1
    # Without an offset, the original start is read in the app's zone too.
    cancelled = client.patch(f"/api/v1/events/{series_id}/occurrences/2026-12-14T08:00", headers=headers,
                             json={"cancelled": True})
    assert cancelled.status_code == 200
    events = client.get("/api/v1/events?start=2026-11-25&end=2027-01-01", headers=headers).json["events"]
    assert [(e["start"], e["recurrence_id"], e["status"]) for e in events] == [
        ("2026-11-30T08:00:00+07:00", "2026-11-30T08:00:00+07:00", "published"),
        ("2026-12-08T14:00:00+07:00", "2026-12-07T08:00:00+07:00", "published"),
        ("2026-12-14T08:00:00+07:00", "2026-12-14T08:00:00+07:00", "cancelled"),
        ("2026-12-21T08:00:00+07:00", "2026-12-21T08:00:00+07:00", "published"),
    ]
    missing = client.patch(f"/api/v1/events/{series_id}/occurrences/2026-12-09T08:00", headers=headers,
                           json={"cancelled": True})
    assert missing.status_code == 404


def test_this_and_following_splits_the_series(client, office):
    headers = office.token(office.secretary)
    series_id = office.book(title="Giao ban tuần", start="2026-11-30T08:00", end="2026-11-30T09:00",
                            rrule="FREQ=WEEKLY;COUNT=6")
    response = client.patch(f"/api/v1/events/{series_id}/occurrences/2026-12-14T08:00", headers=headers,
                            json={"scope": "following", "start": "2026-12-14T09:00", "end": "2026-12-14T10:00",
                                  "title": "Giao ban tuần (giờ mới)"})
    assert response.status_code == 200
    successor = response.json
    assert (successor["rrule"], successor["start"]) == ("FREQ=WEEKLY;COUNT=4", "2026-12-14T09:00:00+07:00")
    events = client.get("/api/v1/events?start=2026-11-30&end=2027-01-31", headers=headers).json["events"]
    assert [(e["start"][:16], e["title"]) for e in events] == [
        ("2026-11-30T08:00", "Giao ban tuần"), ("2026-12-07T08:00", "Giao ban tuần"),
        ("2026-12-14T09:00", "Giao ban tuần (giờ mới)"), ("2026-12-21T09:00", "Giao ban tuần (giờ mới)"),
        ("2026-12-28T09:00", "Giao ban tuần (giờ mới)"), ("2027-01-04T09:00", "Giao ban tuần (giờ mới)")]
