"""A notification sent from another process (the CLI, like the scheduler) reaches a browser
connected to the web process, through Redis."""
import uuid

import pytest

from tests.browser.conftest import sign_in
from tests.processes import flask_cli, process_env, redis_or_skip, web_server

pytestmark = pytest.mark.browser


def test_cli_process_notification_reaches_the_browser_through_redis(database_url, app, factories, tablet,
                                                                    tmp_path):
    redis_url = redis_or_skip()
    user = factories.user("leader", name="Lê Thị Hoa")
    env = process_env(database_url, tmp_path, REDIS_URL=redis_url, SOCKETIO_CHANNEL=f"test-{uuid.uuid4().hex}")
    with web_server(env) as base_url:
        sign_in(tablet, base_url, user.email, user.password)
        bell = tablet.locator("[data-bell-count]")
        assert bell.is_hidden()
        tablet.wait_for_function("() => window.__liveConnected === true")
        result = flask_cli(env, "notify", user.email, "Họp giao ban dời sang 14:00", "--url", "/")
        assert result.returncode == 0, result.stderr
        tablet.locator(".toast").get_by_text("Họp giao ban dời sang 14:00").wait_for()
        assert bell.inner_text() == "1"


def test_scheduler_process_reminder_reaches_the_browser_through_redis(database_url, app, factories, tablet,
                                                                      tmp_path):
    """The scheduler runs as its own process (`flask scheduler --once`); its reminder is pushed live."""
    from datetime import datetime, timedelta, timezone

    from meetings.calendar import services as calendar
    from meetings.directory import services as directory

    redis_url = redis_or_skip()
    leader = factories.user("leader", name="Nguyễn Văn Minh")
    secretary = factories.user("secretary")
    # The scheduler's pass runs as of 08:00 in Hanoi (`--now`): the default "30 minutes before" reminder of
    # an entry at 08:20 is due then, and nothing else (the real clock near midnight also brought the
    # evening digest of tomorrow's entries, which this one then reached into).
    now = datetime(2026, 12, 2, 1, 0, tzinfo=timezone.utc)
    start = now + timedelta(minutes=20)
    with app.app_context():
        calendar.create_event({"title": "Họp giao ban Bộ", "start": start.isoformat(),
                               "end": (start + timedelta(hours=1)).isoformat(), "status": "published",
                               "leader_ids": [leader.id]}, directory.get_user(secretary.id), now)
    env = process_env(database_url, tmp_path, REDIS_URL=redis_url, SOCKETIO_CHANNEL=f"test-{uuid.uuid4().hex}")
    with web_server(env) as base_url:
        sign_in(tablet, base_url, leader.email, leader.password)
        tablet.wait_for_function("() => window.__liveConnected === true")
        result = flask_cli(env, "scheduler", "--once", "--now", now.isoformat())
        assert result.returncode == 0, result.stderr
        assert "calendar_reminders: 1" in result.stdout
        tablet.locator(".toast").get_by_text("Nhắc lịch: Họp giao ban Bộ").wait_for()
        assert tablet.locator("[data-bell-count]").inner_text() == "1"
