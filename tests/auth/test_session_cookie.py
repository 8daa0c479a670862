"""The session cookie is verified once per exact text and then remembered (meetings/sessions.py): a
changed cookie is verified again, an old one still expires on time, and one request's changes to its
session never reach the next request that sends the same cookie."""
from datetime import timedelta

from meetings import sessions


def session_cookie(client) -> str:
    return client.get_cookie("session").value


def test_a_remembered_cookie_still_signs_in_and_a_changed_one_is_verified_again(client, factories, auth):
    auth.login(factories.user())
    assert client.get("/profile").status_code == 200  # its form adds a CSRF token: a new cookie
    cookie = session_cookie(client)
    assert client.get("/profile").status_code == 200
    assert client.get("/profile").status_code == 200  # from what was remembered
    assert session_cookie(client) == cookie
    assert cookie in client.application.extensions["meetings.sessions"]
    forged = cookie[:-2] + ("AA" if not cookie.endswith("AA") else "BB")  # a byte of the signature changed
    client.set_cookie("session", forged)
    assert client.get("/profile").status_code != 200
    client.set_cookie("session", cookie)
    assert client.get("/profile").status_code == 200


def test_a_remembered_cookie_expires_when_its_signature_would(client, factories, auth, monkeypatch):
    app = client.application
    app.permanent_session_lifetime = timedelta(hours=1)
    auth.login(factories.user())
    assert client.get("/profile").status_code == 200  # its form adds a CSRF token: a new cookie
    assert client.get("/profile").status_code == 200
    signed_at = app.extensions["meetings.sessions"][session_cookie(client)][1]
    monkeypatch.setattr(sessions.time, "time", lambda: signed_at + 3600 + 1)
    assert client.get("/profile").status_code != 200  # as itsdangerous refuses an expired cookie
    monkeypatch.setattr(sessions.time, "time", lambda: signed_at - 5)
    assert client.get("/profile").status_code != 200  # nor one signed in the future


def test_what_a_request_adds_to_its_session_stays_with_its_own_cookie(app, factories):
    app.add_url_rule("/_test_flash", "test_flash", lambda: (__import__("flask").flash("một lần"), "")[1])
    client = app.test_client()
    with client.session_transaction() as session:
        session["_flashes"] = [("message", "trước")]
    cookie = session_cookie(client)
    client.get("/_test_flash")  # appends to the list in its session, and sends a new cookie
    client.set_cookie("session", cookie)  # the same old cookie again, as a second tab would send it
    with client.session_transaction() as session:
        assert session["_flashes"] == [["message", "trước"]] or session["_flashes"] == [("message", "trước")]
