"""The live room in real browsers: the chair on a desktop, participants on tablets; each push arrives."""
import pytest

from meetings.dossiers.models import Document, Meeting
from meetings.extensions import db
from tests.browser.conftest import DESKTOP, sign_in
from tests.live.conftest import LiveMeeting

pytestmark = pytest.mark.browser


def test_pushed_items_reach_every_screen(live_app, live_server, new_context):
    meeting = LiveMeeting(live_app)
    with live_app.app_context():
        record = db.session.get(Meeting, meeting.id)
        record.documents.append(Document(title="Tờ trình", audience="all", pages=4, current_version=1))
        db.session.commit()
    url = f"{live_server.url}/meetings/{meeting.id}/live"
    chair = new_context(**DESKTOP).new_page()
    tablets = [new_context().new_page() for _ in meeting.members]
    for page, user in [(chair, meeting.chair), *zip(tablets, meeting.members)]:
        sign_in(page, live_server.url, user.email, user.password)
        page.goto(url)
        page.wait_for_function("() => window.__liveVersion > 0")

    def everywhere(check: str, pages=(chair, *tablets)):
        for page in pages:
            page.wait_for_function(check)

    # The current item, with its planned minutes on every screen.
    chair.locator(f"[data-make-current='{meeting.items[0]}']").click()
    everywhere("() => document.querySelector('[data-current-title]').textContent.includes('Báo cáo tình hình')")
    assert "15" in tablets[0].locator("[data-current-timer]").inner_text()
    # A speaking request from a tablet reaches the chair, who gives the floor.
    tablets[0].locator("[data-ask]").tap()
    chair.locator("[data-grant]").wait_for()
    chair.locator("[data-grant]").click()
    everywhere("() => document.querySelector('[data-speaking] .is-speaking') !== null")
    # A vote opens on every tablet; the chair sees the live count; everyone sees the result.
    chair.fill("#vote-question", "Thông qua dự thảo?")
    chair.locator("[data-vote-form] button[type=submit]").click()
    for tablet in tablets:
        tablet.locator("[data-choice='yes']").wait_for()
        tablet.locator("[data-choice='yes']").tap()
    chair.wait_for_function("() => document.querySelector('[data-live-count]')?.textContent.includes('2')")
    chair.locator("[data-close-vote]").click()
    everywhere("() => document.querySelector('[data-vote-result]') !== null")
    # A notice from the secretary (sent through the API) shows on every screen.
    meeting.call(meeting.secretary, "POST", f"/api/v1/meetings/{meeting.id}/notices", {"text": "Nghỉ giải lao"},
                 expect=201)
    everywhere("() => document.querySelector('[data-notices]').textContent.includes('Nghỉ giải lao')")
    # The presenter turns a page; followers turn with it; one who scrolls leaves and can rejoin.
    chair.locator("[data-page-next]").click()
    everywhere("() => document.querySelector('[data-reader]').dataset.page?.endsWith(':1')")
    chair.locator("[data-page-next]").click()
    everywhere("() => document.querySelector('[data-reader]').dataset.page?.endsWith(':2')")
    tablets[1].locator("[data-reader]").dispatch_event("wheel")
    tablets[1].locator("[data-rejoin]").wait_for()
    chair.locator("[data-page-next]").click()
    tablets[0].wait_for_function("() => document.querySelector('[data-reader]').dataset.page.endsWith(':3')")
    assert tablets[1].locator("[data-reader]").get_attribute("data-page").endswith(":2")
    tablets[1].locator("[data-rejoin]").tap()
    tablets[1].wait_for_function("() => document.querySelector('[data-reader]').dataset.page.endsWith(':3')")
    everywhere(f"() => window.__liveVersion === {meeting.version()}")  # all at the same version
