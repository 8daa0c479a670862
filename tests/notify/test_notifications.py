"""In-app notifications: recorded with their e-mail, deduplicated, per-user, pushed live, read via API."""
from sqlalchemy import func, select

from meetings.directory import services as directory
from meetings.extensions import db, socketio
from meetings.notify import services
from meetings.notify.models import Notification, OutboxEmail
from meetings.realtime import NAMESPACE
from meetings.timeutil import now_utc


def count(app, model):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def send(app, user, title="Lịch họp thay đổi", key=None, kind="schedule_change"):
    with app.app_context():
        item = services.notify(directory.get_user(user.id), kind, title, now_utc(), url="/schedule", dedupe_key=key)
        db.session.commit()
        return item.id if item else None


def bearer(factories, user):
    return {"Authorization": f"Bearer {factories.token(user)}"}


def test_notify_records_notification_and_email_once_per_key(app, factories):
    user = factories.user()
    assert send(app, user, key="entry:7:reminder:30") is not None
    assert send(app, user, key="entry:7:reminder:30") is None
    assert count(app, Notification) == 1 and count(app, OutboxEmail) == 1


def test_preferences_switch_channels_off(app, factories, client, auth):
    user = factories.user()
    auth.login(user)
    client.post("/notifications/preferences", data={"schedule_change:app": "on"})  # e-mail off for all kinds
    send(app, user)
    assert count(app, Notification) == 1 and count(app, OutboxEmail) == 0


def test_api_lists_mine_and_marks_read_ignoring_others_ids(app, client, factories):
    me, other = factories.user(), factories.user()
    mine = [send(app, me, f"Việc {n}") for n in range(3)]
    theirs = send(app, other, "Không phải của tôi")
    headers = bearer(factories, me)
    body = client.get("/api/v1/me/notifications", headers=headers).json
    assert body["unread"] == 3
    assert [n["title"] for n in body["notifications"]] == ["Việc 2", "Việc 1", "Việc 0"]
    assert set(body["notifications"][0]) == {"id", "kind", "title", "url", "created_at", "read"}
    response = client.post("/api/v1/me/notifications/read", json={"ids": [mine[0], theirs]}, headers=headers)
    assert response.json == {"marked": 1, "unread": 2}
    other_view = client.get("/api/v1/me/notifications", headers=bearer(factories, other)).json
    assert other_view["unread"] == 1


def test_mark_read_rejects_bad_ids(client, factories):
    headers = bearer(factories, factories.user())
    response = client.post("/api/v1/me/notifications/read", json={"ids": ["x"]}, headers=headers)
    assert response.status_code == 422


def test_bell_shows_unread_count_and_opening_marks_read(app, client, factories, auth):
    user = factories.user()
    item = send(app, user, "Tài liệu mới cho cuộc họp")
    auth.login(user)
    page = client.get("/").get_data(as_text=True)
    assert 'data-bell-count >1<' in page.replace("\n", "").replace('data-bell-count  >', 'data-bell-count >')
    response = client.get(f"/notifications/{item}")
    assert response.status_code == 302 and response.headers["Location"] == "/schedule"
    assert client.get("/api/v1/me/notifications").json["unread"] == 0


def test_nobody_opens_another_users_notification(app, client, factories, auth):
    owner, other = factories.user(), factories.user()
    item = send(app, owner)
    auth.login(other)
    assert client.get(f"/notifications/{item}").status_code == 404


def test_new_notification_is_pushed_to_the_users_open_screens(app, factories):
    user, other = factories.user(), factories.user()
    screen = socketio.test_client(app, namespace=NAMESPACE, auth={"token": factories.token(user)})
    elsewhere = socketio.test_client(app, namespace=NAMESPACE, auth={"token": factories.token(other)})
    screen.get_received(NAMESPACE)
    send(app, user, "Họp giao ban dời sang 14:00")
    pushed = [p["args"][0] for p in screen.get_received(NAMESPACE) if p["name"] == "notification"]
    assert [(p["title"], p["unread"]) for p in pushed] == [("Họp giao ban dời sang 14:00", 1)]
    assert [p for p in elsewhere.get_received(NAMESPACE) if p["name"] == "notification"] == []


def test_outbox_page_is_for_admins_only(client, factories, auth):
    auth.login(factories.user("secretary"))
    assert client.get("/admin/outbox").status_code == 403
    auth.logout()
    auth.login(factories.user("admin"))
    assert client.get("/admin/outbox").status_code == 200


def test_reminder_times_are_validated_and_saved(app, client, factories, auth):
    user = factories.user("leader")
    auth.login(user)
    client.post("/notifications/reminders", data={"day_before_at": "25:00", "minutes_before": "abc",
                                                  "digest_at": "17:00"})
    with app.app_context():
        from meetings.directory import services as directory

        assert services.reminder_times(directory.get_user(user.id)) == services.DEFAULT_TIMES
    client.post("/notifications/reminders", data={"day_before_at": "", "minutes_before": "45", "digest_at": "7:30"})
    with app.app_context():
        assert services.reminder_times(directory.get_user(user.id)) == {
            "day_before_at": None, "minutes_before": 45, "digest_at": "07:30"}
    assert 'value="45"' in client.get("/notifications").get_data(as_text=True)
