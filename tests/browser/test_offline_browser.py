"""The offline briefcase on a tablet (Chromium, touch, its service worker), as one journey: the meeting
is kept with its documents; offline, its page opens and says which document needs the network, a kept document opens, turns pages, zooms and takes ink, a
highlight and a note, which reach the server once when the connection returns; access removed while
the device was offline deletes its files when it comes back; signing out leaves nothing on the device."""
import pytest

from tests.browser.conftest import sign_in
from tests.browser.test_pdf_reader_browser import _drawn as drawn
from tests.browser.test_reader_browser import annotations, choose, saved, touch_stroke
from tests.dossiers import pdfs
from tests.meetings.conftest import NOW, Board

pytestmark = pytest.mark.browser


@pytest.fixture
def live_app(make_app):
    return make_app(WTF_CSRF_ENABLED=True, MEETINGS_FAKE_NOW=NOW, OFFLINE_BRIEFCASE=True)


@pytest.fixture
def board(live_app):
    return Board(live_app, live_app.test_client())


def cache_names(tab):
    return tab.evaluate("() => caches.keys()")


def test_read_and_annotate_offline_sync_once_lose_access_and_sign_out(board, live_server, new_context):
    meeting = board.meeting()["id"]
    doc = board.document(meeting, title="Tờ trình Đề án", access="app")["id"]  # drawn from the personal copy
    screen = board.document(meeting, title="Tài liệu mật", access="screen", data=pdfs.text_pdf(1))["id"]
    context = new_context()
    tab = context.new_page()
    sign_in(tab, live_server.url, board.member.email, board.member.password)
    tab.goto(f"{live_server.url}/meetings/{meeting}")
    tab.wait_for_function(f"() => window.__briefcase?.meetings[{meeting}]?.complete === true", timeout=30_000)
    status = tab.locator("[data-briefcase][data-state=ready] [data-briefcase-status]").inner_text()
    assert status.startswith("Sẵn sàng đọc ngoại tuyến · ") and status.endswith("KB")
    # "Xóa khỏi thiết bị này", after a confirmation: gone from the device, and kept again on request.
    tab.once("dialog", lambda dialog: dialog.accept())
    tab.locator("[data-briefcase-remove]", has_text="Xóa khỏi thiết bị này").tap()
    tab.locator("[data-briefcase][data-state=none]").wait_for()
    assert f"meetings-meeting-{meeting}" not in cache_names(tab)
    tab.locator("[data-briefcase-keep]").tap()
    tab.locator("[data-briefcase][data-state=ready]").wait_for()

    tab.goto(f"{live_server.url}/schedule/mine")  # my schedule, as last loaded
    tab.wait_for_function("async () => (await caches.keys()).includes('meetings-pages')")
    context.set_offline(True)
    tab.goto(f"{live_server.url}/schedule/mine")
    assert tab.locator("[data-offline-page]").count() == 0 and "Họp Ban cán sự Đảng" in tab.content()
    # The meeting's page comes from the device; the `screen` document says it needs the network.
    tab.goto(f"{live_server.url}/meetings/{meeting}")
    badge = tab.locator(f"[data-document-id='{screen}'] [data-online-only]")
    assert badge.is_visible() and badge.inner_text() == "Cần kết nối mạng"
    tab.goto(f"{live_server.url}/reader/documents/{screen}")
    assert tab.locator("[data-offline-page] h1").inner_text() == "Cần kết nối mạng"
    tab.goto(f"{live_server.url}/reader/documents/{doc}#page=1")  # from the device: there is no network
    tab.wait_for_function("() => window.__readerReady === true")
    tab.locator("[data-action=next]").tap()
    tab.locator("[data-action=next]").tap()
    assert tab.locator("[data-reader-app]").get_attribute("data-drawn-by") == "pdfjs"  # from the kept copy
    drawn(tab, 3)
    tab.locator("[data-action=zoom-in]").tap()
    tab.wait_for_function("() => document.querySelector('[data-view]').classList.contains('zoomed')")
    drawn(tab, 3)
    tab.locator("[data-action=zoom-out]").tap()
    drawn(tab, 3)
    choose(tab, "ink")
    touch_stroke(tab, [(100, 300), (150, 320), (200, 310)])
    choose(tab, "highlight")
    touch_stroke(tab, [(60, 57), (120, 57), (200, 57)])  # snaps to the kept words of the first line
    choose(tab, "note")
    touch_stroke(tab, [(300, 400)])
    tab.locator("[data-text-input]").fill("Hỏi lại Vụ Pháp chế")
    tab.locator("[data-text-dialog] button[value=save]").tap()
    tab.wait_for_function("() => window.__readerPending === 3")
    tab.wait_for_function("() => document.querySelector('[data-sync-status]').dataset.state === 'offline'")
    assert annotations(board, board.member, doc) == []

    context.set_offline(False)
    saved(tab)
    stored = annotations(board, board.member, doc)
    assert sorted(a["kind"] for a in stored) == ["highlight", "ink", "note"]
    assert len({a["id"] for a in stored}) == 3 and {a["page"] for a in stored} == {3}
    assert next(a for a in stored if a["kind"] == "highlight")["rects"][0][0] < 62  # snapped to words

    # Access removed while the device is offline: nothing is learnt until it is back, then it is gone.
    kept = f"meetings-meeting-{meeting}"
    context.set_offline(True)
    tab.wait_for_function("() => !navigator.onLine")
    removed = board.delete(board.secretary, f"/api/v1/meetings/{meeting}/participants/{board.member.id}")
    assert removed.status_code == 204
    assert kept in cache_names(tab)
    context.set_offline(False)
    tab.wait_for_function(f"async () => !(await caches.keys()).includes('{kept}')")
    assert len(annotations(board, board.other_member, doc)) == 0  # (they were private, and sent once)

    # Signing out: no cache, database or stored item of the app stays on the device.
    tab.goto(f"{live_server.url}/")
    tab.wait_for_function("() => window.__briefcase !== undefined")  # the page's wipe is ready
    assert any(name.startswith("meetings-shell-") for name in cache_names(tab))
    assert tab.evaluate("() => localStorage.length") > 0  # the reader's outbox and preferences
    tab.locator("[data-sign-out]:visible button").first.tap()
    tab.wait_for_url(lambda url: "/login" in url, timeout=20_000)
    assert cache_names(tab) == []
    assert tab.evaluate("() => indexedDB.databases()") == []
    assert tab.evaluate("() => localStorage.length") == 0
    assert tab.evaluate("() => navigator.serviceWorker.getRegistrations().then((r) => r.length)") == 0
