"""The home page, the phone's week and touch targets in real browsers: each role's home, joining the
meeting in progress in one tap, the week as day cards on a phone, and every control big enough to tap."""
import os
from datetime import datetime, timezone

import pytest

from meetings.dossiers.models import Document, Meeting
from meetings.extensions import db
from tests.browser.conftest import sign_in
from tests.live.conftest import LiveMeeting

pytestmark = pytest.mark.browser

DURING = datetime(2026, 12, 2, 7, 30, tzinfo=timezone.utc)  # 14:30 in Hà Nội: the meeting (14:00-16:00) is on
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2}
TABLETS = [{"width": 1024, "height": 1366}, {"width": 820, "height": 1180}, {"width": 1366, "height": 1024}]


@pytest.fixture
def live_app(make_app):
    return make_app(WTF_CSRF_ENABLED=True, MEETINGS_FAKE_NOW=DURING)


@pytest.fixture
def meeting(live_app):
    found = LiveMeeting(live_app)
    with live_app.app_context():
        record = db.session.get(Meeting, found.id)
        record.documents.append(Document(title="Tờ trình dự toán", audience="all", pages=2, current_version=1))
        db.session.commit()
    return found


def shot(page, name: str) -> None:
    """Screenshots to look at by eye, when SCREENSHOTS names a folder."""
    folder = os.environ.get("SCREENSHOTS")
    if folder:
        page.screenshot(path=os.path.join(folder, f"{name}.png"), full_page=True)


def test_the_leader_joins_the_meeting_in_progress_in_one_tap(live_server, meeting, new_context):
    page = new_context().new_page()
    sign_in(page, live_server.url, meeting.chair.email, meeting.chair.password)
    page.goto(live_server.url + "/")
    page.wait_for_function("() => window.__homeLive === true")
    live = page.locator(f"[data-live-meeting='{meeting.id}']")
    assert "Họp giao ban Bộ" in live.inner_text()
    assert page.locator("[data-state='now'] [data-now]").first.inner_text() == "đang diễn ra"
    join = live.locator("[data-join-meeting]")
    box = join.bounding_box()
    assert box["height"] >= 56 and box["width"] >= 200  # the big way in
    shot(page, "home-leader-1024x1366")
    join.tap()
    page.wait_for_url(f"**/meetings/{meeting.id}/live")
    page.wait_for_function("() => window.__liveVersion > 0")


def test_a_vote_opened_reaches_the_home_live(live_server, meeting, new_context):
    page = new_context().new_page()
    member = meeting.members[0]
    sign_in(page, live_server.url, member.email, member.password)
    page.goto(live_server.url + "/")
    page.wait_for_function("() => window.__homeLive === true")
    assert page.locator("[data-home-ballots]").count() == 0
    meeting.call(meeting.chair, "POST", f"/api/v1/meetings/{meeting.id}/votes", {"question": "Thông qua?"},
                 expect=201)
    page.locator("[data-home-ballots]").wait_for()
    assert "Thông qua?" in page.locator("[data-home-ballots]").inner_text()


def test_the_secretary_and_a_member_see_their_own_homes(live_server, meeting, new_context):
    for user, present, absent in [(meeting.chair, ["[data-home-meetings]", "[data-home-changes]",
                                                   "[data-home-tasks]"], ["[data-home-preparing]"]),
                                  (meeting.secretary, ["[data-home-weeks]", "[data-home-preparing]"],
                                   ["[data-home-tasks]"]),
                                  (meeting.members[0], ["[data-home-meetings]", "[data-home-tasks]"],
                                   ["[data-home-weeks]", "[data-home-preparing]"])]:
        for size in [*TABLETS, PHONE["viewport"]]:
            page = new_context(viewport=size).new_page()
            sign_in(page, live_server.url, user.email, user.password)
            page.goto(live_server.url + "/")
            for selector in present:
                assert page.locator(selector).is_visible()
            for selector in absent:
                assert page.locator(selector).count() == 0
            assert page.evaluate("document.documentElement.scrollWidth") <= size["width"]
            shot(page, f"home-{user.role}-{size['width']}x{size['height']}")
            page.close()
    # The secretary runs the meeting from the desk: the way in is there for them too.
    page = new_context().new_page()
    sign_in(page, live_server.url, meeting.secretary.email, meeting.secretary.password)
    assert page.locator("[data-join-meeting]").is_visible()


def test_the_week_on_a_phone_is_a_list_of_day_cards(live_server, meeting, new_context):
    page = new_context(**PHONE).new_page()
    sign_in(page, live_server.url, meeting.secretary.email, meeting.secretary.password)
    page.goto(live_server.url + "/schedule/week/2026-W49")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    card = page.locator(f"tr.entry[data-event-id='{meeting.id}']")
    box = card.bounding_box()
    assert box["width"] <= 390 and box["x"] >= 0
    assert page.locator("thead").first.is_hidden()
    day = page.locator("#day-2026-12-02 .day-cell").bounding_box()
    assert day["y"] + day["height"] <= box["y"]  # the day's heading above its cards, not beside
    bar = page.locator("header.topbar").bounding_box()
    assert bar["height"] <= 64  # one row
    assert page.locator("[data-bell]").is_visible() and page.locator("[data-nav-toggle]").is_visible()
    shot(page, "week-390x844")
    page.locator("[data-nav-toggle]").tap()
    assert page.get_by_role("button", name="Đăng xuất").is_visible()
    for size in TABLETS:
        other = new_context(viewport=size).new_page()
        sign_in(other, live_server.url, meeting.secretary.email, meeting.secretary.password)
        other.goto(live_server.url + "/schedule/week/2026-W49")
        assert other.locator("thead").first.is_visible()
        shot(other, f"week-{size['width']}x{size['height']}")
        other.close()


SMALL_CONTROLS = """() => {
  const controls = document.querySelectorAll(
    'button, select, textarea, input:not([type=hidden]), a.button, [role=button], summary');
  const small = [];
  for (const control of controls) {
    const style = getComputedStyle(control);
    if (!control.getClientRects().length || style.visibility === 'hidden') continue;
    // A box or a round button is tapped through its label: the label is the target.
    const target = ['checkbox', 'radio'].includes(control.type) ? (control.closest('label') || control) : control;
    const box = target.getBoundingClientRect();
    if (box.width < 44 || box.height < 44) {
      small.push(`${control.outerHTML.slice(0, 90)} ${Math.round(box.width)}x${Math.round(box.height)}`);
    }
  }
  return small;
}"""


@pytest.mark.parametrize("size", TABLETS, ids=lambda s: f"{s['width']}x{s['height']}")
def test_every_control_on_the_meeting_page_and_in_the_live_room_is_big_enough_to_tap(live_server, meeting,
                                                                                     new_context, size):
    for user in (meeting.secretary, meeting.chair, meeting.members[0]):
        page = new_context(viewport=size).new_page()
        sign_in(page, live_server.url, user.email, user.password)
        page.goto(f"{live_server.url}/meetings/{meeting.id}")
        assert page.evaluate(SMALL_CONTROLS) == [], f"meeting page, {user.role}"
        shot(page, f"meeting-{user.role}-{size['width']}x{size['height']}")
        page.goto(f"{live_server.url}/meetings/{meeting.id}/live")
        page.wait_for_function("() => window.__liveVersion > 0")
        assert page.evaluate(SMALL_CONTROLS) == [], f"live room, {user.role}"
        shot(page, f"live-{user.role}-{size['width']}x{size['height']}")
        page.close()
