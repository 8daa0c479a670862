"""Signing in: wrong passwords, the throttle per (e-mail, address), rate limit, CSRF, sessions and logout
everywhere."""
import re
from datetime import timedelta

from flask_login import current_user

from meetings.auth import services, throttle
from meetings.timeutil import now_utc
from tests.factories import Factories


def is_signed_in(client) -> bool:
    return client.get("/profile").status_code == 200


def test_right_password_signs_in_and_redirects_home(client, factories, auth):
    user = factories.user()
    response = auth.login(user)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert is_signed_in(client)


def test_session_cookie_is_httponly_and_samesite(client, factories, auth):
    user = factories.user()
    response = auth.login(user)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_wrong_password_gives_a_generic_message_and_no_session(client, factories):
    user = factories.user()
    wrong = client.post("/login", data={"email": user.email, "password": "sai-mat-khau"})
    unknown = client.post("/login", data={"email": "nobody@example.gov.vn", "password": "sai-mat-khau"})
    assert wrong.status_code == unknown.status_code == 401
    message = "Email hoặc mật khẩu không đúng"
    assert message in wrong.get_data(as_text=True).replace("E-mail", "Email")
    assert message in unknown.get_data(as_text=True).replace("E-mail", "Email")
    assert not is_signed_in(client)


THIEF, OWNER = "203.0.113.7", "198.51.100.20"


def fail(app, email, address, now, times=1):
    with app.app_context():
        for _ in range(times):
            assert services.authenticate(email, "wrong", address, now).user is None


def test_failures_from_one_address_never_lock_the_owner_out_of_another(app, factories):
    user = factories.user()
    now = now_utc()
    fail(app, user.email, THIEF, now, times=50)
    with app.app_context():
        assert services.authenticate(user.email, user.password, OWNER, now).user is not None
        # the thief's address waits, even with the right password (so guessing during the wait learns nothing)
        assert services.authenticate(user.email, user.password, THIEF, now).user is None


def test_the_wait_grows_with_each_failure_and_ends(app, factories):
    user = factories.user()
    free, first = app.config["LOGIN_FREE_FAILURES"], app.config["LOGIN_FIRST_DELAY_SECONDS"]
    now = now_utc()
    fail(app, user.email, THIEF, now, times=free)  # the free tries
    with app.app_context():
        assert not throttle.must_wait(throttle.account_key(user.email), THIEF, now)
    waits = []
    for _ in range(4):
        fail(app, user.email, THIEF, now)
        with app.app_context():
            key = throttle.account_key(user.email)
            assert throttle.must_wait(key, THIEF, now)
            waited = next(s for s in range(1, 10_000) if not throttle.must_wait(key, THIEF, now + timedelta(seconds=s)))
        waits.append(waited)
        now += timedelta(seconds=waited)
    assert waits == [first, 2 * first, 4 * first, 8 * first]
    with app.app_context():
        assert services.authenticate(user.email, user.password, THIEF, now).user is not None
        assert not throttle.must_wait(throttle.account_key(user.email), THIEF, now)  # a success clears it


def test_a_pair_quiet_for_a_day_starts_afresh(app, factories):
    user = factories.user()
    now = now_utc()
    fail(app, user.email, THIEF, now, times=20)
    later = now + timedelta(days=1)
    fail(app, user.email, THIEF, later)  # one failure of a new count: still among the free tries
    with app.app_context():
        assert not throttle.must_wait(throttle.account_key(user.email), THIEF, later)


def test_the_wait_is_capped(app):
    with app.app_context():
        assert throttle.delay_after(200) == timedelta(seconds=app.config["LOGIN_MAX_DELAY_SECONDS"])


def page_of(response, email) -> str:
    """The page without what differs by design: the e-mail typed, kept in the form, and the CSRF
    token's timestamp."""
    return re.sub(r'(csrf[-_]token"? (?:content|value)=)"[^"]+"', r"\1", response.get_data(as_text=True)
                  ).replace(email, "EMAIL")


def test_every_failure_answers_the_same_known_or_made_up_throttled_or_not(make_app):
    app = make_app(MEETINGS_FAKE_NOW=now_utc())  # the clock stands still: the wait cannot run out
    client, user = app.test_client(), Factories(app).user()
    answers = set()
    for email in (user.email, "made-up@example.gov.vn"):
        for _ in range(8):  # past the free tries: the throttle is on for both
            response = client.post("/login", data={"email": email, "password": "wrong"})
            answers.add((response.status_code, page_of(response, email)))
    response = client.post("/login", data={"email": user.email, "password": user.password})  # right, but waiting
    answers.add((response.status_code, page_of(response, user.email)))
    assert len(answers) == 1
    status, page = answers.pop()
    assert status == 401 and "Email hoặc mật khẩu không đúng" in page.replace("E-mail", "Email")
    assert not is_signed_in(client)


def test_a_throttled_address_does_not_slow_the_owner_through_the_page(app, factories):
    user = factories.user()
    thief, owner = app.test_client(), app.test_client()
    for _ in range(10):
        thief.post("/login", data={"email": user.email, "password": "wrong"}, environ_base={"REMOTE_ADDR": THIEF})
    response = owner.post("/login", data={"email": user.email, "password": user.password},
                          environ_base={"REMOTE_ADDR": OWNER})
    assert response.status_code == 302 and is_signed_in(owner)


def test_behind_a_trusted_proxy_the_throttle_keys_on_the_forwarded_address(make_app):
    app = make_app(MEETINGS_TRUSTED_PROXIES=1)
    user = Factories(app).user()
    thief, owner = app.test_client(), app.test_client()
    for _ in range(10):  # both come through the proxy at 127.0.0.1
        thief.post("/login", data={"email": user.email, "password": "wrong"}, headers={"X-Forwarded-For": THIEF})
    response = owner.post("/login", data={"email": user.email, "password": user.password},
                          headers={"X-Forwarded-For": OWNER})
    assert response.status_code == 302 and is_signed_in(owner)


def test_login_is_rate_limited_per_address(make_app):
    app = make_app(RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3 per minute")
    client = app.test_client()
    codes = [client.post("/login", data={"email": "x@example.gov.vn", "password": "x"}).status_code
             for _ in range(4)]
    assert codes == [401, 401, 401, 429]


def test_form_without_csrf_token_is_rejected(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    from tests.factories import Factories

    user = Factories(app).user()
    client = app.test_client()
    response = client.post("/login", data={"email": user.email, "password": user.password})
    assert response.status_code == 400
    assert client.get("/profile").status_code == 302  # still signed out


def test_open_redirect_after_login_is_refused(client, factories):
    user = factories.user()
    response = client.post("/login", data={"email": user.email, "password": user.password,
                                           "next": "//evil.example/phish"})
    assert response.headers["Location"] == "/"
    client.post("/logout")
    response = client.post("/login", data={"email": user.email, "password": user.password,
                                           "next": "/profile"})
    assert response.headers["Location"] == "/profile"


def test_pages_need_a_session(client):
    response = client.get("/profile")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_logout_everywhere_ends_every_session(app, factories):
    user = factories.user()
    laptop, tablet = app.test_client(), app.test_client()
    for device in (laptop, tablet):
        device.post("/login", data={"email": user.email, "password": user.password})
        assert is_signed_in(device)
    laptop.post("/logout-everywhere")
    assert not is_signed_in(laptop)
    assert not is_signed_in(tablet)


def test_deactivated_user_is_signed_out(app, client, factories, auth):
    from meetings.directory import services as directory

    user = factories.user()
    auth.login(user)
    with app.app_context():
        directory.update_user(user.id, {"active": False}, now_utc())
    assert not is_signed_in(client)


def test_password_change_keeps_this_device_and_signs_out_others(app, factories):
    user = factories.user()
    here, elsewhere = app.test_client(), app.test_client()
    for device in (here, elsewhere):
        device.post("/login", data={"email": user.email, "password": user.password})
    response = here.post("/profile/password", data={"current_password": user.password,
                                                    "password": "mat-khau-moi-2026"})
    assert response.status_code == 302
    assert is_signed_in(here) and not is_signed_in(elsewhere)
    fresh = app.test_client()
    fresh.post("/login", data={"email": user.email, "password": "mat-khau-moi-2026"})
    assert is_signed_in(fresh)


def test_password_change_with_wrong_current_password_changes_nothing(app, client, factories, auth):
    user = factories.user()
    auth.login(user)
    response = client.post("/profile/password", data={"current_password": "wrong", "password": "abcdefghij"})
    assert response.status_code == 422
    other = app.test_client()
    other.post("/login", data={"email": user.email, "password": user.password})
    assert is_signed_in(other)


def test_language_switch_to_english_and_back(client, factories, auth):
    user = factories.user()
    auth.login(user)
    assert "Đăng xuất" in client.get("/").get_data(as_text=True)
    client.post("/language", data={"locale": "en", "next": "/"})
    assert "Sign out" in client.get("/").get_data(as_text=True)
    client.post("/language", data={"locale": "vi"})
    assert "Đăng xuất" in client.get("/").get_data(as_text=True)


def test_profile_rejects_unknown_time_zone(client, factories, auth):
    user = factories.user()
    auth.login(user)
    response = client.post("/profile/settings", data={"locale": "vi", "timezone": "Mars/Olympus"})
    assert response.status_code == 422
    response = client.post("/profile/settings", data={"locale": "vi", "timezone": "Asia/Bangkok"})
    assert response.status_code == 302


def test_current_user_is_anonymous_without_login(app):
    with app.test_request_context("/"):
        assert not current_user.is_authenticated


def test_production_hashes_passwords_with_scrypt(make_app):
    from meetings.directory import services as directory

    app = make_app(PASSWORD_HASH_METHOD="scrypt")
    with app.app_context():
        user = directory.create_user({"email": "s@example.gov.vn", "name": "S", "password": "mat-khau-dai"})
        assert user.password_hash.startswith("scrypt:")
    assert "PASSWORD_HASH_METHOD" not in __import__("meetings.config", fromlist=["DEFAULTS"]).DEFAULTS
