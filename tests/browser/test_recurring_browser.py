"""At a secretary's desk: a weekly series made in the form reads in words, one occurrence is moved
from its page, "this and following" changes the rest, one is cancelled, and the week tables agree."""
import pytest

from tests.browser.conftest import DESKTOP, sign_in
from tests.calendar.conftest import NOW, Office

pytestmark = pytest.mark.browser


@pytest.fixture
def live_app(make_app):
    return make_app(WTF_CSRF_ENABLED=True, MEETINGS_FAKE_NOW=NOW)


def open_entry(page, base, week, day, title):
    """From a week table, the entry's link on that day (the link names that occurrence)."""
    page.goto(f"{base}/schedule/week/{week}")
    page.locator(f"#day-{day} a.entry-link", has_text=title).click()
    page.wait_for_selector("#this-occurrence")


def test_secretary_makes_moves_and_splits_a_weekly_series(live_server, live_app, new_context):
    from playwright.sync_api import expect

    office = Office(live_app)
    base = live_server.url
    desk = new_context(**DESKTOP).new_page()
    sign_in(desk, base, office.secretary.email, office.secretary.password)

    desk.goto(f"{base}/schedule/week/2026-W50")
    desk.locator("a[accesskey=n]").click()
    desk.fill("#f-title", "Giao ban Lãnh đạo Bộ")
    desk.fill("#f-date", "2026-12-07")
    desk.fill("#f-start", "08:00")
    desk.fill("#f-end", "09:00")
    desk.locator(f"input[name=leader_ids][value='{office.minister.id}']").check()
    desk.select_option("#f-status", "published")
    expect(desk.locator("#f-count")).to_be_hidden()  # no repeat, no repeat details
    desk.select_option("#f-repeat", "weekly")
    expect(desk.locator("input[name=repeat_days][value=MO]")).to_be_checked()  # the start's weekday
    expect(desk.locator("[data-interval-unit]")).to_have_text("tuần")
    desk.fill("#f-count", "8")
    desk.locator("[data-save]").click()
    desk.wait_for_url("**/schedule/week/2026-W50")
    expect(desk.locator("#day-2026-12-07 [data-series]")).to_have_text("Hằng tuần vào Thứ Hai, 8 lần")

    # The entry page says the rule in words; the editor shows it in its controls.
    open_entry(desk, base, "2026-W50", "2026-12-07", "Giao ban Lãnh đạo Bộ")
    expect(desk.locator("dd[data-rule-words]")).to_have_text("Hằng tuần vào Thứ Hai, 8 lần")
    assert "FREQ=" not in desk.locator("main").inner_text()

    # Move only Monday 14/12 to Tuesday afternoon.
    open_entry(desk, base, "2026-W51", "2026-12-14", "Giao ban Lãnh đạo Bộ")
    desk.fill("#o-date", "2026-12-15")
    desk.fill("#o-start", "14:00")
    desk.fill("#o-end", "15:00")
    desk.locator("[data-move-occurrence] button[type=submit]").click()
    expect(desk.locator(".flash-success")).to_contain_text("Đã dời riêng lần này")
    expect(desk.locator("#this-occurrence h2")).to_contain_text("Thứ Ba, 15/12/2026 14:00–15:00")
    desk.goto(f"{base}/schedule/week/2026-W51")
    expect(desk.locator("#day-2026-12-15")).to_contain_text("Giao ban Lãnh đạo Bộ")
    expect(desk.locator("#day-2026-12-14")).not_to_contain_text("Giao ban Lãnh đạo Bộ")

    # From Monday 21/12 on: a new time and title.
    open_entry(desk, base, "2026-W52", "2026-12-21", "Giao ban Lãnh đạo Bộ")
    desk.locator("[data-edit-following]").click()
    expect(desk.locator("h1")).to_have_text("Sửa lần này và các lần sau")
    expect(desk.locator("[data-rule-words]")).to_contain_text("Hằng tuần vào Thứ Hai, 6 lần")
    expect(desk.locator("#f-date")).to_have_value("2026-12-21")
    desk.fill("#f-title", "Giao ban Lãnh đạo Bộ (giờ mới)")
    desk.fill("#f-start", "09:00")
    desk.fill("#f-end", "10:00")
    desk.locator("[data-save]").click()
    expect(desk.locator(".flash-success")).to_contain_text("từ ngày 21/12/2026")
    expect(desk.locator("dd[data-rule-words]")).to_have_text("Hằng tuần vào Thứ Hai, 6 lần")

    # Cancel 28/12 only, after the confirmation.
    open_entry(desk, base, "2026-W53", "2026-12-28", "Giao ban Lãnh đạo Bộ (giờ mới)")
    desk.once("dialog", lambda dialog: dialog.accept())
    desk.locator("[data-cancel-occurrence]").click()
    expect(desk.locator("[data-restore-occurrence]")).to_be_visible()

    # The week tables tell the same story.
    desk.goto(f"{base}/schedule/week/2026-W50")
    expect(desk.locator("#day-2026-12-07 tr.entry")).to_contain_text("08:00–09:00")
    expect(desk.locator("#day-2026-12-07 [data-series]")).to_have_text(
        "Hằng tuần vào Thứ Hai, đến hết ngày 20/12/2026")
    desk.goto(f"{base}/schedule/week/2026-W52")
    row = desk.locator("#day-2026-12-21 tr.entry")
    expect(row).to_contain_text("09:00–10:00")
    expect(row).to_contain_text("Giao ban Lãnh đạo Bộ (giờ mới)")
    desk.goto(f"{base}/schedule/week/2026-W53")
    expect(desk.locator("#day-2026-12-28 tr.entry.status-cancelled")).to_have_count(1)
    desk.goto(f"{base}/schedule/week/2027-W01")
    expect(desk.locator("#day-2027-01-04 tr.entry")).to_contain_text("09:00–10:00")
