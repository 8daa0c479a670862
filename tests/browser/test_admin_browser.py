"""On a tablet: the secretary reaches the admin pages by touch; a member is refused with the 403 page."""
import pytest

from tests.browser.conftest import sign_in
from tests.factories import Factories

pytestmark = pytest.mark.browser


def test_secretary_reaches_admin_pages_on_a_tablet(live_server, live_app, tablet):
    factories = Factories(live_app)
    factories.unit("Bộ Nông nghiệp và Môi trường")
    secretary = factories.user("secretary", name="Hoàng Thu Trang")
    factories.user("leader", name="Lê Thị Hoa", title="Thứ trưởng")
    factories.room("Phòng họp số 1")

    sign_in(tablet, live_server.url, secretary.email, secretary.password)
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
    assert tablet.get_by_role("link", name="Phòng họp số 1").is_visible()

    box = tablet.get_by_role("link", name="Phòng họp số 1").bounding_box()
    assert box["height"] >= 28  # table links; buttons and tabs are checked below
    for control in tablet.locator(".tabs a, .button").all():
        assert control.bounding_box()["height"] >= 44


def test_member_gets_the_403_page(live_server, live_app, tablet):
    member = Factories(live_app).user("member")
    sign_in(tablet, live_server.url, member.email, member.password)
    response = tablet.goto(f"{live_server.url}/admin/users")
    assert response.status == 403
    assert tablet.locator(".error-status").inner_text() == "403"
    assert "quyền" in tablet.locator("h1").inner_text()  # "Bạn không có quyền xem trang này."
