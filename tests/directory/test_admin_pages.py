"""Admin pages for people, units and rooms: who may enter, search, paging, validation."""
import pytest


@pytest.fixture
def secretary(factories, auth):
    user = factories.user("secretary", name="Hoàng Thu Trang")
    auth.login(user)
    return user


@pytest.mark.parametrize("path", ["/admin/users", "/admin/users/new", "/admin/units", "/admin/rooms",
                                  "/admin/rooms/new"])
def test_member_and_leader_get_403(client, factories, auth, path):
    for role in ("member", "leader"):
        user = factories.user(role)
        auth.login(user)
        response = client.get(path)
        assert response.status_code == 403, (role, path)
        assert "Bạn không có quyền" in response.get_data(as_text=True)
        auth.logout()


def test_anonymous_is_sent_to_login(client):
    response = client.get("/admin/users")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_search_people_without_diacritics(client, factories, secretary):
    factories.user(name="Nguyễn Văn Minh")
    factories.user(name="Đỗ Văn Khải")
    page = client.get("/admin/users?q=do van").get_data(as_text=True)
    assert "Đỗ Văn Khải" in page and "Nguyễn Văn Minh" not in page
    page = client.get("/admin/users?q=zzz").get_data(as_text=True)
    assert "Không có người nào phù hợp" in page


def test_people_are_paged(make_app):
    from tests.factories import Factories

    app = make_app(PAGE_SIZE=5)
    factories = Factories(app)
    secretary = factories.user("secretary", name="A Thư ký")
    for n in range(7):
        factories.user(name=f"Người {n}")
    client = app.test_client()
    client.post("/login", data={"email": secretary.email, "password": secretary.password})
    first = client.get("/admin/users").get_data(as_text=True)
    second = client.get("/admin/users?page=2").get_data(as_text=True)
    assert "Trang 1/2" in first
    assert first.count("/admin/users/") == 5 + 1  # five people and the "new" link
    assert second.count("/admin/users/") == 3 + 1


def test_create_person_through_the_form(client, factories, secretary):
    unit_id = factories.unit("Vụ Pháp chế")
    response = client.post("/admin/users/new", data={
        "name": "Trần Thị Thu", "email": "thu@example.gov.vn", "title": "Chuyên viên", "unit_id": unit_id,
        "role": "member", "rank": "100", "password": "mat-khau-du-dai", "active": "on"})
    assert response.status_code == 302
    page = client.get("/admin/users?q=thu").get_data(as_text=True)
    assert "Trần Thị Thu" in page and "Vụ Pháp chế" in page


def test_invalid_form_shows_errors_and_keeps_input(client, secretary):
    response = client.post("/admin/users/new", data={"name": "Người Thiếu Email", "email": "", "role": "member"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Người Thiếu Email" in page and 'aria-invalid="true"' in page


def test_secretary_cannot_edit_an_admin(client, factories, secretary):
    admin = factories.user("admin")
    assert client.get(f"/admin/users/{admin.id}").status_code == 403


def test_unit_with_people_cannot_be_deleted(client, factories, secretary):
    unit_id = factories.unit("Vụ Tổ chức cán bộ")
    factories.user(unit="Vụ Tổ chức cán bộ")
    client.post(f"/admin/units/{unit_id}/delete")
    assert "Vụ Tổ chức cán bộ" in client.get("/admin/units").get_data(as_text=True)


def test_unit_cannot_move_under_its_own_child(client, factories, secretary):
    parent = factories.unit("Bộ")
    child = factories.unit("Văn phòng Bộ", parent_id=parent)
    response = client.post(f"/admin/units/{parent}", data={"name": "Bộ", "parent_id": child, "position": "0"})
    assert response.status_code == 422


def test_room_form_validates_link_and_capacity(client, secretary):
    response = client.post("/admin/rooms/new", data={"name": "Phòng 201", "capacity": "-3",
                                                     "online_url": "javascript:alert(1)", "active": "on"})
    assert response.status_code == 422
    response = client.post("/admin/rooms/new", data={"name": "Phòng 201", "capacity": "30",
                                                     "online_url": "https://hop.example.gov.vn/201", "active": "on"})
    assert response.status_code == 302
    assert "Phòng 201" in client.get("/admin/rooms").get_data(as_text=True)


def test_unknown_objects_are_404(client, secretary):
    for path in ("/admin/users/99999", "/admin/units/99999", "/admin/rooms/99999"):
        assert client.get(path).status_code == 404, path
