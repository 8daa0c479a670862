"""On tablets: the secretary publishes the week; the leader sees the revision, then the next one
with the changed entry marked, swiping between days by touch."""
from datetime import timedelta
from socket import SHUT_RDWR

import pytest
from sqlalchemy import update

from meetings.calendar.models import Event, LastSeen
from meetings.extensions import db
from tests.browser.conftest import DESKTOP, sign_in
from tests.calendar.conftest import NOW, Office

pytestmark = pytest.mark.browser


@pytest.fixture
def live_app(make_app):
    return make_app(WTF_CSRF_ENABLED=True, MEETINGS_FAKE_NOW=NOW)


def test_secretary_publishes_and_leader_sees_the_revision(live_server, live_app, new_context):
    from playwright.sync_api import expect  # here: without Playwright the browser fixture skips first

    office = Office(live_app)
    office.book(title="Họp giao ban Lãnh đạo Bộ", start="2026-11-30T08:00", end="2026-11-30T09:30", status="draft")
    moved = office.book(title="Tiếp Đại sứ", start="2026-12-02T14:00", end="2026-12-02T15:00", status="draft")
    office.book(title="Hội nghị trực tuyến", start="2026-12-04T08:30", end="2026-12-04T11:00", status="draft")

    secretary = new_context().new_page()
    sign_in(secretary, live_server.url, office.secretary.email, office.secretary.password)
    secretary.goto(f"{live_server.url}/schedule/week/2026-W49")
    assert secretary.locator(".revision").get_attribute("data-revision") == "0"
    secretary.once("dialog", lambda dialog: dialog.accept())  # "Publish this week?"
    secretary.locator("[data-publish-week]").tap()
    secretary.wait_for_selector('.revision[data-revision="1"]')
    assert secretary.locator("tr.status-draft").count() == 0

    leader = new_context().new_page()
    sign_in(leader, live_server.url, office.minister.email, office.minister.password)
    leader.goto(f"{live_server.url}/schedule/leader/{office.minister.id}")
    assert leader.locator(".revision").get_attribute("data-revision") == "1"
    today = leader.locator("[data-today]")
    assert today.is_visible() and "Tiếp Đại sứ" in today.inner_text()  # Wednesday, "today" in the fake clock
    assert "Tiếp Đại sứ" in leader.locator("[data-next-entry]").inner_text()
    for control in leader.locator(".week-nav .button, .day-chip").all():
        assert control.bounding_box()["height"] >= 44

    # The clock is fixed: say the week went out two hours ago and the leader looked an hour ago.
    # Then the secretary moves an entry on her tablet.
    with live_app.app_context():
        db.session.query(Event).update({"changed_at": NOW - timedelta(hours=2)})
        db.session.query(LastSeen).update({"seen_at": NOW - timedelta(hours=1)})
        db.session.commit()
    secretary.goto(f"{live_server.url}/schedule/events/{moved}/edit")
    secretary.fill("#f-start", "15:00")
    secretary.fill("#f-end", "16:00")
    secretary.locator("[data-save]").tap()
    secretary.wait_for_url("**/schedule/week/2026-W49")
    assert secretary.locator(".revision").get_attribute("data-revision") == "2"

    leader.reload()
    assert leader.locator(".revision").get_attribute("data-revision") == "2"
    changed = leader.locator(".is-changed")
    assert changed.count() == 1 and "15:00" in changed.inner_text()

    # Swipe to the next day: Thursday's panel scrolls into view, by touch or by its tab.
    leader.locator('[data-day-tab="3"]').tap()
    expect(leader.locator('[data-day-tab="3"]')).to_have_attribute("aria-selected", "true")  # CSP forbids eval
    assert leader.locator('[data-day-panel="3"]').is_visible()


def test_open_week_and_leader_pages_follow_a_change_without_a_reload(live_server, live_app, new_context):
    from playwright.sync_api import expect

    office = Office(live_app)
    office.book(title="Tiếp Đại sứ", start="2026-12-02T14:00", end="2026-12-02T15:00")
    leader = new_context().new_page()  # the minister's tablet, on his own week
    sign_in(leader, live_server.url, office.minister.email, office.minister.password)
    leader.goto(f"{live_server.url}/schedule/leader/{office.minister.id}")
    desk = new_context(**DESKTOP).new_page()  # a secretary's desk, on the office's week
    sign_in(desk, live_server.url, office.secretary.email, office.secretary.password)
    desk.goto(f"{live_server.url}/schedule/week/2026-W49")
    for page in (leader, desk):
        expect(page.locator("main")).to_contain_text("Tiếp Đại sứ")
        page.wait_for_function("() => window.__scheduleLive === true")

    office.book(title="Làm việc với Tỉnh ủy Cà Mau", start="2026-12-03T09:00", end="2026-12-03T11:00")
    for page in (leader, desk):  # nobody touched either page: the push reloaded them
        expect(page.locator("main")).to_contain_text("Làm việc với Tỉnh ủy Cà Mau")
        page.wait_for_function("() => window.__scheduleLive === true")  # connected again, nothing missed
        assert "refresh=" not in page.evaluate("location.href")  # the flag is taken off the address again


def test_a_page_that_lost_its_connection_catches_up_when_it_is_back(live_server, live_app, new_context):
    from playwright.sync_api import expect

    from meetings import fanout

    office = Office(live_app)
    entry = office.book(title="Tiếp Đại sứ", start="2026-12-02T14:00", end="2026-12-02T15:00")
    leader = new_context().new_page()
    sign_in(leader, live_server.url, office.minister.email, office.minister.password)
    leader.goto(f"{live_server.url}/schedule/leader/{office.minister.id}")
    leader.wait_for_function("() => window.__scheduleLive === true")
    # A change the page never hears about (written without a push, as if made while its Wi-Fi was down) ...
    with live_app.app_context():
        db.session.execute(update(Event).where(Event.id == entry).values(title="Tiếp Đại sứ Nhật Bản",
                                                                           version=Event.version + 1))
        db.session.commit()
    leader.evaluate("window.__scheduleLive = false")
    # ... then the Wi-Fi drops: every live connection of the server is cut, and the page reconnects.
    for socket in list(fanout._SOCKETS.values()):
        socket.ws.sock.shutdown(SHUT_RDWR)
    expect(leader.locator("main")).to_contain_text("Tiếp Đại sứ Nhật Bản")
    leader.wait_for_function("() => window.__scheduleLive === true")
