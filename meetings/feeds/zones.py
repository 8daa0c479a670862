"""VTIMEZONE blocks. A zone without offset changes gets a minimal one (STANDARD only): the block
icalendar generates for Asia/Ho_Chi_Minh may carry the historic +08:00 period, which Outlook has
been seen to apply to current dates."""
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo

from icalendar import Timezone, TimezoneStandard

# The range checked for offset changes, and the one a generated block covers; fixed, so the
# bytes of a feed never depend on the day it is built.
FIRST, LAST = date(1976, 1, 1), date(2038, 1, 1)


def _offsets(zone: ZoneInfo) -> set[timedelta]:
    moment, end, found = datetime(FIRST.year, 1, 1, tzinfo=timezone.utc), \
        datetime(LAST.year, 1, 1, tzinfo=timezone.utc), set()
    while moment < end:
        found.add(moment.astimezone(zone).utcoffset())
        moment += timedelta(days=30)
    return found


def vtimezone(zone: ZoneInfo) -> Timezone:
    offsets = _offsets(zone)
    if len(offsets) > 1:  # a zone with daylight saving: the library's rules, over the fixed range
        return Timezone.from_tzid(zone.key, first_date=FIRST, last_date=LAST)
    block = Timezone()
    block.add("tzid", zone.key)
    standard = TimezoneStandard()
    standard.add("dtstart", datetime(1970, 1, 1))
    offset = offsets.pop()
    standard.add("tzoffsetfrom", offset)
    standard.add("tzoffsetto", offset)
    block.add_component(standard)
    return block


@lru_cache(maxsize=16)
def vtimezone_text(zone: ZoneInfo) -> str:
    """The block as content lines (CRLF, folded): made once per zone, not once per body."""
    from meetings.feeds.ical import fold

    return b"".join(fold(str(line)) for line in vtimezone(zone).content_lines() if line).decode()
