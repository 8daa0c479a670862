"""Issue 14's second and third journeys, in real browsers: the secretary sets up a meeting with a chair
and a document from the New meeting form and publishes it; a participant's tablet shows the
invitation in the bell, she sends a colleague of her unit in her place, and the colleague, told by
the bell, opens the document; the chair's own calendar shows the meeting."""
from datetime import date, timedelta

import pytest

from tests.browser.conftest import DESKTOP, sign_in
from tests.browser.test_meetings_browser import desktop_sign_in, files
from tests.factories import Factories

pytestmark = pytest.mark.browser


def test_a_published_meeting_reaches_the_participants_bell_and_the_chairs_calendar(live_server, live_app,
                                                                                   new_context):
    from playwright.sync_api import expect

    make = Factories(live_app)
    secretary = make.user("secretary", name="Hoàng Thu Trang", unit="Văn phòng Bộ")
    chair = make.user("leader", name="Nguyễn Văn Minh", title="Bộ trưởng")
    deputy = make.user("leader", name="Lê Văn Hùng", title="Thứ trưởng")
    member = make.user("member", name="Trần Thị Thu", unit="Vụ Pháp chế")
    colleague = make.user("member", name="Lê Minh Tâm", unit="Vụ Pháp chế", title="Chuyên viên chính")
    day = date.today() + timedelta(days=7)

    desk = new_context(**DESKTOP).new_page()
    desktop_sign_in(desk, live_server.url, secretary)
    desk.goto(f"{live_server.url}/meetings/")
    desk.locator("[data-new-meeting]").click()
    desk.fill("#f-title", "Họp Ban cán sự Đảng Bộ")
    desk.fill("#f-date", day.isoformat())
    desk.fill("#f-start_time", "14:00")
    desk.fill("#f-end_time", "16:00")
    desk.select_option("#f-chair_id", label="Bộ trưởng Nguyễn Văn Minh")
    desk.locator(f"input[name=leader_ids][value='{deputy.id}']").check()
    desk.locator("[data-meeting-form] button[type=submit]").click()
    desk.wait_for_url("**/meetings/*")
    meeting_url = desk.url.split("#")[0]

    desk.fill("#add-people-q", "Trần Thị")  # the picker searches by name, unit and title
    desk.locator(f"[data-picker-list] input[value='{member.id}']").check()
    desk.locator("[data-add-participants] button[type=submit]").click()
    expect(desk.locator("[data-participant-count]")).to_have_text("3")  # chair, deputy, member
    expect(desk.locator(f"#role-{chair.id}")).to_have_value("chair")
    desk.set_input_files("[data-upload-input]", files(["Báo cáo tình hình"]))
    desk.locator("[data-upload-submit]").click()
    expect(desk.locator("[data-document-count]")).to_have_text("1")
    desk.once("dialog", lambda dialog: dialog.accept())
    desk.locator("[data-publish-meeting]").click()
    expect(desk.locator("[data-meeting-status]")).to_have_text("Đã công bố")

    # The participant's tablet: the invitation and the document in the bell, once each.
    tablet = new_context().new_page()
    sign_in(tablet, live_server.url, member.email, member.password)
    expect(tablet.locator("[data-bell-count]")).to_have_text("2")
    tablet.locator("[data-bell]").tap()
    expect(tablet.get_by_text("Mời họp: Họp Ban cán sự Đảng Bộ", exact=False).first).to_be_visible()
    expect(tablet.get_by_text("Tài liệu mới cho cuộc họp Họp Ban cán sự Đảng Bộ: Báo cáo tình hình").first
           ).to_be_visible()
    tablet.get_by_text("Mời họp: Họp Ban cán sự Đảng Bộ", exact=False).first.tap()
    tablet.wait_for_url(meeting_url)
    expect(tablet.locator(".doc-title")).to_have_text(["Báo cáo tình hình"])

    # She cannot come and sends a colleague of her unit (cử người dự thay).
    tablet.locator(".rsvp-choice", has_text="Cử người dự thay").tap()
    tablet.select_option("#rsvp-delegate", label="Lê Minh Tâm — Chuyên viên chính")
    tablet.locator("[data-rsvp-form] button[type=submit]").tap()
    expect(tablet.locator("[data-rsvp-current]")).to_contain_text("Đồng chí đã cử Lê Minh Tâm dự thay.")

    # The colleague is told by the bell, stands in for her and opens the document in the reader.
    stand_in = new_context().new_page()
    sign_in(stand_in, live_server.url, colleague.email, colleague.password)
    stand_in.locator("[data-bell]").tap()
    stand_in.get_by_role("link", name="Đồng chí được cử dự họp thay cho Trần Thị Thu", exact=False).tap()
    expect(stand_in.locator("[data-standing-in]")).to_have_text("Đồng chí dự họp thay cho Trần Thị Thu.")
    link = stand_in.locator("[data-open-reader]").first
    href = link.get_attribute("href")
    link.tap()
    try:  # a live update may redraw the list under the finger: then the link is followed as it stands
        stand_in.wait_for_url("**/reader/documents/**", timeout=5000)
    except Exception:  # noqa: BLE001  (Playwright's TimeoutError; the next line asserts the outcome)
        stand_in.goto(f"{live_server.url}{href}" if href.startswith("/") else href)
    stand_in.wait_for_function("() => window.__readerReady === true", timeout=30000)
    expect(stand_in.locator("h1, [data-document-title]").first).to_contain_text("Báo cáo tình hình")

    # The chair's own calendar page shows the meeting, as chairing it.
    chair_page = new_context().new_page()
    sign_in(chair_page, live_server.url, chair.email, chair.password)
    week = f"{day.isocalendar().year}-W{day.isocalendar().week:02d}"
    chair_page.goto(f"{live_server.url}/schedule/leader/{chair.id}/week/{week}")
    expect(chair_page.get_by_text("Họp Ban cán sự Đảng Bộ").first).to_be_visible()


PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True,
         "device_scale_factor": 3, "locale": "vi-VN", "timezone_id": "Asia/Ho_Chi_Minh"}


def test_removing_a_participant_asks_first_and_tells_them_on_their_phone(live_server, live_app, new_context,
                                                                         tmp_path):
    """The secretary's Remove asks before it acts (the person is told, and the meeting leaves their
    calendar); the member's phone then shows why the meeting is gone, with no link into it."""
    from playwright.sync_api import expect

    from meetings.directory import services as directory
    from meetings.dossiers.services import create_meeting
    from meetings.timeutil import now_utc

    make = Factories(live_app)
    secretary = make.user("secretary", name="Hoàng Thu Trang")
    member = make.user("member", name="Trần Thị Thu", unit="Vụ Pháp chế")
    day = date.today() + timedelta(days=7)
    with live_app.app_context():
        meeting = create_meeting({"title": "Họp giao ban Vụ", "start": f"{day.isoformat()}T14:00",
                                  "end": f"{day.isoformat()}T16:00", "status": "published",
                                  "participants": [{"user_id": member.id, "role": "member"}]},
                                 directory.get_user(secretary.id), now_utc()).id

    desk = new_context(**DESKTOP).new_page()
    desktop_sign_in(desk, live_server.url, secretary)
    desk.goto(f"{live_server.url}/meetings/{meeting}")
    row = desk.locator(f"tr[data-participant='{member.id}']")
    asked = []
    desk.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    row.get_by_role("button", name="Gỡ bỏ").click()
    expect(row).to_be_visible()  # declined: nothing happened
    assert asked and "Trần Thị Thu" in asked[0] and "khỏi lịch" in asked[0]
    desk.once("dialog", lambda dialog: dialog.accept())
    row.get_by_role("button", name="Gỡ bỏ").click()
    expect(row).to_have_count(0)

    phone = new_context(**PHONE).new_page()
    sign_in(phone, live_server.url, member.email, member.password)
    expect(phone.locator("[data-bell-count]")).to_have_text("2")  # the invitation, then its withdrawal
    phone.goto(f"{live_server.url}/notifications")
    notice = phone.get_by_text("Đồng chí không còn tham dự: Họp giao ban Vụ", exact=False).first
    expect(notice).to_be_visible()
    for name, size in (("phone", (390, 844)), ("tablet", (1024, 1366)), ("landscape", (1180, 820))):
        phone.set_viewport_size({"width": size[0], "height": size[1]})
        phone.screenshot(path=str(tmp_path / f"uninvited-{name}.png"), full_page=True)
    phone.set_viewport_size({"width": 390, "height": 844})
    notice.tap()
    assert f"/meetings/{meeting}" not in phone.url  # no way into a meeting they may no longer open
