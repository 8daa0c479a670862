"""Every bad input is a 4xx with a message naming the field, never a 500: through the API, the pages
and the socket, on SQLite and PostgreSQL (ids past 2^63 overflow in both drivers, past 2^31 in
PostgreSQL's INTEGER columns; NUL fails only in PostgreSQL)."""
import re

import pytest
from werkzeug.routing import IntegerConverter

from meetings.extensions import socketio
from meetings.realtime import NAMESPACE
from tests.meetings.conftest import NOW, Board

HUGE = 9223372036854775808  # 2^63: past what SQLite's driver binds
PG_HUGE = 2**31  # one past PostgreSQL's INTEGER
MINUS_HUGE = "-2238399726674185027584"


@pytest.fixture
def app(make_app):
    return make_app(MEETINGS_FAKE_NOW=NOW)


@pytest.fixture
def world(app, client):
    board = Board(app, client)
    board.room_id = board.make.room()
    board.meeting_id = board.meeting()["id"]
    return board


def assert_refused(response, status, field=None):
    """A 4xx, and for JSON a body in the API's error shape naming the field."""
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    if response.is_json:
        error = response.json["error"]
        assert error["code"] and error["message"]
        if field is not None:
            assert field in error["fields"], error
    elif field is not None:
        assert field in response.get_data(as_text=True)


# --- ids past 2^63 in paths, query strings and JSON ------------------------------------------------

API_PATHS = [
    f"/api/v1/meetings/{HUGE}", f"/api/v1/events/{HUGE}", f"/api/v1/users/{10**30}",
    f"/api/v1/documents/{HUGE}/file", f"/api/v1/documents/{HUGE}/pages/{HUGE}",
    f"/api/v1/meetings/{HUGE}/conclusions", f"/api/v1/tasks/{HUGE}", "/api/v1/meetings/0",
    f"/api/v1/meetings/{PG_HUGE}", f"/api/v1/events/{PG_HUGE}", f"/api/v1/events/{PG_HUGE - 1}",
]


@pytest.mark.parametrize("path", API_PATHS)
def test_an_id_past_the_database_range_in_an_api_path_is_not_found(world, path):
    assert_refused(world.client.get(path, headers=world.headers(world.secretary)), 404)


PAGE_PATHS = [f"/meetings/{HUGE}", f"/meetings/{PG_HUGE}", f"/schedule/events/{PG_HUGE}", f"/schedule/events/{HUGE}", f"/admin/users/{HUGE}", f"/tasks/{10**20}",
              f"/reader/documents/{HUGE}", f"/meetings/{HUGE}/live", f"/schedule/leader/{HUGE}"]


@pytest.mark.parametrize("path", PAGE_PATHS)
def test_an_id_past_the_database_range_in_a_page_path_is_not_found(world, path):
    response = world.page(world.admin, path)
    assert response.status_code == 404 and response.mimetype == "text/html"


@pytest.mark.parametrize("method,path,field", [
    ("GET", f"/api/v1/events?leader_id={HUGE}", "leader_id"),
    ("GET", "/api/v1/events?room_id=abc", "room_id"),
    ("GET", f"/api/v1/events?room_id={PG_HUGE}", "room_id"),
    ("GET", f"/api/v1/tasks?unit_id={MINUS_HUGE}", "unit_id"),
    ("GET", f"/api/v1/documents/1/file?version={MINUS_HUGE}", "version"),
    ("DELETE", "/api/v1/meetings/{meeting}/participants/{member}?version=" + MINUS_HUGE, "version"),
])
def test_a_number_past_the_range_in_a_query_string_is_422_naming_it(world, method, path, field):
    url = path.format(meeting=world.meeting_id, member=world.member.id)
    assert_refused(world.client.open(url, method=method, headers=world.headers(world.secretary)), 422, field)


def test_a_number_past_the_range_in_a_page_query_string_is_a_422_page(world):
    response = world.page(world.admin, f"/tasks/?leader_id={HUGE}")
    assert_refused(response, 422, "leader_id")
    assert response.mimetype == "text/html"


def test_every_int_converter_in_the_url_map_is_bounded_to_database_ids(app):
    """A new route with <int:...> gets the bounded converter without anyone remembering it."""
    seen = 0
    for rule in app.url_map.iter_rules():
        for converter in rule._converters.values():
            if isinstance(converter, IntegerConverter):
                seen += 1
                assert (converter.min, converter.max) == (1, 2**31 - 1), rule.rule
    assert seen > 50


# --- odd values in JSON bodies ---------------------------------------------------------------------

ENTRY = {"title": "Họp giao ban", "start": "2026-12-03T08:00", "end": "2026-12-03T09:00"}
ODD_ENTRIES = [
    ({"leader_ids": [10**30]}, "leader_ids[0]"),
    ({"participant_ids": [str(10**25)]}, "participant_ids[0]"),
    ({"chair_id": HUGE}, "chair_id"),
    ({"start": "0001-01-01T00:00"}, "start"),
    ({"end": "9999-12-31T23:59"}, "end"),
    ({"start": "0001-01-01"}, "start"),
    ({"title": "\ud800"}, "title"),
    ({"title": "Họp\x00"}, "title"),
    ({"description": "a\x00b"}, "description"),
    ({"title": "\u200b\u200c\u2060\ufeff "}, "title"),
    ({"room_id": 1.5}, "room_id"),
    ({"room_id": True}, "room_id"),
    ({"room_id": HUGE}, "room_id"),
    ({"room_id": PG_HUGE}, "room_id"),
    ({"participant_ids": [PG_HUGE]}, "participant_ids[0]"),
    ({"rrule": "FREQ=DAILY;UNTIL=00010101"}, "rrule"),
    ({"location": float("nan")}, "location"),
]


@pytest.mark.parametrize("change,field", ODD_ENTRIES)
def test_odd_values_in_a_calendar_entry_are_422_naming_the_field(world, change, field):
    response = world.post(world.secretary, "/api/v1/events", {**ENTRY, **change})
    assert_refused(response, 422, field)


@pytest.mark.parametrize("change,field", ODD_ENTRIES[:10])
def test_odd_values_in_an_entry_edit_are_422_naming_the_field(world, change, field):
    event = world.post(world.secretary, "/api/v1/events", ENTRY).json["id"]
    assert_refused(world.patch(world.secretary, f"/api/v1/events/{event}", change), 422, field)


def test_a_room_given_as_one_and_a_half_is_not_room_one(world):
    """int(1.5) is 1: an existing room must not be picked by a fraction."""
    response = world.post(world.secretary, "/api/v1/events", {**ENTRY, "room_id": world.room_id + 0.5})
    assert_refused(response, 422, "room_id")


@pytest.mark.parametrize("method,path,body,field", [
    ("POST", "/api/v1/meetings", {"title": "\ud800", "start": "2026-12-03T08:00"}, "title"),
    ("POST", "/api/v1/meetings", {"title": "Họp", "start": "0001-01-01T00:00"}, "start"),
    ("POST", "/api/v1/meetings/{meeting}/participants", {"user_ids": [10**20], "role": "member"}, "user_ids[0]"),
    ("POST", "/api/v1/meetings/{meeting}/agenda", {"title": "\u200b"}, "title"),
    ("POST", "/api/v1/meetings/{meeting}/agenda", {"title": "Mục", "presenter_id": 1.5}, "presenter_id"),
    ("PATCH", "/api/v1/meetings/{meeting}", {"status": "x\x00"}, "status"),
    ("PATCH", "/api/v1/users/{member}", {"name": "\udfff"}, "name"),
    ("PATCH", "/api/v1/rooms/{room}", {"capacity": 10**19}, "capacity"),
    ("POST", "/api/v1/rooms", {"name": "\u2060"}, "name"),
    ("POST", "/api/v1/tasks", {"title": "Việc", "unit_id": HUGE}, "unit_id"),
    ("POST", "/api/v1/meetings/{meeting}/votes", {"question": "\x00"}, "question"),
    ("POST", "/api/v1/meetings/{meeting}/conclusions", {"text": "Kết luận", "agenda_item_id": HUGE},
     "agenda_item_id"),
    ("POST", "/api/v1/events", {**ENTRY, "location": "Phòng\x00"}, "location"),
    ("POST", "/api/v1/tasks", {"title": "Việc", "cooperating_unit_ids": ["²"]}, "cooperating_unit_ids"),
    ("POST", "/api/v1/tasks", {"title": "Việc", "cooperating_unit_ids": [1.5]}, "cooperating_unit_ids"),
])
def test_odd_json_at_a_representative_set_of_api_routes_is_422_naming_the_field(world, method, path, body, field):
    url = path.format(meeting=world.meeting_id, member=world.member.id, room=world.room_id)
    user = world.chair if "/votes" in path else world.admin
    response = world.client.open(url, method=method, json=body, headers=world.headers(user))
    assert_refused(response, 422, field)


def test_no_write_route_of_the_api_answers_500_to_poisoned_json(world, app):
    """Every POST/PUT/PATCH of the API, with the ids of real objects, gets a body of odd values."""
    ids = {"meeting_id": world.meeting_id, "user_id": world.member.id, "room_id": world.room_id}
    poison = {"title": "\x00", "name": "\ud800", "leader_ids": [10**30], "start": "0001-01-01T00:00",
              "room_id": 1.5, "version": HUGE, "user_id": 10**20, "text": "\ud800", "page": 2**64}
    tried = 0
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/"):
            continue
        url = re.sub(r"<int:(\w+)>", lambda m: str(ids.get(m[1], 1)), rule.rule)
        url = re.sub(r"<(\w+)>", "x", url)
        for method in rule.methods & {"POST", "PUT", "PATCH"}:
            response = world.client.open(url, method=method, json=poison, headers=world.headers(world.admin))
            # Never a 500; a route may accept the body when none of its declared fields is poisoned (the
            # API ignores properties its document does not declare, e.g. marking all notifications read).
            assert response.status_code < 500, (method, url, response.status_code)
            tried += 1
    assert tried > 30


def test_nul_in_a_path_segment_or_a_form_is_422_not_a_database_error(world):
    assert_refused(world.client.get("/feeds/a%00b.ics"), 422)
    browser = world.app.test_client()
    browser.post("/login", data={"email": world.secretary.email, "password": world.secretary.password})
    response = browser.post("/schedule/events/new", data={"title": "Họp\x00", "date": "2026-12-03"})
    assert_refused(response, 422, "title")
    response = browser.post("/schedule/events/new", data={"title": "Họp", "date": "0001-01-01"})
    assert_refused(response, 422, "date")


def test_digits_of_other_kinds_in_a_form_are_not_ids(world):
    """"²".isdigit() is True but int("²") raises: ids are read by one parser that knows this."""
    browser = world.app.test_client()
    browser.post("/login", data={"email": world.secretary.email, "password": world.secretary.password})
    assert browser.get("/tasks/new?conclusion_id=²").status_code in (200, 404)
    response = browser.post(f"/meetings/{world.meeting_id}/participants", data={"user_ids": ["²", "x"]})
    assert response.status_code in (302, 303)


def test_a_week_out_of_range_is_not_found_on_pages_and_api(world):
    """Week 1 of year 1 starts before datetime's first moment once moved to UTC."""
    assert world.page(world.admin, "/schedule/week?date=00010101").status_code == 404
    assert world.page(world.admin, "/schedule/week/0001-W01").status_code == 404
    assert_refused(world.client.get("/api/v1/weeks/0001-W01", headers=world.headers(world.secretary)), 404)
    assert_refused(world.client.get("/api/v1/events?start=00010101&end=2026-01-01",
                                    headers=world.headers(world.secretary)), 422, "start")


# --- the socket --------------------------------------------------------------------------------------

@pytest.mark.parametrize("message,field", [
    ({"meeting_id": 10**20}, "meeting_id"),
    ({"meeting_id": PG_HUGE}, "meeting_id"),
    ({"meeting_id": "\ud800"}, "meeting_id"),
    ({"meeting_id": 1.5}, "meeting_id"),
    ({"meeting_id": True}, "meeting_id"),
    ({"meeting_id": None}, "meeting_id"),
    ({"meeting_id": 1, "since_version": -(10**30)}, "since_version"),
    ("not an object", "meeting_id"),
])
def test_the_socket_answers_a_bad_join_with_an_error_ack_naming_the_field(world, app, message, field):
    socket = socketio.test_client(app, namespace=NAMESPACE, auth={"token": world.make.token(world.member)})
    ack = socket.emit("join_meeting", message, namespace=NAMESPACE, callback=True)
    assert ack["error"]["code"] == "invalid" and field in ack["error"]["fields"], ack
    assert socket.emit("leave_meeting", message, namespace=NAMESPACE, callback=True)["error"]["code"] == "invalid"
    ack = socket.emit("join_meeting", {"meeting_id": PG_HUGE - 1}, namespace=NAMESPACE, callback=True)
    assert ack["error"]["code"] == "not_found"  # the socket still works
    socket.disconnect(NAMESPACE)


def test_a_socket_token_with_nul_is_refused_not_looked_up(app, world):
    socket = socketio.test_client(app, namespace=NAMESPACE, auth={"token": "abc\x00"})
    assert not socket.is_connected(NAMESPACE)


# --- methods a route does not have -------------------------------------------------------------------

def test_a_method_a_path_does_not_have_is_405_with_allow_json_for_the_api_html_for_pages(app, client):
    paths: dict[str, set[str]] = {}
    for rule in app.url_map.iter_rules():
        paths.setdefault(rule.rule, set()).update(rule.methods)
    tried = 0
    for path, methods in paths.items():
        url = re.sub(r"<\w+:\w+>", "1", path)
        url = re.sub(r"<\w+>", "x", url)
        for method in {"GET", "POST", "PUT", "PATCH", "DELETE"} - methods:
            response = client.open(url, method=method)
            assert response.status_code == 405, (method, url, response.status_code)
            assert set(response.headers["Allow"].split(", ")) == methods, (method, url)
            if path.startswith("/api/"):
                assert response.json["error"]["code"] == "method_not_allowed"
            else:
                assert response.mimetype == "text/html"
            tried += 1
    assert tried > 200
