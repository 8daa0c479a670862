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
