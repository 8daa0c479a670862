"""iTIP messages (RFC 5546): REQUEST for a new or changed entry, CANCEL for a cancelled one.

The same VEVENTs as the feeds (same UID, same SEQUENCE), with the sender as ORGANIZER and every
person taking part as an ATTENDEE with RSVP=TRUE, so mail clients show an invitation and later
messages update it in place.
"""
from datetime import datetime

from meetings.feeds import ical
from meetings.feeds.zones import vtimezone


def message(event, method: str, now: datetime, ctx: ical.Context) -> str:
    """The text/calendar part. DTSTAMP is when this message is made, as RFC 5546 wants."""
    cal = ical.calendar("", method)
    cal.add_component(vtimezone(ctx.zone))
    for component in ical.components(event, True, now, ctx, rsvp=method == "REQUEST"):
        if method == "CANCEL":
            component["status"] = "CANCELLED"
        cal.add_component(component)
    return ical.to_bytes(cal).decode()
