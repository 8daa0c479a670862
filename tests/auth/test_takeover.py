"""Only an administrator sets another person's password (whoever sets it can act as that person);
setting a password, deactivating and "sign out everywhere" end the person's sessions and API tokens."""
import pytest


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def me(client, token) -> int:
    return client.get("/api/v1/users/me", headers=bearer(token)).status_code


def test_a_secretary_cannot_set_a_leaders_password(client, factories):
    secretary, leader = factories.user("secretary"), factories.user("leader", name="Nguyễn Văn Minh")
    response = client.patch(f"/api/v1/users/{leader.id}", headers=bearer(factories.token(secretary)),
                            json={"password": "mat-khau-cua-ke-gian"})
    assert response.status_code == 403
    assert "quản trị viên" in response.json["error"]["message"]
    assert client.post("/login", data={"email": leader.email, "password": "mat-khau-cua-ke-gian"}).status_code == 401
    assert client.post("/login", data={"email": leader.email, "password": leader.password}).status_code == 302


def test_a_secretary_keeps_editing_other_fields_of_non_admins(client, factories):
    secretary, member = factories.user("secretary"), factories.user("member")
    response = client.patch(f"/api/v1/users/{member.id}", headers=bearer(factories.token(secretary)),
                            json={"title": "Chuyên viên chính"})
    assert response.status_code == 200 and response.json["title"] == "Chuyên viên chính"


def test_the_secretarys_form_has_no_password_field_and_says_why(client, factories, auth):
    secretary, leader = factories.user("secretary"), factories.user("leader")
    auth.login(secretary)
    page = client.get(f"/admin/users/{leader.id}").get_data(as_text=True)
    assert 'name="password"' not in page
    assert "Chỉ quản trị viên mới được đặt mật khẩu của người khác." in page
    # a password slipped into the form anyway is refused, and the rest is not saved
    response = client.post(f"/admin/users/{leader.id}", data={
        "name": "Kẻ gian", "email": leader.email, "role": "leader", "rank": "1", "password": "mat-khau-ke-gian",
        "active": "on"})
    assert "Chỉ quản trị viên mới được đặt mật khẩu" in response.get_data(as_text=True)
    assert "Kẻ gian" not in client.get("/admin/users").get_data(as_text=True)
    fresh = client.application.test_client()
    assert fresh.post("/login", data={"email": leader.email, "password": "mat-khau-ke-gian"}).status_code == 401


def test_an_admin_sets_a_password_and_the_old_tokens_stop_working(client, factories):
    admin, leader = factories.user("admin"), factories.user("leader")
    token = factories.token(leader)
    assert me(client, token) == 200
    response = client.patch(f"/api/v1/users/{leader.id}", headers=bearer(factories.token(admin)),
                            json={"password": "mat-khau-moi-dai"})
    assert response.status_code == 200
    assert me(client, token) == 401


def test_the_admin_form_says_what_a_new_password_revokes(client, factories, auth):
    admin, leader = factories.user("admin"), factories.user("leader")
    auth.login(admin)
    page = client.get(f"/admin/users/{leader.id}").get_data(as_text=True)
    assert 'name="password"' in page and "thu hồi" in page


def test_deactivating_revokes_the_tokens(client, factories):
    admin, member = factories.user("admin"), factories.user("member")
    token = factories.token(member)
    client.patch(f"/api/v1/users/{member.id}", headers=bearer(factories.token(admin)), json={"active": False})
    client.patch(f"/api/v1/users/{member.id}", headers=bearer(factories.token(admin)), json={"active": True})
    assert me(client, token) == 401  # reactivated, yet the token of before stays dead


@pytest.mark.parametrize("how", ["everywhere", "password"])
def test_signing_out_everywhere_or_changing_ones_password_revokes_ones_tokens(client, factories, auth, how):
    user = factories.user()
    token = factories.token(user)
    auth.login(user)
    assert "thu hồi" in client.get("/profile").get_data(as_text=True)
    if how == "everywhere":
        client.post("/logout-everywhere")
    else:
        client.post("/profile/password", data={"current_password": user.password, "password": "mat-khau-moi-dai"})
    assert me(client, token) == 401
