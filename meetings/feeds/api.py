"""/api/v1/me/feeds: the caller's feed URLs, and a new URL for one of them."""
from flask import g

from meetings.api import bp
from meetings.api.openapi import op, register
from meetings.feeds import tokens
from meetings.feeds.routes import feed_urls
from meetings.timeutil import now_utc


def _entry(ref, feed) -> dict:
    # Every feed says whether its URL was revoked (rotate issues a working one); all but the personal
    # feed also carry a name.
    entry = {**feed_urls(feed), "revoked": feed.revoked_at is not None}
    return entry if ref.kind == "personal" else {**entry, "name": ref.name, "kind": ref.kind}


@bp.get("/me/feeds")
def my_feeds():
    return {ref.key: _entry(ref, feed) for ref, feed in tokens.feeds_of(g.api_user, now_utc())}


@bp.post("/me/feeds/<key>/rotate")
def rotate_feed(key: str):
    return feed_urls(tokens.rotate(g.api_user, key, now_utc()))


@bp.post("/me/feeds/<key>/revoke")
def revoke_feed(key: str):
    tokens.revoke(g.api_user, key, now_utc())
    return "", 204


_PAIR = {"type": "object", "required": ["url", "webcal"], "properties": {
    "url": {"type": "string"}, "webcal": {"type": "string"}}}
_FEED = {"type": "object", "required": ["url", "webcal", "revoked"], "properties": {
    "url": {"type": "string"}, "webcal": {"type": "string"},
    "revoked": {"type": "boolean", "description": "the URL answers 404 until the feed is rotated"},
    "name": {"type": "string"}, "kind": {"enum": ["leader", "room", "unit"]}}}
_KEY = [{"name": "key", "in": "path", "required": True,
         "schema": {"type": "string", "pattern": "^(personal|(leader|room|unit)-[1-9][0-9]{0,9})$"},
         "description": "personal, leader-ID, room-ID or unit-ID"}]
register({
    "/api/v1/me/feeds": {"get": op(
        "The caller's calendar feeds: personal, and the leaders', rooms' and units' the caller may have",
        {"type": "object", "required": ["personal"], "additionalProperties": {"$ref": "#/components/schemas/Feed"},
         "properties": {"personal": {"$ref": "#/components/schemas/Feed"}}})},
    "/api/v1/me/feeds/{key}/rotate": {"parameters": _KEY, "post": op(
        "A new secret URL for the feed; the old one stops at once", {"$ref": "#/components/schemas/FeedUrls"},
        errors=("401", "404"))},
    "/api/v1/me/feeds/{key}/revoke": {"parameters": _KEY, "post": {
        "summary": "Revoke the feed's URL (rotate issues a new one)",
        "responses": {"204": {"description": "Revoked"}, "401": {"$ref": "#/components/responses/E401"},
                      "404": {"$ref": "#/components/responses/E404"}}}},
}, {"FeedUrls": _PAIR, "Feed": _FEED})
