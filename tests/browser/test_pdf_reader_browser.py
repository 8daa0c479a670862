"""The reader on vector pages (issue 17): a tablet with touch at device scale 2 reads a `download` and an
`app` document drawn by pdf.js from the personal copy, crisp at 4x; no download control on `app`; a
`screen` document as server images; pdf.js's words agree with the server's on rotated pages and pages
whose boxes do not start at 0; and a following tablet turns with the presenter with no request."""
import os
import re
from io import BytesIO

import pymupdf
import pytest

from tests.browser.conftest import CHROMIUM_ARGS, TABLET, pdfjs_prefetched, sign_in  # noqa: F401
from tests.dossiers import pdfs
from tests.live.conftest import LiveMeeting

pytestmark = pytest.mark.browser

SHOTS = os.environ.get("PDF_READER_SHOTS")  # a folder: the reader at three sizes, to look at
SCALE2 = {**TABLET, "device_scale_factor": 2}
# The page's own reader module, under the build's address (meetings/assets.py): importing it again gets
# the same module, and so the page's one viewer.
MAIN = "import([...document.scripts].find((s) => s.src.includes('/reader/main.js')).src)"
PAGE_REQUESTS = re.compile(r"/api/v1/documents/\d+/(file|pages|thumbnails|words|layout)")


def odd_pages_pdf() -> bytes:
    """Page 1 plain; page 2 turned a quarter; page 3 with a MediaBox and a CropBox far from 0,0."""
    doc = pymupdf.open(stream=pdfs.text_pdf(2, rotations=(0, 90)), filetype="pdf")
    page = doc.new_page(width=595, height=842)
    doc.xref_set_key(page.xref, "MediaBox", "[100 200 695 1042]")
    doc.xref_set_key(page.xref, "CropBox", "[130 240 665 1002]")
    page = doc[2]
    page.insert_font(fontname="noto", fontbuffer=pdfs.vietnamese_font_buffer())
    page.insert_textbox(pymupdf.Rect(40, 60, 480, 400), "Trang 3. Khung trang lệch gốc tọa độ.", fontname="noto",
                        fontsize=12)
    doc.subset_fonts()
    return doc.tobytes(garbage=3, deflate=True)


def heavy_pdf(pages: int = 8) -> bytes:
    """Text pages each with a photo-like (incompressible) picture: ~40 KiB a page, so that the copy is
    read in byte ranges rather than in one request."""
    import random

    doc = pymupdf.open(stream=pdfs.text_pdf(pages), filetype="pdf")
    noise = random.Random(17)
    for page in doc:
        picture = pymupdf.Pixmap(pymupdf.csRGB, 120, 110, noise.randbytes(120 * 110 * 3), False)
        page.insert_image(pymupdf.Rect(50, 300, 290, 520), pixmap=picture)
    return doc.tobytes(garbage=3, deflate=True)


def _upload(meeting, data: bytes, title: str, access: str) -> int:
    form = {"file": (BytesIO(data), "tai-lieu.pdf"), "title": title, "audience": "all", "access": access}
    response = meeting.http.post(f"/api/v1/meetings/{meeting.id}/documents", data=form,
                                 headers=meeting.headers(meeting.secretary), content_type="multipart/form-data")
    # 202: taken, and (jobs run inline under TESTING) already checked by the worker's job.
    assert (response.status_code, response.get_json()["state"]) == (202, "ready"), response.get_data(as_text=True)
    return response.get_json()["id"]


@pytest.fixture
def live_app(make_app):
    from tests.live.conftest import NOW
    return make_app(WTF_CSRF_ENABLED=True, MEETINGS_FAKE_NOW=NOW)


def _reader(new_context, live_server, user, doc_id, query=""):
    tab = new_context(**SCALE2).new_page()
    sign_in(tab, live_server.url, user.email, user.password)
    tab.goto(f"{live_server.url}/reader/documents/{doc_id}{query}")
    tab.wait_for_function("() => window.__readerReady === true")
    return tab


def _drawn(tab, page: int):
    tab.wait_for_function("""(page) => {
        const holder = document.querySelector('[data-page-holder]');
        return holder.dataset.drawing === undefined && (holder.dataset.drawn || '').startsWith(page + ':');
    }""", arg=page)


def _page_pixels(tab) -> dict:
    """How many device pixels the page is drawn with across its width, and its CSS width."""
    return tab.evaluate("""() => {
        const holder = document.querySelector('[data-page-holder]');
        const base = holder.querySelector('canvas[data-pdf-canvas=base]');
        const detail = holder.querySelector('canvas[data-pdf-canvas=detail]');
        const css = holder.getBoundingClientRect().width;
        const shown = detail && !detail.hidden;
        const sharp = shown ? css * detail.width / detail.getBoundingClientRect().width : base.width;
        // The sharp part must paint over the capped page (later in the document), inside the view.
        const onTop = !shown || Boolean(base.compareDocumentPosition(detail) & Node.DOCUMENT_POSITION_FOLLOWING);
        return {css, pixels: sharp, base: base.width, onTop};
    }""")


def _words_agree(tab, doc_id: int, page: int) -> int:
    """pdf.js's runs of text (converted once to our space) against the server's words that the highlight
    snaps to: each run holds exactly the server's words on its baseline between its ends, starting and
    ending where they do (within 1 pt). Runs the server does not know are the reader's stamp, which
    only the personal copy has. Returns how many runs matched."""
    return tab.evaluate("""async ([docId, page]) => {
        const { viewer } = await READER_MAIN;
        const runs = await viewer.pdf.runs(page);
        const words = (await (await fetch(`/api/v1/documents/${docId}/pages/${page}/words`)).json()).words;
        let matched = 0, used = 0;
        for (const [x0, , x1, baseline, text] of runs) {
            const on = words.filter((w) => w[1] < baseline && baseline < w[3] && w[0] > x0 - 1 && w[2] < x1 + 1);
            if (!on.length) {  // the stamp: name, time, date
                if (!/Thành viên|\\d\\d:\\d\\d|\\d{2}\\/\\d{2}\\/\\d{4}/.test(text)) throw new Error(text);
                continue;
            }
            const joined = on.map((w) => w[4]).join(' ');
            if (joined !== text) throw new Error(`run "${text}" vs words "${joined}"`);
            const off = Math.max(Math.abs(on[0][0] - x0), Math.abs(on[on.length - 1][2] - x1));
            if (off > 1) throw new Error(`run "${text}" off by ${off} pt`);
            matched += 1;
            used += on.length;
        }
        if (used !== words.length) throw new Error(`${words.length - used} server words in no run`);
        return matched;
    }""".replace("READER_MAIN", MAIN), [doc_id, page])


def _shots(tab, name: str):
    if not SHOTS:
        return
    for width, height in [(1024, 1366), (1180, 820), (390, 844)]:
        tab.set_viewport_size({"width": width, "height": height})
        tab.wait_for_timeout(0)
        tab.screenshot(path=f"{SHOTS}/{name}-{width}x{height}.png")
    tab.set_viewport_size({"width": 1024, "height": 1366})


def test_download_and_app_documents_are_drawn_by_pdfjs_crisp_at_4x_and_screen_ones_as_images(
        live_app, live_server, new_context):
    meeting = LiveMeeting(live_app, members=1)
    member = meeting.members[0]
    download = _upload(meeting, odd_pages_pdf(), "Báo cáo tải về", "download")
    app_only = _upload(meeting, pdfs.text_pdf(2), "Dự thảo đọc trong ứng dụng", "app")
    screen = _upload(meeting, pdfs.text_pdf(2), "Phương án mật", "screen")

    tab = _reader(new_context, live_server, member, download)
    assert tab.locator("[data-reader-app]").get_attribute("data-drawn-by") == "pdfjs"
    _drawn(tab, 1)
    one = _page_pixels(tab)
    assert abs(one["base"] - 2 * one["css"]) <= 2  # scale x devicePixelRatio, exactly
    assert tab.locator("[data-download-annotated]").count() == 1
    _shots(tab, "pdf-download")
    tab.evaluate(f"async () => (await {MAIN}).viewer.setZoom(4)")
    _drawn(tab, 1)
    four = _page_pixels(tab)
    assert four["css"] >= 3.9 * one["css"] and four["pixels"] >= 4 * one["css"] * 2 - 4  # sharp, not stretched
    assert four["onTop"]
    tab.evaluate(f"async () => (await {MAIN}).viewer.setZoom(6)")
    _drawn(tab, 1)
    assert _page_pixels(tab)["pixels"] >= 6 * one["css"] * 2 - 6
    for page in (1, 2, 3):
        assert _words_agree(tab, download, page) >= 1

    tab = _reader(new_context, live_server, member, app_only)
    assert tab.locator("[data-reader-app]").get_attribute("data-drawn-by") == "pdfjs"
    _drawn(tab, 1)
    assert tab.locator("[data-download], [data-download-annotated], [data-print]").count() == 0
    assert tab.locator("[data-read-only]").count() == 1  # said in the side panel
    _shots(tab, "pdf-app")

    tab = _reader(new_context, live_server, member, screen)
    assert tab.locator("[data-reader-app]").get_attribute("data-drawn-by") == "images"
    image = tab.locator("[data-page-image]")
    tab.wait_for_function("img => img.complete && img.naturalWidth >= 1024", arg=image.element_handle())
    assert "/pages/1" in image.get_attribute("src") and tab.locator("canvas[data-pdf-canvas]").count() == 0
    _shots(tab, "screen-images")


def test_a_following_tablet_turns_with_the_presenter_without_a_request(live_app, live_server, new_context):
    meeting = LiveMeeting(live_app, members=1)
    doc_id = _upload(meeting, heavy_pdf(), "Tờ trình", "download")
    context = new_context(**SCALE2)
    copy = []
    context.on("request", lambda r: copy.append(r.headers.get("range")) if "/file" in r.url else None)
    tab = context.new_page()
    sign_in(tab, live_server.url, meeting.members[0].email, meeting.members[0].password)
    tab.goto(f"{live_server.url}/reader/documents/{doc_id}?follow={meeting.id}")
    _drawn(tab, 1)
    tab.wait_for_function("() => window.__pdfWhole === true")  # it holds the document now
    assert any(r and r.startswith("bytes=") for r in copy)  # page 1 came from ranges, not the whole file
    asked = []
    tab.on("request", lambda r: asked.append(r.url) if PAGE_REQUESTS.search(r.url) else None)
    for page in (2, 5, 8, 3):
        meeting.call(meeting.chair, "POST", f"/api/v1/meetings/{meeting.id}/presenter",
                     {"document_id": doc_id, "page": page, "zoom": 1})
        _drawn(tab, page)
    assert tab.evaluate("() => window.__followedPage") == 3
    assert asked == []


# Page 1 while pdf.js starts (view.js showPreview): whether the server's image or pdf.js's canvas is on
# screen, and where the page and each of them sit.
SWAP = """() => {
    const holder = document.querySelector('[data-page-holder]');
    const image = holder.querySelector('[data-page-image]'), canvas = holder.querySelector('canvas[data-pdf-canvas=base]');
    const box = (node) => { const r = node.getBoundingClientRect(); return [r.x, r.y, r.width, r.height].map(Math.round); };
    return {previewing: holder.dataset.previewing !== undefined, src: image.getAttribute('src') || '',
        image: image.hidden ? null : box(image), holder: box(holder),
        canvas: canvas && getComputedStyle(canvas).visibility === 'visible' ? box(canvas) : null,
        marks: ['image', 'pdf'].filter((m) => performance.getEntriesByName('reader:first-page-' + m).length)};
}"""


@pytest.mark.parametrize("access", ["app", "download"])
def test_a_tablet_without_pdfjs_sees_page_ones_image_first_then_pdfjs_in_its_place(
        access, live_app, live_server, new_context):
    from tests.browser.test_reader_browser import choose, saved, touch_stroke

    meeting = LiveMeeting(live_app, members=1)
    member = meeting.members[0]
    doc_id = _upload(meeting, pdfs.text_pdf(2), "Dự thảo", access)
    sizes = [(1024, 1366), (820, 1180), (390, 844)] if SHOTS else [(1024, 1366)]
    for width, height in sizes:
        context = new_context(**{**SCALE2, "viewport": {"width": width, "height": height}})
        tab = context.new_page()
        sign_in(tab, live_server.url, member.email, member.password)
        # Cleared before the prefetch had set it, the cookie came back when the prefetch finished late
        # (a loaded machine), and the reader then showed no image at all.
        pdfjs_prefetched(tab)
        context.clear_cookies(name="meetings_pdfjs")
        held = []  # the copy, kept back: pdf.js cannot draw until it is let through
        copy = re.compile(r"/api/v1/documents/\d+/file")
        hold = lambda route: held.append(route)  # noqa: E731  (a function object, as Playwright wants)
        context.route(copy, hold)
        tab.goto(f"{live_server.url}/reader/documents/{doc_id}")
        tab.wait_for_function("() => performance.getEntriesByName('reader:first-page-image').length > 0")
        tab.wait_for_function("() => document.querySelector('[data-page-image]').complete")
        before = tab.evaluate(SWAP)
        own = "&stamped=1" if access == "app" else ""
        assert before["previewing"] and before["src"] == f"/api/v1/documents/{doc_id}/pages/1?width=1024{own}"
        assert before["image"] == before["holder"] and before["canvas"] is None and before["marks"] == ["image"]
        if SHOTS:
            tab.screenshot(path=f"{SHOTS}/first-page-{access}-image-{width}x{height}.png")
        if width == 1024:  # the tools work on the image as on pdf.js's page: ink, kept where it was drawn
            choose(tab, "ink")
            touch_stroke(tab, [(100, 300), (150, 320), (200, 310), (250, 330)])
            choose(tab, "read")
            saved(tab)
            before = tab.evaluate(SWAP)  # the tray unfolded: a smaller view, the page laid out again
            assert before["previewing"] and before["image"] == before["holder"] and before["canvas"] is None
        assert held, "pdf.js asked for the copy"
        for route in held:
            route.continue_()
        context.unroute(copy, hold)
        _drawn(tab, 1)
        tab.wait_for_function("() => performance.getEntriesByName('reader:first-page-pdf').length > 0")
        after = tab.evaluate(SWAP)
        # The canvas in the image's place, the page where it was: nothing moves.
        assert not after["previewing"] and after["image"] is None and after["canvas"] == before["holder"]
        assert after["holder"] == before["holder"] and after["marks"] == ["image", "pdf"]
        assert tab.locator("[data-reader-app]").get_attribute("data-drawn-by") == "pdfjs"
        if SHOTS:
            tab.screenshot(path=f"{SHOTS}/first-page-{access}-pdfjs-{width}x{height}.png")
        if width == 1024:
            tab.wait_for_function("() => window.__readerReady === true")
            stored = meeting.call(member, "GET", f"/api/v1/documents/{doc_id}/annotations")["annotations"]
            assert [a["kind"] for a in stored] == ["ink"]
            assert tab.locator("[data-overlay] [data-id]").count() == 1  # still drawn over pdf.js's page
            # This browser holds pdf.js now (a cookie says so): the next reading names no image.
            tab.reload()
            tab.wait_for_function("() => window.__readerReady === true")
            assert tab.locator("[data-reader-app]").get_attribute("data-preview") is None
            tab.wait_for_function("() => performance.getEntriesByName('reader:first-page').length > 0")
            assert tab.evaluate(SWAP)["marks"] == ["pdf"]
        context.close()
