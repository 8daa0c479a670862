"""The live room as each role holds it on a touch tablet: a member sees only what a member may do, the
chair's tablet runs the floor and the votes, a refusal says why, and following the presenter opens
the full reader at the presenter's page and turns with it."""
import os
from io import BytesIO

import pytest

from tests.browser.conftest import sign_in
from tests.dossiers import pdfs
from tests.live.conftest import LiveMeeting

pytestmark = pytest.mark.browser

# Controls of the chair and of the secretaries; a member's screen must show none of them.
RUNNERS_CONTROLS = ["[data-next-item]", "[data-make-current]", "[data-page-prev]", "[data-page-next]",
                    "[data-present-document]", "[data-vote-form]", "#vote-question", "[data-grant]",
                    "[data-close-vote]", "[data-notice-form]", "#notice-text", "[data-check]"]
SHOTS = os.environ.get("LIVE_SHOTS")  # a folder: save each role's screen at the four sizes to look at
SIZES = [(1024, 1366), (1366, 1024), (820, 1180), (390, 844)]


def _room(new_context, live_server, meeting, user, **options):
    page = new_context(**options).new_page()
    sign_in(page, live_server.url, user.email, user.password)
    page.goto(f"{live_server.url}/meetings/{meeting.id}/live")
    page.wait_for_function("() => window.__liveVersion > 0")
    return page


def _document(meeting, pages: int = 4) -> int:
    data = {"file": (BytesIO(pdfs.text_pdf(pages)), "to-trinh.pdf"), "title": "Tờ trình ngân sách", "audience": "all"}
    response = meeting.http.post(f"/api/v1/meetings/{meeting.id}/documents", data=data,
                                 headers=meeting.headers(meeting.secretary), content_type="multipart/form-data")
    assert response.status_code == 202, response.get_data(as_text=True)
    return response.get_json()["id"]


def _shots(page, role: str):
    if not SHOTS:
        return
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=f"{SHOTS}/{role}-{width}x{height}.png", full_page=True)
    page.set_viewport_size({"width": 1024, "height": 1366})


def test_member_sees_no_chair_or_secretary_control(live_app, live_server, new_context):
    meeting = LiveMeeting(live_app)
    _document(meeting)
    chair = _room(new_context, live_server, meeting, meeting.chair)
    member = _room(new_context, live_server, meeting, meeting.members[0])
    # Something for each control to be drawn for: a current item, a waiting speaker, an open vote.
    chair.locator(f"[data-make-current='{meeting.items[0]}']").tap()
    member.locator("[data-ask]").tap()
    chair.locator("[data-grant]").wait_for()
    chair.fill("#vote-question", "Thông qua dự thảo?")
    chair.locator("[data-vote-form] button[type=submit]").tap()
    member.locator("[data-choice='yes']").wait_for()
    chair.locator("[data-page-next]").tap()
    member.locator("[data-follow]").wait_for()
    member.wait_for_function(f"() => window.__liveVersion === {meeting.version()}")

    for selector in RUNNERS_CONTROLS:
        assert not member.locator(selector).first.is_visible(), selector
    # What a member may do is there: vote, withdraw the request, check in, follow the presenter's list.
    for selector in ["[data-choice='yes']", "[data-ask]", "[data-my-check='in_person']"]:
        assert member.locator(selector).is_visible(), selector
    text = member.locator("main").inner_text()
    for word in ["Nội dung tiếp theo", "Thông báo tới mọi màn hình", "Mở biểu quyết", "phiên bản", "version"]:
        assert word not in text
    # The chair's tablet is not the secretary's console: no notices, no checking others in.
    for selector in ["[data-notice-form]", "[data-check]"]:
        assert not chair.locator(selector).first.is_visible(), selector
    _shots(member, "member")
    _shots(chair, "chair")
    secretary = _room(new_context, live_server, meeting, meeting.secretary)
    for selector in ["[data-notice-form]", "[data-check]", ".live-vote-new > summary", "[data-next-item]"]:
        assert secretary.locator(selector).first.is_visible(), selector
    _shots(secretary, "secretary")


def test_chair_tablet_grants_the_floor_runs_a_vote_and_a_refusal_says_why(live_app, live_server, new_context):
    meeting = LiveMeeting(live_app)
    chair = _room(new_context, live_server, meeting, meeting.chair)
    members = [_room(new_context, live_server, meeting, m) for m in meeting.members]
    members[0].locator("[data-ask]").tap()
    chair.locator("[data-grant]").tap()
    members[0].wait_for_function("() => document.querySelector('[data-speaking] .is-speaking') !== null")
    assert meeting.members[0].name in members[0].locator("[data-speaking] .is-speaking").inner_text()

    # A vote with one option is refused: the chair reads why, and keeps what was typed.
    chair.fill("#vote-question", "Thông qua dự thảo?")
    chair.fill("#vote-options", "Đồng ý")
    chair.locator("[data-vote-form] button[type=submit]").tap()
    alert = chair.locator("[data-live-error]")
    alert.wait_for()
    assert "2" in alert.inner_text() and chair.input_value("#vote-question") == "Thông qua dự thảo?"
    chair.fill("#vote-options", "")
    chair.locator("[data-vote-form] button[type=submit]").tap()
    for member in members:
        member.locator("[data-choice='yes']").tap()
    chair.wait_for_function("() => document.querySelector('[data-live-count]')?.textContent.includes('2')")
    assert not alert.is_visible()  # the next accepted action clears the message
    chair.locator("[data-close-vote]").tap()
    for page in (chair, *members):
        page.wait_for_function("() => document.querySelector('[data-vote-result]') !== null")


def test_following_the_presenter_opens_the_reader_at_that_page_and_turns_with_it(live_app, live_server,
                                                                                  new_context):
    meeting = LiveMeeting(live_app)
    document_id = _document(meeting)
    chair = _room(new_context, live_server, meeting, meeting.chair)
    member = _room(new_context, live_server, meeting, meeting.members[0])
    follow = member.locator("[data-follow]")
    assert not follow.is_visible()  # nobody presents yet: nothing to follow
    chair.locator("[data-page-next]").tap()
    chair.wait_for_function(f"() => document.querySelector('[data-presenter-state]').dataset.page === '{document_id}:1'")
    chair.locator("[data-page-next]").tap()
    member.wait_for_function(f"() => document.querySelector('[data-presenter-state]').dataset.page === '{document_id}:2'")
    follow.tap()
    member.wait_for_url(f"**/reader/documents/{document_id}?follow={meeting.id}#page=2")
    bar = member.locator("[data-follow-bar]")
    assert bar.is_visible() and "Đang theo người trình bày" in bar.inner_text()
    member.wait_for_function("() => window.__followedPage === 2")
    holder = member.locator("[data-page-holder]")
    assert holder.get_attribute("data-page") == "2"
    # The presenter turns a page: the reader turns with it.
    chair.locator("[data-page-next]").tap()
    member.wait_for_function("() => document.querySelector('[data-page-holder]').dataset.page === '3'")
    # One tap leaves; the presenter's next page does not move this reader; one tap rejoins.
    member.locator("[data-follow-toggle]").tap()
    assert bar.get_attribute("data-state") == "off"
    chair.locator("[data-page-next]").tap()
    member.wait_for_function("() => window.__presenterPage === 4")
    assert holder.get_attribute("data-page") == "3"
    member.locator("[data-follow-toggle]").tap()
    member.wait_for_function("() => document.querySelector('[data-page-holder]').dataset.page === '4'")
    # The chair presents from the reader: the member's reader takes the chair's zoom and page.
    chair.locator("[data-present-reader]").tap()
    chair.wait_for_url(f"**/reader/documents/{document_id}?present={meeting.id}#page=4")
    chair.wait_for_function("() => window.__presentedPage === 4")
    chair.locator("[data-action='zoom-in']").tap()
    member.wait_for_function("() => document.querySelector('[data-view]').classList.contains('zoomed')")
    chair.locator("[data-action='prev']").tap()
    member.wait_for_function("() => document.querySelector('[data-page-holder]').dataset.page === '3'")
    assert "zoomed" in member.locator("[data-view]").get_attribute("class")
    if SHOTS:
        for width, height in SIZES:
            member.set_viewport_size({"width": width, "height": height})
            member.screenshot(path=f"{SHOTS}/follow-{width}x{height}.png")
