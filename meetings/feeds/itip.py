"""iTIP messages (RFC 5546): REQUEST for a new or changed entry, CANCEL for a cancelled one.

The same VEVENTs as the feeds (same UID, same SEQUENCE, same writer), with the sender as ORGANIZER
and every person taking part as an ATTENDEE with RSVP=TRUE, so mail clients show an invitation and
later messages update it in place.
"""
from dataclasses import replace
from datetime import datetime

from meetings.feeds import ical
from meetings.feeds.zones import vtimezone_text


def message(event, method: str, now: datetime, ctx: ical.Context, removed: list | None = None) -> str:
    """The text/calendar part. DTSTAMP is when this message is made, as RFC 5546 wants. `removed`: the
    people a CANCEL takes out of an entry that goes on for the others (RFC 5546 §3.2.5: sent to them,
    naming them as its attendees), so their mail client takes it off their calendar."""
    entry = ical.entry_of(event, now)
    if removed is not None:
        entry = replace(entry, leaders=[], units=[],
                        participants=[ical.Person(user.id, user.name, user.email) for user in removed])
    lines = ical.vevent_lines(entry, True, ctx, ical.labels(), rsvp=method == "REQUEST",
                              status="cancelled" if method == "CANCEL" else None)
    head = ical.to_bytes(ical.calendar_lines("", method)).decode()
    return head + vtimezone_text(ctx.zone) + ical.to_bytes(lines + ["END:VCALENDAR"]).decode()
