"""Feed bodies kept per process and rebuilt only when their fingerprint moves.

A poll first reads the calendar's generation (one scan of narrow columns, selection.generation):
if nothing anywhere changed since the body was last checked, the body holds. Otherwise the feed's
own fingerprint decides (an aggregate over the feed's condition): a change elsewhere costs that one
query more, a change in the feed a rebuild. Neither is a time-based cache: the poll after a commit
sees it. The ETag is the body's hash, so a rebuild that produces the same bytes (a new day with
nothing new) still answers 304 to If-None-Match.
"""
import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime

from meetings.feeds.feed import build, link_key, locale_of
from meetings.feeds.selection import FeedSpec, fingerprint, generation

BODIES_MAX = 2000
_bodies: OrderedDict = OrderedDict()
_lock = threading.Lock()
stats = {"builds": 0}  # read by tests: a feed is rebuilt only when something in it changed


@dataclass(frozen=True)
class Body:
    data: bytes
    etag: str
    last_modified: datetime


def body_for(spec: FeedSpec, now: datetime, token_state: tuple = ()) -> Body:
    key = (spec.key, token_state, link_key(), locale_of(spec))
    seen = generation(now)  # read before the fingerprint and the build: a body is never older than it
    with _lock:
        cached = _bodies.get(key)
        if cached is not None and cached[2] == seen:
            _bodies.move_to_end(key)
            return cached[1]
    mark = fingerprint(spec, now)
    if cached is not None and cached[0] == mark:
        with _lock:
            _bodies[key] = (mark, cached[1], seen)
        return cached[1]
    data = build(spec, now, first=cached is None)
    stats["builds"] += 1
    # Never earlier than any change it shows nor than the day's cut-off move: If-Modified-Since
    # clients then always see a change, at worst one extra full download a day.
    moments = [m for m in (*mark, *token_state) if isinstance(m, datetime)]
    body = Body(data, hashlib.sha256(data).hexdigest()[:40], max(moments).replace(microsecond=0))
    with _lock:
        _bodies[key] = (mark, body, seen)
        while len(_bodies) > BODIES_MAX:
            _bodies.popitem(last=False)
    return body


def clear() -> None:
    with _lock:
        _bodies.clear()
