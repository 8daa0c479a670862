"""Three independent readings of a feed: icalendar, recurring-ical-events, and ical.js under node."""
import json
import shutil
import subprocess
from datetime import date, datetime, time, timezone
from pathlib import Path

import recurring_ical_events
from icalendar import Calendar

from meetings.timeutil import app_zone
from tests.conftest import require_or_skip

SCRIPT = Path(__file__).with_name("parse_ical.mjs")
ROOT = Path(__file__).parents[2]


def utc(value) -> str:
    """One spelling for a moment: ISO UTC for times, YYYY-MM-DD for all-day dates."""
    if isinstance(value, datetime):
        return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    return value.isoformat()


def check_bytes(body: bytes) -> None:
    """RFC 5545 framing: no BOM, CRLF only, lines of at most 75 octets, each one valid UTF-8."""
    assert not body.startswith(b"\xef\xbb\xbf")
    assert body.endswith(b"\r\n")
    lines = body.split(b"\r\n")[:-1]
    assert all(b"\n" not in line and b"\r" not in line for line in lines)
    for line in lines:
        assert len(line) <= 75, line
        line.decode("utf-8")  # a folded line never ends inside a character
    assert b"RDATE" not in body


def by_icalendar(body: bytes) -> Calendar:
    return Calendar.from_ical(body)


def by_recurring_ical_events(body: bytes, start: datetime, end: datetime) -> set:
    found = set()
    for vevent in recurring_ical_events.of(Calendar.from_ical(body)).between(start, end):
        found.add((str(vevent["uid"]), utc(vevent.decoded("dtstart")), utc(vevent.decoded("dtend"))))
    return found


def by_icaljs(body: bytes, start: datetime, end: datetime, tmp_path) -> dict:
    node = shutil.which("node")
    if node is None or not (ROOT / "node_modules" / "ical.js").exists():
        require_or_skip("node or node_modules/ical.js missing (run npm ci): ical.js check skipped")
    path = tmp_path / "feed.ics"
    path.write_bytes(body)
    result = subprocess.run([node, str(SCRIPT), str(path), start.isoformat(), end.isoformat()], cwd=ROOT,
                            capture_output=True, check=True, timeout=60)
    data = json.loads(result.stdout)
    data["occurrence_set"] = {(o["uid"], o["start"], o["end"]) for o in data["occurrences"]}
    return data


def app_occurrences(occurrences, uid_of) -> set:
    """The app's own expansion as the same triples; an all-day entry as its local dates."""
    zone = app_zone()
    found = set()
    for o in occurrences:
        if o.cancelled:
            continue
        if o.event.all_day:
            found.add((uid_of(o.event.id), o.start.astimezone(zone).date().isoformat(),
                       o.end.astimezone(zone).date().isoformat()))
        else:
            found.add((uid_of(o.event.id), utc(o.start), utc(o.end)))
    return found


def local_day(day: date) -> datetime:
    return datetime.combine(day, time(), app_zone())
