"""The JSON API for users, units and rooms: fields, filters, permissions, errors."""
import pytest


@pytest.fixture
def as_user(factories):
    """Returns request headers for a new user of the given role."""
    def headers(role="member", **extra):
        user = factories.user(role, **extra)
        return user, {"Authorization": f"Bearer {factories.token(user)}"}
    return headers


def test_me_returns_the_caller(client, as_user):
    user, headers = as_user("leader", name="Lê Thị Hoa", unit="Văn phòng Bộ", title="Thứ trưởng")
    body = client.get("/api/v1/users/me", headers=headers).json
    assert {k: body[k] for k in ("id", "email", "name", "role", "unit")} == {
        "id": user.id, "email": user.email, "name": "Lê Thị Hoa", "role": "leader", "unit": "Văn phòng Bộ"}


def test_users_filtered_by_role_leaders_by_rank(client, factories, as_user):
    factories.user("leader", name="Phạm Quốc Hùng", rank=3)
    factories.user("leader", name="Nguyễn Văn Minh", rank=1)
    factories.user("member", name="Trần Thị Thu")
    _user, headers = as_user("member")
    body = client.get("/api/v1/users?role=leader", headers=headers).json
    assert [u["name"] for u in body["users"]] == ["Nguyễn Văn Minh", "Phạm Quốc Hùng"]
    assert body["total"] == 2


def test_users_search_folds_vietnamese(client, factories, as_user):
    factories.user(name="Đặng Minh Tuấn")
    _user, headers = as_user()
    for q in ("dang minh", "ĐẶNG MINH", "tuan"):
        names = [u["name"] for u in client.get(f"/api/v1/users?q={q}", headers=headers).json["users"]]
        assert names == ["Đặng Minh Tuấn"], q


def test_unknown_role_filter_is_422_with_the_field(client, as_user):
    _user, headers = as_user()
    response = client.get("/api/v1/users?role=boss", headers=headers)
    assert response.status_code == 422 and "role" in response.json["error"]["fields"]


def test_rooms_listed(client, factories, as_user):
    factories.room("Phòng họp số 1", capacity=40)
    _user, headers = as_user()
    rooms = client.get("/api/v1/rooms", headers=headers).json["rooms"]
    assert [(r["name"], r["capacity"]) for r in rooms] == [("Phòng họp số 1", 40)]


@pytest.mark.parametrize("method,path,body", [
    ("post", "/api/v1/users", {"email": "a@b.vn", "name": "A"}),
    ("post", "/api/v1/rooms", {"name": "Phòng X"}),
    ("post", "/api/v1/units", {"name": "Vụ X"}),
])
def test_member_on_admin_api_is_403(client, as_user, method, path, body):
    _user, headers = as_user("member")
    response = getattr(client, method)(path, json=body, headers=headers)
    assert response.status_code == 403
    assert response.json["error"]["code"] == "forbidden"


def test_member_cannot_edit_users_or_rooms(client, factories, as_user):
    other = factories.user()
    room_id = factories.room()
    _user, headers = as_user("member")
    assert client.patch(f"/api/v1/users/{other.id}", json={"name": "X"}, headers=headers).status_code == 403
    assert client.patch(f"/api/v1/rooms/{room_id}", json={"name": "X"}, headers=headers).status_code == 403


def test_secretary_creates_a_user_but_not_an_admin(client, as_user):
    _user, headers = as_user("secretary")
    response = client.post("/api/v1/users", json={"email": "moi@example.gov.vn", "name": "Người Mới",
                                                   "role": "member"}, headers=headers)
    assert response.status_code == 201 and response.json["name"] == "Người Mới"
    response = client.post("/api/v1/users", json={"email": "qt@example.gov.vn", "name": "Quản trị",
                                                   "role": "admin"}, headers=headers)
    assert response.status_code == 403
    assert client.get("/api/v1/users?q=qt@", headers=headers).json["total"] == 0


def test_invalid_user_is_422_with_every_failing_field_and_nothing_saved(client, as_user):
    _user, headers = as_user("admin")
    response = client.post("/api/v1/users", json={"email": "not-an-email", "role": "boss", "password": "short"},
                           headers=headers)
    assert response.status_code == 422
    assert set(response.json["error"]["fields"]) == {"email", "name", "role", "password"}
    assert client.get("/api/v1/users?all=1", headers=headers).json["total"] == 1  # only the caller


def test_duplicate_email_is_422(client, factories, as_user):
    existing = factories.user()
    _user, headers = as_user("admin")
    response = client.post("/api/v1/users", json={"email": existing.email.upper(), "name": "X"}, headers=headers)
    assert response.status_code == 422 and "email" in response.json["error"]["fields"]


def test_non_json_body_is_415(client, as_user):
    _user, headers = as_user("admin")
    response = client.post("/api/v1/rooms", data="name=x", headers=headers)
    assert response.status_code == 415
    assert response.json["error"]["code"] == "unsupported_media_type"


def test_malformed_json_is_400(client, as_user):
    _user, headers = as_user("admin")
    response = client.post("/api/v1/rooms", data="{", headers={**headers, "Content-Type": "application/json"})
    assert response.status_code == 400 and "error" in response.json


def test_unknown_object_and_unknown_route_are_json_404(client, as_user):
    _user, headers = as_user()
    for path in ("/api/v1/users/999999", "/api/v1/nothing-here"):
        response = client.get(path, headers=headers)
        assert response.status_code == 404
        assert response.json["error"]["code"] == "not_found"


def test_wrong_method_is_json_405(client, as_user):
    _user, headers = as_user()
    response = client.delete("/api/v1/users/me", headers=headers)
    assert response.status_code == 405 and response.json["error"]["code"] == "method_not_allowed"


def test_unit_tree_refuses_a_cycle(client, as_user):
    _user, headers = as_user("admin")
    ministry = client.post("/api/v1/units", json={"name": "Bộ"}, headers=headers).json
    office = client.post("/api/v1/units", json={"name": "Văn phòng", "parent_id": ministry["id"]},
                         headers=headers).json
    units = client.get("/api/v1/units", headers=headers).json["units"]
    assert [(u["name"], u["depth"]) for u in units] == [("Bộ", 0), ("Văn phòng", 1)]
    assert office["parent_id"] == ministry["id"]
