"""Socket connections are authenticated; published changes go out only after their commit."""
import pytest

from meetings.extensions import db, socketio
from meetings.realtime import NAMESPACE, publish, user_room


def received(client, name):
    return [packet["args"][0] for packet in client.get_received(NAMESPACE) if packet["name"] == name]


def test_connection_without_credentials_is_refused(app):
    client = socketio.test_client(app, namespace=NAMESPACE)
    assert not client.is_connected(NAMESPACE)


def test_connection_with_an_unknown_token_is_refused(app):
    client = socketio.test_client(app, namespace=NAMESPACE, auth={"token": "mtg_nope"})
    assert not client.is_connected(NAMESPACE)


def test_connection_with_session_cookie_or_token(app, factories):
    user = factories.user()
    http = app.test_client()
    http.post("/login", data={"email": user.email, "password": user.password})
    by_cookie = socketio.test_client(app, namespace=NAMESPACE, flask_test_client=http)
    by_token = socketio.test_client(app, namespace=NAMESPACE, auth={"token": factories.token(user)})
    assert by_cookie.is_connected(NAMESPACE) and by_token.is_connected(NAMESPACE)


def test_publish_waits_for_commit_and_rollback_sends_nothing(app, factories):
    user = factories.user()
    client = socketio.test_client(app, namespace=NAMESPACE, auth={"token": factories.token(user)})
    client.get_received(NAMESPACE)
    with app.app_context():
        publish("notice", {"text": "rolled back"}, room=user_room(user.id))
        assert received(client, "notice") == []
        db.session.rollback()
        publish("notice", {"text": "kept"}, room=user_room(user.id))
        assert received(client, "notice") == []  # not before the commit
        db.session.commit()
    assert received(client, "notice") == [{"text": "kept"}]


def test_user_room_reaches_only_that_user(app, factories):
    alice, bob = factories.user(), factories.user()
    a = socketio.test_client(app, namespace=NAMESPACE, auth={"token": factories.token(alice)})
    b = socketio.test_client(app, namespace=NAMESPACE, auth={"token": factories.token(bob)})
    with app.app_context():
        publish("notice", {"for": "alice"}, room=user_room(alice.id))
        db.session.commit()
    assert received(a, "notice") == [{"for": "alice"}]
    assert received(b, "notice") == []


@pytest.mark.parametrize("ignored", [None])
def test_deactivated_users_token_cannot_connect(app, factories, ignored):
    from meetings.directory import services as directory

    user = factories.user()
    token = factories.token(user)
    with app.app_context():
        directory.update_user(user.id, {"active": False})
    assert not socketio.test_client(app, namespace=NAMESPACE, auth={"token": token}).is_connected(NAMESPACE)
