"""The reader held as a tablet is held: a sideways swipe turns the page (and pans once zoomed), a
highlight takes the line the finger ran along and the next tool answers the first tap, one compact
bar leaves the page its room in portrait and landscape, the reader reopens where I left, and "My
notes" says what each note is and jumps to it. Touch goes through Chromium's own touch input."""
import os

import pymupdf
import pytest

from meetings.dossiers.pdf import vietnamese_font_buffer
from tests.browser.conftest import sign_in
from tests.browser.test_reader_browser import annotations, app, live_app, saved  # noqa: F401
from tests.reader.conftest import board  # noqa: F401  (the meeting board fixture)

pytestmark = pytest.mark.browser

SCREENSHOTS = os.environ.get("SCREENSHOTS")  # a folder: look at the screens after a run
SHORT = "Kính gửi: Bộ trưởng."
LONG = "Văn phòng Bộ trình Bộ trưởng dự thảo Quyết định phê duyệt phương án sắp xếp các đơn vị trực thuộc năm 2027"


def letter_pdf(pages=4) -> bytes:
    """A short line over a long one on every page: the trap for a highlight dragged past a line's end."""
    doc = pymupdf.open()
    for number in range(1, pages + 1):
        page = doc.new_page(width=595, height=842)
        page.insert_font(fontname="noto", fontbuffer=vietnamese_font_buffer())
        page.insert_text((60, 100), SHORT, fontname="noto", fontsize=11)
        page.insert_text((60, 114), LONG, fontname="noto", fontsize=11)
        page.insert_text((60, 400), f"Trang {number}", fontname="noto", fontsize=20)
    doc.subset_fonts()
    return doc.tobytes(garbage=3, deflate=True)


def open_reader(context, base_url, user, doc_id, hash_=""):
    tab = context.new_page()
    sign_in(tab, base_url, user.email, user.password)
    tab.goto(f"{base_url}/reader/documents/{doc_id}{hash_}")
    tab.wait_for_function("() => window.__readerReady === true")
    return tab


def page_on_screen(tab):
    """The first page is on screen: drawn by pdf.js or its image loaded (view.js marks either)."""
    tab.wait_for_function("() => performance.getEntriesByName('reader:first-page').length > 0")


def shown_page(tab) -> int:
    return int(tab.locator("[data-page-holder]").get_attribute("data-page"))


def wait_page(tab, page):
    tab.wait_for_function(f"() => document.querySelector('[data-page-holder]').dataset.page === '{page}'")


def touch(tab, screen_points):
    """One finger through Chromium's touch input: down at the first point, through the others, up."""
    cdp = tab.context.new_cdp_session(tab)
    x, y = screen_points[0]
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
    for x, y in screen_points[1:]:
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y}]})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    cdp.detach()


def swipe(tab, direction):
    """A sideways swipe across the middle of the view, in ten steps."""
    box = tab.locator("[data-view]").bounding_box()
    y = box["y"] + box["height"] / 2
    left, right = box["x"] + box["width"] * 0.2, box["x"] + box["width"] * 0.8
    start, end = (right, left) if direction == "left" else (left, right)
    touch(tab, [(start + (end - start) * i / 10, y) for i in range(11)])


def on_page(tab, points):
    """PDF points of the shown page -> CSS pixels of the viewport."""
    box = tab.locator("[data-overlay]").bounding_box()
    scale = box["width"] / 595
    return [(box["x"] + x * scale, box["y"] + y * scale) for x, y in points]


def test_a_swipe_turns_the_page_and_pans_once_zoomed(board, live_server, new_context):
    meeting = board.meeting()["id"]
    doc_id = board.document(meeting, data=letter_pdf(), title="Tờ trình sắp xếp đơn vị")["id"]
    tab = open_reader(new_context(), live_server.url, board.member, doc_id)
    assert shown_page(tab) == 1
    swipe(tab, "left")
    wait_page(tab, 2)
    swipe(tab, "left")
    wait_page(tab, 3)
    swipe(tab, "right")
    wait_page(tab, 2)
    assert tab.locator("[data-page-input]").input_value() == "2"

    # Zoomed in, the same swipe moves the page under the finger and turns nothing.
    tab.locator("[data-action=zoom-in]").tap()
    tab.wait_for_function("() => document.querySelector('[data-view]').classList.contains('zoomed')")
    tab.locator("[data-view]").evaluate("v => { v.scrollLeft = 0; }")
    before = tab.locator("[data-view]").evaluate("v => v.scrollLeft")
    swipe(tab, "left")
    tab.wait_for_function(f"() => document.querySelector('[data-view]').scrollLeft > {before + 50}")
    assert shown_page(tab) == 2

    # Back to the fit: swipes turn pages again.
    tab.locator("[data-action=fit]").tap()
    tab.wait_for_function("() => !document.querySelector('[data-view]').classList.contains('zoomed')")
    swipe(tab, "right")
    wait_page(tab, 1)


def test_a_highlight_keeps_to_its_line_the_next_tool_answers_at_once_and_my_notes_jump_there(
        board, live_server, new_context):
    meeting = board.meeting()["id"]
    doc_id = board.document(meeting, data=letter_pdf(), title="Tờ trình sắp xếp đơn vị")["id"]
    tab = open_reader(new_context(), live_server.url, board.member, doc_id, "#page=2")
    tab.locator("[data-action=tray]").tap()
    tab.locator("[data-tool=highlight]").tap()
    assert tab.locator("[data-tool=highlight]").get_attribute("aria-pressed") == "true"
    tab.wait_for_function(f"() => fetch('/api/v1/documents/{doc_id}/pages/2/words').then(r => r.ok)")

    # From the first word of the short line to far past its end, level with it: that line only.
    touch(tab, on_page(tab, [(62, 96), (120, 96), (250, 97), (420, 97), (520, 97)]))
    saved(tab)
    [highlight] = annotations(board, board.member, doc_id)
    assert highlight["kind"] == "highlight" and highlight["page"] == 2
    assert len(highlight["rects"]) == 1
    x0, y0, x1, y1 = highlight["rects"][0]
    assert y1 < 104 and x1 < 200  # the short line's words, none of the long line below

    # The very next tap on a tool takes it (no lost first tap), and it draws at once.
    tab.locator("[data-tool=ink]").tap()
    assert tab.locator("[data-tool=ink]").get_attribute("aria-pressed") == "true"
    assert tab.locator("[data-tray-button] use").get_attribute("href") == "#i-ink"
    touch(tab, on_page(tab, [(100, 600), (150, 620), (200, 610)]))
    saved(tab)
    assert {a["kind"] for a in annotations(board, board.member, doc_id)} == {"highlight", "ink"}

    # My notes: the kind, the words highlighted, and a tap that goes back to them from another page.
    tab.locator("[data-action=prev]").tap()
    wait_page(tab, 1)
    tab.locator("[data-action=panel]").tap()
    tab.locator("[data-tab=notes]").tap()
    card = tab.locator(f"[data-note='{highlight['id']}']")
    card.wait_for()
    text = card.inner_text()
    assert "Tô sáng" in text and "trang 2" in text and f"“{SHORT}”" in text
    ink = tab.locator("[data-note-kind=ink]")
    assert "Bút vẽ" in ink.inner_text()
    if SCREENSHOTS:
        tab.screenshot(path=f"{SCREENSHOTS}/reader-my-notes.png")
    card.tap()
    wait_page(tab, 2)
    tab.locator("[data-selection]").wait_for(state="visible")
    if SCREENSHOTS:
        tab.screenshot(path=f"{SCREENSHOTS}/reader-note-selected.png")
    assert tab.locator(f"[data-overlay] g[data-id='{highlight['id']}'] .selected").count() == 1


@pytest.mark.parametrize("width,height", [(820, 1180), (1180, 820)])
def test_one_compact_bar_the_whole_page_in_view_and_reopened_where_i_left(
        board, live_server, new_context, width, height):
    meeting = board.meeting()["id"]
    doc_id = board.document(meeting, data=letter_pdf(), title="Tờ trình sắp xếp các đơn vị trực thuộc Bộ")["id"]
    context = new_context(viewport={"width": width, "height": height})
    tab = open_reader(context, live_server.url, board.member, doc_id)
    page_on_screen(tab)
    bar = tab.locator(".reader-bar").bounding_box()
    view = tab.locator("[data-view]").bounding_box()
    assert bar["height"] <= 64 and view["y"] <= 64  # nothing else above the page
    assert not tab.locator("header.topbar").is_visible()
    # Fit-page (the start): the whole page is in view, in landscape too.
    page = tab.locator("[data-page-holder]").bounding_box()
    assert page["y"] >= view["y"] and page["y"] + page["height"] <= view["y"] + view["height"] + 1
    assert page["height"] >= view["height"] * 0.9
    # Every control of the bar is a full touch target, and each icon is drawn (no emoji glyph).
    for box in [b.bounding_box() for b in tab.locator(".reader-bar .rbtn").all() if b.is_visible()]:
        assert box["width"] >= 44 and box["height"] >= 44
    assert tab.locator(".reader-bar .rbtn svg use").count() >= 8
    if SCREENSHOTS:
        tab.screenshot(path=f"{SCREENSHOTS}/reader-{width}x{height}-fit-page.png")

    # Fit-width: the page as wide as the view.
    tab.locator("[data-action=fit]").tap()
    tab.wait_for_function("() => Math.abs(document.querySelector('[data-page-holder]').getBoundingClientRect().width"
                          " - document.querySelector('[data-view]').clientWidth + 16) < 2")
    tab.locator("[data-action=tray]").tap()
    tab.locator("[data-tray]").wait_for(state="visible")
    if SCREENSHOTS:
        tab.screenshot(path=f"{SCREENSHOTS}/reader-{width}x{height}-width-tray.png")

    # Turn to page 3, leave, come back without an address: page 3, still fit to width, tray open.
    tab.locator("[data-action=next]").tap()
    tab.locator("[data-action=next]").tap()
    wait_page(tab, 3)
    tab.goto(f"{live_server.url}/meetings/{meeting}")
    tab.goto(f"{live_server.url}/reader/documents/{doc_id}")
    tab.wait_for_function("() => window.__readerReady === true")
    assert shown_page(tab) == 3
    assert tab.locator("[data-tray]").is_visible()
    # An address with #page=N still wins.
    tab.goto(f"{live_server.url}/reader/documents/{doc_id}#page=4")
    tab.reload()
    tab.wait_for_function("() => window.__readerReady === true")
    assert shown_page(tab) == 4


def test_every_screen_size_opens_the_reader_and_its_tray(board, live_server, new_context):
    """At each size the office uses, the page shows and the tools tray opens and takes a tool; with
    SCREENSHOTS=<folder> the screens are saved to look at."""
    meeting = board.meeting()["id"]
    doc_id = board.document(meeting, data=letter_pdf(), title="Tờ trình sắp xếp các đơn vị trực thuộc Bộ")["id"]
    for width, height in [(1024, 1366), (1366, 1024), (820, 1180), (390, 844)]:
        tab = open_reader(new_context(viewport={"width": width, "height": height}), live_server.url,
                          board.member, doc_id)
        page_on_screen(tab)
        if SCREENSHOTS:
            tab.screenshot(path=f"{SCREENSHOTS}/reader-{width}x{height}.png")
        tab.locator("[data-action=tray]").tap()
        tab.locator("[data-tool=highlight]").tap()
        assert tab.locator("[data-tool=highlight]").get_attribute("aria-pressed") == "true", (width, height)
        if SCREENSHOTS:
            tab.screenshot(path=f"{SCREENSHOTS}/reader-{width}x{height}-tray.png")
