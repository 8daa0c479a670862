"""At a desk: the secretary builds next week with a weekly series, sees a draft overlap marked,
resolves it, publishes, moves one entry to another room, and the changes view, the entry's history
and the leader's calendar feed all say the room moved."""
import os

import pytest

from tests.browser.conftest import DESKTOP, sign_in
from tests.calendar.conftest import NOW, Office

pytestmark = pytest.mark.browser


@pytest.fixture
def live_app(make_app):
    return make_app(WTF_CSRF_ENABLED=True, MEETINGS_FAKE_NOW=NOW)


def _new_entry(page, base, title, start, end, leader_id, room_id, day="2026-12-07", weeks=None):
    page.goto(f"{base}/schedule/week/2026-W50")
    page.locator("a[accesskey=n]").click()
    page.fill("#f-title", title)
    page.fill("#f-date", day)
    page.fill("#f-start", start)
    page.fill("#f-end", end)
    page.check(f'input[name=leader_ids][value="{leader_id}"]')
    page.select_option("#f-room", str(room_id))
    if weeks:  # a weekly series on the start's weekday, `weeks` times
        page.select_option("#f-repeat", "weekly")
        page.fill("#f-count", str(weeks))
    page.locator("[data-save]").click()
    page.wait_for_url("**/schedule/week/2026-W50")


def _shots(page, name):
    """Screenshots at the sizes the office uses, when SCREENSHOTS_DIR asks for them."""
    folder = os.environ.get("SCREENSHOTS_DIR")
    if not folder:
        return
    for width, height in ((1024, 1366), (820, 1180), (390, 844), (1440, 900)):
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=f"{folder}/{name}-{width}.png", full_page=True)
    page.set_viewport_size(DESKTOP["viewport"])


def test_secretary_builds_publishes_and_moves_a_room_on_the_record(live_server, live_app, new_context):
    from playwright.sync_api import expect  # here: without Playwright the browser fixture skips first

    office = Office(live_app)
    base, minister = live_server.url, office.minister.id
    page = new_context(**DESKTOP).new_page()
    sign_in(page, base, office.secretary.email, office.secretary.password)

    _new_entry(page, base, "Họp giao ban Lãnh đạo Bộ", "08:00", "09:30", minister, office.room)
    _new_entry(page, base, "Tiếp Đại sứ Hà Lan", "09:00", "10:00", minister, office.other_room)
    expect(page.locator(".flash-warning")).to_contain_text("Họp giao ban Lãnh đạo Bộ")
    expect(page.locator("tr[data-overlap]")).to_have_count(2)
    # A weekly series from Wednesday, in no one's way: it reads in words on the table.
    _new_entry(page, base, "Giao ban công tác pháp chế", "15:00", "16:00", minister, office.room,
               day="2026-12-09", weeks=4)
    expect(page.locator("#day-2026-12-09 [data-series]")).to_have_text("Hằng tuần vào Thứ Tư, 4 lần")
    expect(page.locator("tr[data-overlap]")).to_have_count(2)
    _shots(page, "week-overlap")

    page.once("dialog", lambda dialog: dialog.accept())  # "Publish this week?"
    page.locator("[data-publish-week]").click()
    expect(page.locator(".flash-error")).to_contain_text("trùng lịch")
    panel = page.locator("[data-overlaps]")
    expect(panel.locator("a")).to_have_count(2)
    expect(page.locator(".revision")).to_have_attribute("data-revision", "0")
    _shots(page, "publish-refused")

    # Resolve: open the reception from the marked list and move it after the briefing.
    panel.get_by_role("link", name="Tiếp Đại sứ Hà Lan").click()
    page.get_by_role("link", name="Sửa").click()
    page.fill("#f-start", "10:00")
    page.fill("#f-end", "11:00")
    page.locator("[data-save]").click()
    page.wait_for_url("**/schedule/week/2026-W50")
    expect(page.locator("tr[data-overlap]")).to_have_count(0)
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("[data-publish-week]").click()
    expect(page.locator(".revision")).to_have_attribute("data-revision", "1")

    # Move the briefing to the other room.
    page.get_by_role("link", name="Họp giao ban Lãnh đạo Bộ").click()
    briefing = page.url
    page.get_by_role("link", name="Sửa").click()
    page.select_option("#f-room", str(office.other_room))
    page.locator("[data-save]").click()
    page.wait_for_url("**/schedule/week/2026-W50")
    expect(page.locator(".revision")).to_have_attribute("data-revision", "2")

    page.get_by_role("link", name="Thay đổi so với điều chỉnh lần 1").click()
    moved = page.locator('.history-table tr[data-field="room"]')
    expect(moved).to_have_count(1)
    expect(moved).to_contain_text("Phòng họp")
    expect(moved.locator(".old")).to_have_text("Phòng họp số 1")
    expect(moved.locator(".new")).to_have_text("Phòng họp số 2")
    _shots(page, "changes")

    page.goto(briefing)
    row = page.locator('.history-table tr[data-field="room"]')
    expect(row).to_contain_text("Hoàng Thu Trang")
    expect(row.locator(".new")).to_have_text("Phòng họp số 2")
    assert "T0" not in page.locator(".history-table").inner_text()  # no ISO times
    _shots(page, "entry-history")

    # The leader's work calendar as a calendar client reads it, from the address on the profile page.
    page.goto(f"{base}/profile")
    address = page.locator(f"#feed-leader-{minister}").input_value()
    feed = page.context.request.get(address).text().replace("\r\n ", "")
    briefing_event = next(block for block in feed.split("BEGIN:VEVENT")[1:] if "Họp giao ban" in block)
    assert "LOCATION:Phòng họp số 2" in briefing_event and "SEQUENCE:1" in briefing_event
