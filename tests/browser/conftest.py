"""Browser fixtures: the app served on 127.0.0.1 in a thread, Debian's Chromium driven by Playwright.

Tablet viewport with touch, as leaders use it. Under CI=true a missing Chromium or Playwright fails.
"""
import logging
import os
import shutil
import threading

import pytest
from werkzeug.serving import make_server

from tests.conftest import require_or_skip

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
TABLET = {"viewport": {"width": 1024, "height": 1366}, "has_touch": True, "is_mobile": True,
          "device_scale_factor": 1, "locale": "vi-VN", "timezone_id": "Asia/Ho_Chi_Minh"}
DESKTOP = {"viewport": {"width": 1440, "height": 900}, "locale": "vi-VN", "timezone_id": "Asia/Ho_Chi_Minh"}


# Each browser journey runs on one database engine, not both: what a journey checks is the page in a
# person's hands, and everything beneath it (queries, access, search, the index) runs on both engines in
# the API and service tests. Running every journey twice cost a fifth of the suite's time. The files
# below run on PostgreSQL (the production engine: the multi-process, live, search and offline journeys);
# every other browser file runs on SQLite, the embedded default `make run` uses. Deselected, not
# skipped: under CI=true nothing skips.
ON_POSTGRESQL = {
    "test_admin_browser.py", "test_calendar_browser.py", "test_consultations_browser.py",
    "test_live_roles_browser.py", "test_live_room_browser.py", "test_meeting_invitations_browser.py",
    "test_minutes_browser.py", "test_notifications_browser.py", "test_offline_browser.py",
    "test_search_browser.py", "test_upload_states_browser.py",
}


def engine_for(path) -> str:
    return "postgresql" if path.name in ON_POSTGRESQL else "sqlite"


def pytest_collection_modifyitems(config, items):
    """Keep each browser test only on its file's engine (a session-wide hook: filter to this folder)."""
    here = os.path.dirname(__file__)
    kept, dropped = [], []
    for item in items:
        engine = getattr(getattr(item, "callspec", None), "params", {}).get("database_url")
        if engine and str(item.path).startswith(here + os.sep) and engine != engine_for(item.path):
            dropped.append(item)
        else:
            kept.append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


# Per module, not per session: while it is open, Playwright's sync API keeps an asyncio loop
# running on the main thread, and pyHanko's sync signing (asyncio.run) refuses to run under it,
# so the notice's signing tests failed whenever a browser test had run before them.
@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        require_or_skip("Playwright for Python is not installed")
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        require_or_skip(f"Chromium not found at {CHROMIUM} (apt-get install -y chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def live_app(make_app):
    """The app with CSRF on, as in production, for requests coming from a real browser."""
    return make_app(WTF_CSRF_ENABLED=True)


@pytest.fixture
def live_server(live_app):
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per request drowns failures
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.url = f"http://127.0.0.1:{server.server_port}"
    yield server
    server.shutdown()
    thread.join()


@pytest.fixture
def new_context(browser):
    """Open browser contexts (each one a separate device); closed after the test."""
    contexts = []

    def open_context(**options):
        context = browser.new_context(**{**TABLET, **options})
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context

    yield open_context
    for context in contexts:
        context.close()


@pytest.fixture
def tablet(new_context):
    return new_context().new_page()


def sign_in(page, base_url: str, email: str, password: str) -> None:
    page.goto(f"{base_url}/login")
    page.fill("#email", email)
    page.fill("#password", password)
    page.locator("button[type=submit]").first.tap()
    page.wait_for_url(lambda url: "/login" not in url)


def pdfjs_prefetched(page) -> None:
    """Wait until the page (home, after signing in) has prefetched pdf.js: its cookie says so once both
    modules are in (static/js/app.js). A test that clears that cookie, or counts the reader's own
    requests, waits first: the prefetch can finish after sign_in() returns on a loaded machine."""
    page.wait_for_function("() => document.cookie.includes('meetings_pdfjs=')")
