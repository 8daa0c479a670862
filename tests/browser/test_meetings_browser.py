"""The secretary sets up a realistic meeting at her desk (6 agenda items, 12 participants from 4 units,
10 documents, one read-only and one for the chair only) through the pages; then each participant, on
a tablet, sees exactly their documents."""
import pytest

from tests.browser.conftest import DESKTOP, sign_in
from tests.dossiers import pdfs
from tests.factories import Factories

pytestmark = pytest.mark.browser

UNITS = ["Vụ Kế hoạch - Tài chính", "Vụ Pháp chế", "Vụ Tổ chức cán bộ", "Cục Biến đổi khí hậu"]
AGENDA = ["Khai mạc, thông qua chương trình", "Báo cáo tình hình thực hiện dự toán 2026",
          "Dự thảo Nghị định sửa đổi", "Phương án sắp xếp tổ chức", "Ý kiến các đơn vị", "Kết luận của Bộ trưởng"]
DOCUMENTS = ["Báo cáo dự toán", "Phụ lục số liệu", "Dự thảo Nghị định", "Tờ trình Chính phủ", "Bảng so sánh",
             "Báo cáo đánh giá tác động", "Phương án nhân sự", "Ý kiến Vụ Pháp chế", "Ý kiến Cục BĐKH",
             "Dự thảo kết luận"]
READ_ONLY, CHAIR_ONLY = "Dự thảo kết luận", "Phương án nhân sự"


def desktop_sign_in(page, base_url: str, user) -> None:
    page.goto(f"{base_url}/login")
    page.fill("#email", user.email)
    page.fill("#password", user.password)
    page.locator("button[type=submit]").first.click()
    page.wait_for_url(lambda url: "/login" not in url)


def files(titles: list[str]) -> list[dict]:
    return [{"name": f"{title}.pdf", "mimeType": "application/pdf",
             "buffer": pdfs.text_pdf(2, text=f"{title}. Nội dung trình Lãnh đạo Bộ về ngân sách.")} for title in titles]


def open_document(page, title: str) -> None:
    page.get_by_role("link", name=title, exact=True).first.click()
    page.wait_for_url("**/meetings/documents/**")


def test_secretary_sets_up_a_meeting_and_participants_see_exactly_their_documents(live_server, live_app,
                                                                                   new_context):
    from playwright.sync_api import expect

    make = Factories(live_app)
    make.unit("Bộ Nông nghiệp và Môi trường")
    secretary = make.user("secretary", name="Hoàng Thu Trang", unit="Văn phòng Bộ")
    people = [make.user("leader" if i == 0 else "member", name=f"Người dự họp {i + 1}", unit=UNITS[i // 3])
              for i in range(12)]
    chair, member = people[0], people[4]
    make.room("Phòng họp số 1 (tầng 3, nhà A)", online_url="https://hop.example.gov.vn/phong-1")

    desk = new_context(**DESKTOP).new_page()
    desktop_sign_in(desk, live_server.url, secretary)
    desk.goto(f"{live_server.url}/meetings/")
    desk.locator("[data-new-meeting]").click()
    desk.fill("#f-title", "Họp Ban cán sự Đảng Bộ tháng 12")
    desk.fill("#f-date", "2026-12-10")
    desk.fill("#f-start_time", "08:00")
    desk.fill("#f-end_time", "11:30")
    desk.select_option("#f-room_id", label="Phòng họp số 1 (tầng 3, nhà A)")
    desk.locator("[data-meeting-form] button[type=submit]").click()
    desk.wait_for_url("**/meetings/*")
    meeting_url = desk.url.split("#")[0]

    for box in desk.locator("input[name=unit_ids]").all():
        if box.evaluate("b => b.parentElement.textContent.trim()") in UNITS:
            box.check()
    desk.locator("[data-add-participants] button[type=submit]").click()
    expect(desk.locator("[data-participant-count]")).to_have_text("12")
    desk.select_option(f"#role-{chair.id}", "chair")
    desk.locator(f"tr[data-participant='{chair.id}'] button:not([name=remove])").click()
    expect(desk.locator(f"#role-{chair.id}")).to_have_value("chair")

    for title in AGENDA:
        desk.fill("#item-title", title)
        desk.locator("[data-add-item] button[type=submit]").click()
        expect(desk.locator(".agenda-title").last).to_have_text(title)
    assert desk.locator(".agenda-item").count() == 6

    # Ten documents through the file input, in two batches: five to item 2, five to the meeting.
    desk.select_option("#upload-item", label=f"2. {AGENDA[1]}")
    desk.set_input_files("[data-upload-input]", files(DOCUMENTS[:5]))
    desk.locator("[data-upload-submit]").click()
    expect(desk.locator("[data-document-count]")).to_have_text("5")
    desk.set_input_files("[data-upload-input]", files(DOCUMENTS[5:]))
    desk.locator("[data-upload-submit]").click()
    expect(desk.locator("[data-document-count]")).to_have_text("10")

    open_document(desk, READ_ONLY)
    desk.locator("[data-access-choice] input[value=screen]").check()
    desk.locator("[data-document-settings] button[type=submit]").click()
    expect(desk.locator(".flash-success")).to_be_visible()
    desk.goto(meeting_url)
    open_document(desk, CHAIR_ONLY)
    desk.locator("[data-audience-chosen]").check()
    desk.locator(f"input[name=reader_ids][value='{chair.id}']").check()
    desk.locator("[data-document-settings] button[type=submit]").click()
    expect(desk.locator(".flash-success")).to_be_visible()

    # Reorder: drag the last item to the top with the mouse, then one step down with the keyboard.
    desk.set_viewport_size({"width": 1440, "height": 2400})  # a tall screen: the whole agenda in view
    desk.goto(meeting_url)
    desk.wait_for_selector("body[data-dossiers-ready]")  # module scripts run after the page shows
    handles = desk.locator("[data-drag-handle]")
    source, target = handles.nth(5).bounding_box(), handles.nth(0).bounding_box()
    desk.mouse.move(source["x"] + 10, source["y"] + 10)
    desk.mouse.down()
    desk.mouse.move(target["x"] + 10, target["y"] + 5, steps=8)
    with desk.expect_navigation():  # the new order is saved, then the page reloads renumbered
        desk.mouse.up()
    expect(desk.locator(".agenda-title").first).to_have_text(AGENDA[5])
    desk.wait_for_selector("body[data-dossiers-ready]")
    desk.locator("[data-move-down]").first.focus()
    desk.keyboard.press("Enter")
    expect(desk.locator(".agenda-title").nth(1)).to_have_text(AGENDA[5])
    expect(desk.locator(".agenda-title").first).to_have_text(AGENDA[0])

    desk.locator("[data-publish-meeting]").click()
    expect(desk.locator("[data-meeting-status]")).to_have_text("Đã công bố")

    # A member on a tablet: nine documents, the chair's own one absent, the read-only one without download.
    tablet = new_context().new_page()
    sign_in(tablet, live_server.url, member.email, member.password)
    tablet.goto(meeting_url)
    titles = {t.strip() for t in tablet.locator(".doc-title").all_inner_texts()}
    assert titles == set(DOCUMENTS) - {CHAIR_ONLY}
    assert tablet.locator("[data-doc-state=new]").count() == 9
    read_only_row = tablet.locator(".doc", has_text=READ_ONLY)
    assert read_only_row.locator("[data-download]").count() == 0
    assert tablet.locator(".doc", has_text=DOCUMENTS[0]).locator("[data-download]").count() == 1
    assert "hop.example.gov.vn" in tablet.locator("[data-online-link]").inner_text()
    tablet.locator(".doc-title", has_text=READ_ONLY).tap()
    tablet.wait_for_url("**/meetings/documents/**")
    first_page = tablet.locator("[data-page-image]").first
    expect(first_page).to_be_visible()
    tablet.wait_for_function("img => img.complete && img.naturalWidth === 1024", arg=first_page.element_handle())
    assert tablet.locator("[data-download], [data-print]").count() == 0
    for control in tablet.locator(".actions-row .button, .doc-title").all():
        assert control.bounding_box()["height"] >= 44
    status = tablet.request.get(f"{live_server.url}/api/v1/documents/{tablet.url.rsplit('/', 1)[1]}/file").status
    assert status == 403

    # The chair sees all ten.
    chair_tablet = new_context().new_page()
    sign_in(chair_tablet, live_server.url, chair.email, chair.password)
    chair_tablet.goto(meeting_url)
    assert {t.strip() for t in chair_tablet.locator(".doc-title").all_inner_texts()} == set(DOCUMENTS)


def test_the_agenda_reorders_by_touch(live_server, live_app, new_context):
    from playwright.sync_api import expect

    make = Factories(live_app)
    secretary = make.user("secretary", name="Hoàng Thu Trang")
    page = new_context().new_page()
    sign_in(page, live_server.url, secretary.email, secretary.password)
    page.goto(f"{live_server.url}/meetings/new")
    page.fill("#f-title", "Họp giao ban")
    page.locator("[data-meeting-form] button[type=submit]").tap()
    page.wait_for_url("**/meetings/*")
    for title in ("Một", "Hai", "Ba"):
        page.fill("#item-title", title)
        page.locator("[data-add-item] button[type=submit]").tap()
        expect(page.locator(".agenda-title").last).to_have_text(title)
    page.wait_for_selector("body[data-dossiers-ready]")  # module scripts run after the page shows
    source = page.locator("[data-drag-handle]").nth(2).bounding_box()
    target = page.locator("[data-drag-handle]").nth(0).bounding_box()
    cdp = page.context.new_cdp_session(page)  # a finger: touch events, which Chromium turns into pointer events

    def touch(kind: str, x: float, y: float) -> None:
        points = [] if kind == "touchEnd" else [{"x": x, "y": y}]
        cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})

    x, y = source["x"] + 10, source["y"] + 10
    touch("touchStart", x, y)
    for step in range(1, 9):
        touch("touchMove", x, y + (target["y"] + 5 - y) * step / 8)
    with page.expect_navigation():  # saved, then reloaded
        touch("touchEnd", x, target["y"] + 5)
    expect(page.locator(".agenda-title").first).to_have_text("Ba")
