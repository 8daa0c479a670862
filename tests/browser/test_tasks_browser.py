"""From a conclusion to work done: the secretary, at her desk, turns a meeting's conclusion into two
tasks; a member of the responsible unit, on a tablet by touch, reports one of them done."""
import pytest

from tests.browser.conftest import DESKTOP, sign_in
from tests.tasks.conftest import NOW, TaskOffice

pytestmark = pytest.mark.browser


@pytest.fixture
def live_app(make_app):
    return make_app(WTF_CSRF_ENABLED=True, MEETINGS_FAKE_NOW=NOW)


def desk_sign_in(page, base_url, user):
    page.goto(f"{base_url}/login")
    page.fill("#email", user.email)
    page.fill("#password", user.password)
    page.locator("button[type=submit]").first.click()
    page.wait_for_url(lambda url: "/login" not in url)


def test_secretary_turns_a_conclusion_into_two_tasks_and_the_unit_marks_one_done(live_server, live_app,
                                                                                new_context):
    office = TaskOffice(live_app)
    conclusion = office.conclusion("Giao Vụ Pháp chế chủ trì, phối hợp Vụ Kế hoạch - Tài chính hoàn thiện "
                                   "hồ sơ dự thảo Nghị định, trình Bộ trưởng trước ngày 10/12/2026.")

    secretary = new_context(**DESKTOP, has_touch=False, is_mobile=False).new_page()
    desk_sign_in(secretary, live_server.url, office.secretary)
    secretary.goto(f"{live_server.url}/tasks/meetings/{office.meeting}")
    secretary.locator(f'[data-conclusion="{conclusion}"] [data-turn-into-tasks]').click()
    secretary.fill("#f-title", "Hoàn thiện hồ sơ dự thảo Nghị định")
    secretary.select_option("#f-unit_id", str(office.legal))
    secretary.fill("#f-due", "2026-12-10")
    secretary.locator(f'input[name=cooperating_unit_ids][value="{office.finance}"]').check()
    secretary.locator("[data-save-another]").click()
    secretary.wait_for_selector(".flash-success")
    assert "Vụ Pháp chế" in secretary.locator(".task-source").inner_text()  # the first one, listed under it
    secretary.fill("#f-title", "Bố trí kinh phí thẩm định hồ sơ")
    secretary.select_option("#f-unit_id", str(office.finance))
    secretary.fill("#f-due", "2026-12-08")
    secretary.locator("[data-save]").click()
    secretary.wait_for_url(f"**/tasks/meetings/{office.meeting}")
    rows = secretary.locator(f'[data-conclusion="{conclusion}"] tr[data-task]')
    assert rows.count() == 2
    assert "Hoàn thiện hồ sơ dự thảo Nghị định" in rows.nth(1).inner_text() + rows.nth(0).inner_text()

    member = new_context().new_page()  # the tablet, by touch
    sign_in(member, live_server.url, office.legal_staff.email, office.legal_staff.password)
    member.goto(f"{live_server.url}/tasks/")
    assert member.locator("tr[data-task]").count() == 1  # only his unit's task, not the finance one
    member.get_by_role("link", name="Hoàn thiện hồ sơ dự thảo Nghị định").tap()
    member.wait_for_selector("[data-done-form]")
    for control in member.locator(".task-actions .button").all():
        assert control.bounding_box()["height"] >= 44
    member.locator("#done-note").fill("Đã trình Bộ trưởng ký ban hành Nghị định.")
    member.locator("[data-mark-done]").tap()
    member.wait_for_selector('[data-status="done"]')
    assert "Đã trình Bộ trưởng ký" in member.locator(".facts").inner_text()
    assert member.locator('tr[data-change="status"]').count() == 1

    secretary.goto(f"{live_server.url}/tasks/?status=done")
    assert secretary.locator("tr[data-task]").count() == 1
    assert secretary.locator('[data-card="done_on_time"] .task-card-number').inner_text() == "1"
