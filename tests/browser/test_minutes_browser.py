"""Minutes (biên bản) in a real browser: the secretary draws them up from the record and edits them
at her desk; the chair, on a tablet, confirms the approval and sees the text frozen."""
import pytest

from tests.browser.conftest import DESKTOP, sign_in
from tests.tasks.conftest import NOW
from tests.browser.test_tasks_browser import desk_sign_in
from tests.tasks.test_minutes import RecordedMeeting

pytestmark = pytest.mark.browser


@pytest.fixture
def live_app(make_app):
    return make_app(WTF_CSRF_ENABLED=True, MEETINGS_FAKE_NOW=NOW)


def test_secretary_draws_up_and_edits_the_minutes_and_the_chair_approves(live_server, live_app, new_context):
    held = RecordedMeeting(live_app)
    url = f"{live_server.url}/tasks/meetings/{held.id}/minutes"

    secretary = new_context(**DESKTOP, has_touch=False, is_mobile=False).new_page()
    secretary.on("dialog", lambda dialog: dialog.accept())
    desk_sign_in(secretary, live_server.url, held.secretary)
    secretary.goto(f"{live_server.url}/meetings/{held.id}")
    secretary.locator("[data-minutes-link]").click()
    secretary.locator("[data-generate-minutes]").click()
    secretary.wait_for_selector("[data-minutes-form]")
    text = secretary.locator("#minutes-body").input_value()
    assert "Vũ Ngọc Ánh, Cục Biến đổi khí hậu; lý do: Đi công tác tại Cần Thơ" in text
    secretary.fill("#minutes-body", text + "Ý kiến bổ sung: thống nhất tiến độ trình.\n")
    secretary.locator("[data-save-minutes]").click()
    secretary.wait_for_selector(".flash-success")

    chair = new_context().new_page()  # the minister's tablet
    chair.on("dialog", lambda dialog: dialog.accept())  # "Approve these minutes?"
    sign_in(chair, live_server.url, held.minister.email, held.minister.password)
    chair.wait_for_url(lambda address: "/login" not in address)
    chair.goto(url)
    assert "thống nhất tiến độ trình" in chair.locator("[data-minutes-text]").inner_text()
    chair.locator("[data-approve-minutes]").tap()
    chair.wait_for_selector('[data-minutes-status="approved"]')
    assert chair.locator("[data-reopen-minutes]").count() == 1

    secretary.goto(url)
    assert secretary.locator("[data-minutes-form]").count() == 0  # frozen: no editor any more
    assert "thống nhất tiến độ trình" in secretary.locator("[data-minutes-text]").inner_text()
