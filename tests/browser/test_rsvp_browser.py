"""Attendance before the meeting, in real browsers: a participant on a tablet sends a colleague of her
unit in her place; the colleague, told by the bell, opens the meeting and reads its document; the
secretary at a desk sees every answer and who has not answered, and reminds them."""
import os

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, sign_in
from tests.meetings.conftest import NOW, Board

pytestmark = pytest.mark.browser
SCREENSHOTS = os.environ.get("SCREENSHOTS")  # a folder: look at the screens after a run


@pytest.fixture
def live_app(make_app):
    return make_app(WTF_CSRF_ENABLED=True, MEETINGS_FAKE_NOW=NOW)


def shots(page, name):
    if not SCREENSHOTS:
        return
    for width, height in ((1024, 1366), (820, 1180), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=f"{SCREENSHOTS}/{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1024, "height": 1366})


def test_a_participant_sends_a_delegate_who_reads_the_document(live_app, live_server, new_context):
    # Arrange: a published meeting with a document only Thu (and so her delegate) may read.
    board = Board(live_app, live_app.test_client())
    colleague = board.make.user("member", name="Lê Minh Tâm", unit="Vụ Pháp chế", title="Chuyên viên chính")
    meeting = board.meeting(title="Họp thẩm định dự thảo Luật")
    board.document(meeting["id"], filename="Dự thảo Luật.pdf", title="Dự thảo Luật (bản 3)",
                   audience="chosen", reader_ids=str(board.member.id))
    base = live_server.url

    tablet = new_context().new_page()
    sign_in(tablet, base, board.member.email, board.member.password)
    tablet.goto(f"{base}/meetings/")
    tablet.get_by_role("link", name="Họp thẩm định dự thảo Luật").tap()
    expect(tablet.locator("[data-rsvp-current]")).to_contain_text("chưa xác nhận")
    tablet.locator(".rsvp-choice", has_text="Cử người dự thay").tap()
    expect(tablet.locator("[data-rsvp-reason]")).to_be_hidden()
    tablet.select_option("#rsvp-delegate", label="Lê Minh Tâm — Chuyên viên chính")
    tablet.locator("[data-rsvp-form] button[type=submit]").tap()
    expect(tablet.locator(".flash-success")).to_have_text("Đã gửi xác nhận tới thư ký cuộc họp.")
    expect(tablet.locator("[data-rsvp-current]")).to_contain_text("Đồng chí đã cử Lê Minh Tâm dự thay.")
    shots(tablet, "rsvp-participant")

    # Declining without a reason is refused on the page, with the reason's field required.
    tablet.locator(".rsvp-choice", has_text="Không tham dự").tap()
    expect(tablet.locator("#rsvp-reason")).to_be_visible()
    expect(tablet.locator("#rsvp-delegate")).to_be_hidden()

    delegate = new_context().new_page()
    sign_in(delegate, base, colleague.email, colleague.password)
    expect(delegate.locator("[data-bell-count]")).to_have_text("1")
    delegate.locator("[data-bell]").tap()
    delegate.get_by_role("link", name="Đồng chí được cử dự họp thay cho Trần Thị Thu", exact=False).tap()
    expect(delegate.locator("[data-standing-in]")).to_have_text("Đồng chí dự họp thay cho Trần Thị Thu.")
    shots(delegate, "rsvp-delegate")
    delegate.locator("[data-open-reader]").first.tap()
    delegate.wait_for_function("() => window.__readerReady === true")
    expect(delegate.locator("h1, [data-document-title]").first).to_contain_text("Dự thảo Luật")

    desk = new_context(**DESKTOP).new_page()
    sign_in(desk, base, board.secretary.email, board.secretary.password)
    desk.goto(f"{base}/meetings/{meeting['id']}")
    expect(desk.locator("[data-rsvp-count=delegated] strong")).to_have_text("1")
    expect(desk.locator("[data-rsvp-count=not_answered] strong")).to_have_text("2")
    expect(desk.locator("[data-not-answered] li")).to_have_count(2)
    expect(desk.locator(f"tr[data-participant='{colleague.id}'] [data-delegate-for]")).to_have_text(
        "dự thay cho Trần Thị Thu")
    expect(desk.locator(f"tr[data-participant='{board.member.id}'] [data-rsvp]")).to_have_text("Cử người dự thay")
    desk.locator("[data-rsvp-remind] button").click()
    expect(desk.locator(".flash-success")).to_have_text("Đã nhắc 2 người chưa trả lời.")
    expect(desk.locator("[data-not-answered]")).to_contain_text("đã nhắc lúc")
    desk.locator("#participants").scroll_into_view_if_needed()
    shots(desk, "rsvp-secretary")

    # The live room's attendance list carries the answers until the day's check-in.
    desk.locator("[data-live-link]").click()
    desk.wait_for_function("() => window.__liveVersion > 0")
    attendance = desk.locator("[data-attendance]")
    expect(attendance.locator(f"li[data-user-id='{colleague.id}'] .badge-delegate")).to_have_text(
        "dự thay cho Trần Thị Thu")
    expect(attendance.locator(f"li[data-user-id='{board.member.id}'] [data-rsvp]")).to_have_text(
        "Cử người dự thay: Lê Minh Tâm")
    shots(desk, "rsvp-live-attendance")
