"""On a tablet: the secretary reaches the admin pages by touch; a member is refused with the 403 page."""
import pytest

from tests.browser.conftest import sign_in
from meetings import demo
from tests.factories import Factories

pytestmark = pytest.mark.browser


def test_demo_secretary_reaches_admin_pages_on_a_tablet(live_server, live_app, tablet):
    with live_app.app_context():
        demo.load_demo()
    sign_in(tablet, live_server.url, "thuky@demo.gov.vn", demo.DEMO_PASSWORD)
    assert tablet.locator(".brand").inner_text() == "Bộ Nông nghiệp và Môi trường"

    toggle = tablet.locator("[data-nav-toggle]")
    if toggle.is_visible():  # narrow screens fold the menu behind a button
        toggle.tap()
    tablet.locator("#nav").get_by_role("link", name="Quản trị").tap()
    tablet.wait_for_url("**/admin/users")
    assert tablet.locator("h1").inner_text() == "Người dùng"
    assert tablet.get_by_role("link", name="Lê Thị Hoa").is_visible()

    tablet.get_by_role("link", name="Phòng họp").first.tap()
    tablet.wait_for_url("**/admin/rooms")
    room = tablet.get_by_role("link", name="Phòng họp số 1 (tầng 3, nhà A)")
    assert room.is_visible()

    for control in [room, *tablet.locator(".tabs a, .button, .nav a, input:not([type=hidden]), select").all()]:
        if control.is_visible():  # the menu's own account links show on a phone only
            assert control.bounding_box()["height"] >= 44, control  # touch targets

    room.tap()
    tablet.wait_for_url("**/admin/rooms/*")
    tablet.fill("#f-capacity", "45")
    tablet.get_by_role("button", name="Lưu").tap()
    tablet.wait_for_url("**/admin/rooms")
    assert "45" in tablet.locator("table").inner_text()


def test_member_gets_the_403_page(live_server, live_app, tablet):
    member = Factories(live_app).user("member")
    sign_in(tablet, live_server.url, member.email, member.password)
    response = tablet.goto(f"{live_server.url}/admin/users")
    assert response.status == 403
    assert tablet.locator(".error-status").inner_text() == "403"
    assert "quyền" in tablet.locator("h1").inner_text()  # "Bạn không có quyền xem trang này."
