"""The reader on a tablet with touch: annotate page 3, see it on a second device of the same user in
the same place, annotate offline and see it saved once, and download the annotated copy."""
import io
import re

import pymupdf
import pypdf
import pytest

from tests.browser.conftest import pdfjs_prefetched, sign_in
from tests.reader.conftest import NOW, board  # noqa: F401  (the meeting board fixture)

pytestmark = pytest.mark.browser


@pytest.fixture
def live_app(make_app):
    return make_app(WTF_CSRF_ENABLED=True, MEETINGS_FAKE_NOW=NOW)


@pytest.fixture
def app(live_app):
    """One app for the board's API calls and the served pages: one engine, disposed after the test."""
    return live_app


def open_reader(context, base_url, user, doc_id, page=3):
    tab = context.new_page()
    sign_in(tab, base_url, user.email, user.password)
    tab.goto(f"{base_url}/reader/documents/{doc_id}#page={page}")
    tab.wait_for_function("() => window.__readerReady === true")
    return tab


def to_screen(tab, x, y):
    """PDF points of the shown page -> CSS pixels of the viewport (the page here is not rotated)."""
    box = tab.locator("[data-overlay]").bounding_box()
    scale = box["width"] / 595
    return box["x"] + x * scale, box["y"] + y * scale


def touch_stroke(tab, points):
    """A finger stroke through Chromium's touch input, so the page gets pointerType "touch"."""
    cdp = tab.context.new_cdp_session(tab)
    screen = [to_screen(tab, x, y) for x, y in points]
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": screen[0][0], "y": screen[0][1]}]})
    for x, y in screen[1:]:
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y}]})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    cdp.detach()


def choose(tab, tool):
    """The tools live in the tray under the reader's bar: unfold it first when it is folded."""
    if not tab.locator("[data-tray]").is_visible():
        tab.locator("[data-action=tray]").tap()
    tab.locator(f"[data-tool={tool}]").tap()
    tab.locator(f"[data-tool={tool}][aria-pressed=true]").wait_for()


def saved(tab):
    tab.wait_for_function("() => window.__readerPending === 0")


def annotations(board, user, doc_id):
    return board.get(user, f"/api/v1/documents/{doc_id}/annotations").json["annotations"]


def test_annotate_on_one_tablet_see_it_on_another_offline_and_download(board, live_server, new_context):
    meeting = board.meeting()["id"]
    doc_id = board.document(meeting, title="Tờ trình Đề án")["id"]
    first = open_reader(new_context(), live_server.url, board.member, doc_id)
    assert first.locator("[data-page-input]").input_value() == "3"

    choose(first, "ink")
    touch_stroke(first, [(100, 300), (150, 320), (200, 310), (250, 330)])
    choose(first, "highlight")
    touch_stroke(first, [(60, 57), (120, 57), (200, 57)])  # along the first line of text
    saved(first)
    stored = {a["kind"]: a for a in annotations(board, board.member, doc_id)}
    assert set(stored) == {"ink", "highlight"} and all(a["page"] == 3 for a in stored.values())
    ink_start = stored["ink"]["paths"][0][0]
    assert abs(ink_start[0] - 100) < 2 and abs(ink_start[1] - 300) < 2
    x0, y0, x1, y1 = stored["highlight"]["rects"][0]
    assert x0 < 62 and 45 < y0 < 57 < y1 < 70  # snapped to the words of the first line

    # The same user's other device opens the document: both, in the same place.
    second = open_reader(new_context(), live_server.url, board.member, doc_id)
    for kind, a in stored.items():
        group = second.locator(f"[data-overlay] g[data-id='{a['id']}']")
        group.wait_for(state="attached")
        bbox = group.evaluate("g => { const b = g.getBBox(); return [b.x, b.y, b.width, b.height]; }")
        if kind == "ink":
            assert abs(bbox[0] - 100) < 8 and abs(bbox[1] - 300) < 8
        else:
            assert abs(bbox[0] - x0) < 1 and abs(bbox[1] - y0) < 1
    # ... and a stroke made on the first tablet now appears on the second over the socket.
    choose(first, "ink")
    touch_stroke(first, [(300, 500), (350, 520)])
    saved(first)
    live = [a for a in annotations(board, board.member, doc_id) if a["id"] not in {x["id"] for x in stored.values()}][0]
    second.locator(f"[data-overlay] g[data-id='{live['id']}']").wait_for(state="attached")

    # Offline: the note is kept on the device and sent once when the connection returns.
    second.context.set_offline(True)
    choose(second, "ink")
    touch_stroke(second, [(100, 600), (200, 650)])
    second.wait_for_function("() => document.querySelector('[data-sync-status]').dataset.state === 'offline'")
    assert len(annotations(board, board.member, doc_id)) == 3
    second.context.set_offline(False)
    saved(second)
    after = annotations(board, board.member, doc_id)
    assert len(after) == 4 and len({a["id"] for a in after}) == 4

    # The annotated copy: a download with every annotation in it, for both parsers.
    first.locator("[data-action=panel]").click()
    with first.expect_download() as download:
        first.locator("[data-download-annotated]").click()
    with open(download.value.path(), "rb") as file:
        data = file.read()
    ids = {a["id"] for a in after}
    with pymupdf.open(stream=data, filetype="pdf") as copy:
        assert {a.info["id"] for a in copy[2].annots()} == ids
    reader = pypdf.PdfReader(io.BytesIO(data))
    names = {str(ref.get_object()["/NM"]) for ref in reader.pages[2]["/Annots"]}
    assert names == ids
    quad = [float(v) for v in next(ref.get_object() for ref in reader.pages[2]["/Annots"]
                                   if ref.get_object()["/Subtype"] == "/Highlight")["/QuadPoints"]]
    assert abs(quad[0] - x0) < 0.5 and abs(quad[1] - (842 - y0)) < 0.5


def test_another_participant_sees_none_of_my_private_annotations_in_the_reader(board, live_server, new_context):
    meeting = board.meeting()["id"]
    doc_id = board.document(meeting)["id"]
    mine = open_reader(new_context(), live_server.url, board.member, doc_id)
    theirs = open_reader(new_context(), live_server.url, board.other_member, doc_id)
    choose(mine, "ink")
    touch_stroke(mine, [(100, 300), (200, 320)])
    saved(mine)
    theirs.reload()
    theirs.wait_for_function("() => window.__readerReady === true")
    assert theirs.locator("[data-overlay] g[data-id]").count() == 0


# An older tablet: `Worker` exists but never reads its options, so `{type: "module"}` goes unseen (as in
# browsers before module workers). The reader must see that and draw the server's page images.
NO_MODULE_WORKERS = """(() => {
    const Plain = window.Worker;
    window.Worker = class extends Plain { constructor(url) { super(url); } };
})();"""


def test_without_module_workers_a_pdf_document_is_read_as_page_images_and_annotated(board, live_server, new_context):
    meeting = board.meeting()["id"]
    doc_id = board.document(meeting, title="Tờ trình Đề án", access="download")["id"]  # pdf.js elsewhere
    context = new_context(device_scale_factor=2)
    context.add_init_script(NO_MODULE_WORKERS)
    tab = context.new_page()
    sign_in(tab, live_server.url, board.member.email, board.member.password)
    pdfjs_prefetched(tab)  # the home page prefetches pdf.js for every tablet (base.html): not the reader
    asked = []  # what the reader asks for
    context.on("request", lambda r: asked.append(r.url))
    tab.goto(f"{live_server.url}/reader/documents/{doc_id}#page=3")
    tab.wait_for_function("() => window.__readerReady === true")
    assert tab.locator("[data-reader-app]").get_attribute("data-drawn-by") == "images"
    image = tab.locator("[data-page-image]")
    tab.wait_for_function("img => img.complete && img.naturalWidth >= 2048", arg=image.element_handle())  # scale 2
    assert "/pages/3" in image.get_attribute("src") and image.is_visible()
    assert tab.locator("canvas[data-pdf-canvas]").count() == 0
    assert not [url for url in asked if re.search(r"/documents/\d+/file|pdf\.worker", url)]  # no copy, no worker

    choose(tab, "ink")
    touch_stroke(tab, [(100, 300), (150, 320), (200, 310)])
    choose(tab, "highlight")
    touch_stroke(tab, [(60, 57), (120, 57), (200, 57)])  # snaps to the server's words, as with pdf.js
    saved(tab)
    stored = {a["kind"]: a for a in annotations(board, board.member, doc_id)}
    assert set(stored) == {"ink", "highlight"} and {a["page"] for a in stored.values()} == {3}
    assert abs(stored["ink"]["paths"][0][0][0] - 100) < 2 and abs(stored["ink"]["paths"][0][0][1] - 300) < 2
    assert stored["highlight"]["rects"][0][0] < 62
    tab.locator("[data-action=prev]").tap()
    tab.wait_for_function("img => img.complete && new URL(img.src).pathname.endsWith('/pages/2')",
                          arg=image.element_handle())
