"""The calendar's part of the OpenAPI document (/api/v1/events, /api/v1/weeks)."""
from meetings.api.openapi import (ID, OPT_ID, SINCE, URL, _INT, _OPT_STR, _STR, ids, op, partial, path_id, query, ref,
                                  register, text)

_BOOL = {"type": "boolean"}
_IDS = {"type": "array", "items": _INT}
_TIME = {"type": "string", "description": "ISO 8601; without an offset it means the app's time zone"}
# What parse_moment reads: a date, or a date-time with or without offset, in the years 1900-2199.
MOMENT = {"type": "string", "pattern": "^(19|20|21)[0-9]{2}-", "anyOf": [
    {"format": "date"}, {"format": "date-time"},
    # A local date-time (no offset: the app's zone). Days stop at 28 here only because a pattern cannot
    # know month lengths; every real date is accepted.
    {"pattern": "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])T([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$"}],
          "description": "ISO 8601 date or date-time; without an offset it means the app's time zone"}
_OPT_TIME = {"type": ["string", "null"]}
WEEK = {"name": "key", "in": "path", "required": True, "schema": {"type": "string", "example": "2026-W49"}}
OCCURRENCE = {"name": "original_start", "in": "path", "required": True,
              "schema": {"type": "string", "example": "2026-12-07T08:00:00+07:00"},
              "description": "the occurrence's start as first planned"}
LEADER = {"type": "object", "properties": {"id": _INT, "name": _STR, "title": _OPT_STR,
                                           "role": {"enum": ["chair", "attend"]}}}
EVENT_INPUT = {"type": "object", "required": ["title", "start"], "properties": {
    "title": text(500), "start": MOMENT, "end": MOMENT, "all_day": _BOOL,
    "session": {"enum": ["morning", "afternoon", "evening"]}, "leader_ids": ids(), "chair_id": OPT_ID,
    "participant_ids": ids(), "participant_unit_ids": ids(), "guests": text(1000, required=False),
    "room_id": OPT_ID, "location": text(300, required=False), "online_url": URL,
    "preparing_unit": text(300, required=False), "description": text(5000, required=False),
    "kind": {"enum": ["meeting", "conference", "reception", "working", "trip", "other"]},
    "visibility": {"enum": ["public", "internal", "confidential"], "default": "internal"},
    # A new entry is a draft or published; "cancelled" only by an edit (or /cancel), as input.py rules.
    "status": {"enum": ["draft", "published"], "default": "draft"},
    "rrule": {"type": ["string", "null"], "maxLength": 500, "example": "FREQ=WEEKLY;COUNT=10"},
    "allow_conflict": _BOOL, "version": {**ID, "description": "PATCH only: the version you read"}}}

EVENT_EDIT = partial({**EVENT_INPUT, "properties": {
    **EVENT_INPUT["properties"], "status": {"enum": ["draft", "published", "cancelled"]}}})

register(
    {
        "/api/v1/events": {
            "get": op("Occurrences in a range, series expanded; confidential ones as busy blocks for others",
                      {"type": "object", "properties": {"events": {"type": "array", "items": ref("Occurrence")}}},
                      params=[query("start", MOMENT), query("end", MOMENT), query("leader_id", ID),
                              query("room_id", ID), query("q", text(200, required=False) | {"type": "string"},
                                                     "words; diacritics do not matter")],
                      errors=("401", "422")),
            "post": op("Create an entry (secretaries)", ref("Event"), "201", ref("EventInput"),
                       errors=("401", "403", "409", "415", "422")),
        },
        "/api/v1/events/{event_id}": {
            "parameters": [path_id("event_id")],
            "get": op("One entry", ref("Event"), errors=("401", "404")),
            "patch": op("Edit an entry; a stale `version` gives 409 `stale` with the current entry", ref("Event"),
                        body=EVENT_EDIT, errors=("401", "403", "404", "409", "415", "422")),
        },
        "/api/v1/events/{event_id}/cancel": {
            "parameters": [path_id("event_id")],
            "post": op("Cancel an entry (kept, struck through, with the reason)", ref("Event"),
                       body={"type": "object", "properties": {"reason": text(500, required=False), "version": ID}},
                       errors=("401", "403", "404", "409", "422")),
        },
        "/api/v1/events/{event_id}/occurrences/{original_start}": {
            "parameters": [path_id("event_id"), OCCURRENCE],
            "patch": op("Move or cancel one occurrence, or with scope=following change it and all later ones",
                        ref("Event"), body={"type": "object", "properties": {
                            "start": MOMENT, "end": MOMENT, "cancelled": _BOOL, "allow_conflict": _BOOL,
                            "scope": {"enum": ["this", "following"]}}},
                        errors=("401", "403", "404", "409", "415", "422")),
        },
        "/api/v1/events/{event_id}/history": {
            "parameters": [path_id("event_id")],
            "get": op("Every recorded change, one row per field: who, when, the stored old and new value (ids, "
                      "codes, ISO times) and their labels in the caller's language",
                      {"type": "object", "properties": {"history": {"type": "array", "items": {
                          "type": "object", "properties": {
                              "field": _STR, "field_label": _STR, "old": _OPT_STR, "new": _OPT_STR, "old_label": _OPT_STR,
                              "new_label": _OPT_STR, "by": _OPT_STR, "at": _TIME}}}}},
                      errors=("401", "404")),
        },
        "/api/v1/weeks/{key}": {
            "parameters": [WEEK],
            "get": op("The weekly schedule's status and revision", ref("Week"), errors=("401", "404")),
        },
        "/api/v1/weeks/{key}/publish": {
            "parameters": [WEEK],
            "post": op("Publish the week and its drafts, or raise its revision", ref("Week"),
                       errors=("401", "403", "404", "409")),
        },
        "/api/v1/weeks/{key}/changes": {
            "parameters": [WEEK, query("since", SINCE, "revision number")],
            "get": op("Changes since revision N", {"type": "object"}, errors=("401", "404")),
        },
    },
    {
        "EventInput": EVENT_INPUT,
        "Occurrence": {"type": "object", "properties": {
            "id": _INT, "event_id": _INT, "start": _TIME, "end": _TIME, "recurrence_id": _OPT_TIME,
            "busy": _BOOL, "title": _STR, "status": _STR, "visibility": _STR, "all_day": _BOOL,
            "leaders": {"type": "array", "items": LEADER}, "leader_ids": _IDS, "room_id": {"type": ["integer", "null"]},
            "sequence": _INT, "version": _INT}},
        "Event": {"allOf": [ref("Occurrence"), {"type": "object", "properties": {
            "rrule": _OPT_STR, "participant_ids": _IDS, "participant_unit_ids": _IDS, "location": _OPT_STR,
            "online_url": _OPT_STR, "preparing_unit": _OPT_STR, "description": _OPT_STR,
            "cancel_reason": _OPT_STR, "published_at": _OPT_TIME, "overrides": {"type": "array"},
            "conflicts": {"type": "array", "items": ref("ConflictItem")}}}]},
        "ConflictItem": {"type": "object", "properties": {
            "event_id": _INT, "start": _TIME, "end": _TIME, "leader_id": _INT, "room_id": _INT}},
        "Week": {"type": "object", "properties": {
            "week": _STR, "status": {"enum": ["draft", "published"]}, "revision": _INT,
            "published_at": _OPT_TIME, "updated_at": _OPT_TIME}},
    },
)
