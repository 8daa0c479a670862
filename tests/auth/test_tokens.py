"""Personal API tokens: shown once, stored hashed, revocable, last use recorded."""
import re
from datetime import timedelta

from sqlalchemy import select

from meetings.auth import services
from meetings.auth.models import ApiToken
from meetings.directory import services as directory
from meetings.extensions import db
from meetings.timeutil import now_utc


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def test_token_from_profile_is_shown_once_and_works(client, factories, auth):
    user = factories.user()
    auth.login(user)
    page = client.post("/profile/tokens", data={"name": "Đồng bộ lịch"}).get_data(as_text=True)
    token = re.search(r'value="(mtg_[^"]+)"', page).group(1)
    assert client.get("/profile").get_data(as_text=True).count(token) == 0  # never shown again
    api = client.application.test_client()
    assert api.get("/api/v1/users/me", headers=bearer(token)).json["email"] == user.email


def test_token_is_stored_only_as_a_hash(app, factories):
    user = factories.user()
    plain = factories.token(user)
    with app.app_context():
        stored = db.session.scalar(select(ApiToken))
        assert plain not in (stored.token_hash, stored.prefix)
        assert stored.prefix == plain[:12]


def test_api_without_token_is_401_json(client):
    response = client.get("/api/v1/users/me")
    assert response.status_code == 401
    assert response.json["error"]["code"] == "unauthorized"


def test_unknown_or_malformed_token_is_401(client):
    for header in ("Bearer mtg_not-a-real-token", "Bearer ", "Basic abc"):
        response = client.get("/api/v1/users/me", headers={"Authorization": header})
        assert response.status_code == 401, header
        assert response.json["error"]["code"] == "invalid_token"


def test_revoked_token_is_401(app, client, factories, auth):
    user = factories.user()
    token = factories.token(user)
    assert client.get("/api/v1/users/me", headers=bearer(token)).status_code == 200
    with app.app_context():
        token_id = db.session.scalar(select(ApiToken.id))
    auth.login(user)
    client.post(f"/profile/tokens/{token_id}/revoke")
    api = app.test_client()
    assert api.get("/api/v1/users/me", headers=bearer(token)).status_code == 401


def test_nobody_revokes_another_users_token(app, factories):
    owner, other = factories.user(), factories.user()
    factories.token(owner)
    with app.app_context():
        token_id = db.session.scalar(select(ApiToken.id))
        client = app.test_client()
        client.post("/login", data={"email": other.email, "password": other.password})
        client.post(f"/profile/tokens/{token_id}/revoke")
        assert db.session.get(ApiToken, token_id).revoked_at is None


def test_token_of_deactivated_user_is_401(app, client, factories):
    user = factories.user()
    token = factories.token(user)
    with app.app_context():
        directory.update_user(user.id, {"active": False}, now_utc())
    assert client.get("/api/v1/users/me", headers=bearer(token)).status_code == 401


def test_last_used_time_is_recorded_at_most_once_a_minute(app, factories):
    user = factories.user()
    plain = factories.token(user)
    now = now_utc()
    with app.app_context():
        services.user_for_token(plain, now)
        token = db.session.scalar(select(ApiToken))
        assert token.last_used_at == now.replace(microsecond=now.microsecond)
        services.user_for_token(plain, now + timedelta(seconds=30))
        assert db.session.scalar(select(ApiToken)).last_used_at == now
        services.user_for_token(plain, now + timedelta(minutes=2))
        assert db.session.scalar(select(ApiToken)).last_used_at == now + timedelta(minutes=2)


def test_cli_prints_only_the_token(runner, factories, app):
    user = factories.user()
    result = runner.invoke(args=["users", "token", user.email])
    assert result.exit_code == 0
    assert re.fullmatch(r"mtg_[A-Za-z0-9_-]{40,}\n", result.output)
    assert app.test_client().get("/api/v1/users/me", headers=bearer(result.output.strip())).status_code == 200


def test_session_caller_needs_csrf_for_api_writes(make_app):
    from tests.factories import Factories

    app = make_app(WTF_CSRF_ENABLED=True)
    secretary = Factories(app).user("secretary")
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    client.post("/login", data={"email": secretary.email, "password": secretary.password, "csrf_token": csrf})
    assert client.get("/api/v1/users/me").status_code == 200  # reads need no token
    body = {"name": "Phòng mới"}
    assert client.post("/api/v1/rooms", json=body).status_code == 400
    csrf = re.search(r'name="csrf-token" content="([^"]+)"', client.get("/").get_data(as_text=True)).group(1)
    assert client.post("/api/v1/rooms", json=body, headers={"X-CSRFToken": csrf}).status_code == 201
