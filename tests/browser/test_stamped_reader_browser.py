"""A participant's tablet reading a document they may not keep: every image the reader shows or
could show (page, the pages fetched ahead, zoomed widths, the thumbnail strip) carries their stamp,
so a long-press "Save image" never gives a clean page."""
import io
import os
import re
from urllib.parse import parse_qs, urlparse

import pytest
from PIL import Image, ImageChops

from meetings.dossiers.pages import page_image, thumbnail
from tests.browser.conftest import sign_in
from tests.dossiers import pdfs
from tests.browser.test_reader_browser import app, live_app  # noqa: F401  (one app at the reader's fixed clock)
from tests.reader.conftest import board  # noqa: F401  (the meeting board fixture)

pytestmark = pytest.mark.browser

SOURCE = pdfs.text_pdf(5, text="Dự thảo Quyết định phê duyệt phương án, chỉ đọc trên ứng dụng.")
SCREENSHOTS = os.environ.get("SCREENSHOTS")  # a folder: look at the screen after a run
IMAGE_URL = re.compile(r"/api/v1/documents/\d+/(pages|thumbnails)/\d+")


def difference(a: bytes, b: bytes) -> float:
    first, second = (Image.open(io.BytesIO(x)).convert("RGB") for x in (a, b))
    assert first.size == second.size
    histogram = ImageChops.difference(first, second).convert("L").histogram()
    return sum(value * count for value, count in enumerate(histogram)) / sum(histogram)


def clean(url: str) -> bytes:
    """What the image at `url` would be without anyone's stamp."""
    parsed = urlparse(url)
    kind, page = parsed.path.split("/")[-2:]
    if kind == "thumbnails":
        return thumbnail(SOURCE, int(page))
    return page_image(SOURCE, int(page), int(parse_qs(parsed.query).get("width", ["1024"])[0]))


def test_no_unstamped_image_anywhere_in_the_reader_of_a_restricted_document(board, live_server, new_context):
    meeting = board.meeting()["id"]
    doc_id = board.document(meeting, data=SOURCE, title="Dự thảo Quyết định", access="screen")["id"]
    tab = new_context().new_page()
    received = {}
    tab.on("response", lambda r: received.setdefault(r.url, r) if IMAGE_URL.search(r.url) else None)
    sign_in(tab, live_server.url, board.member.email, board.member.password)
    tab.goto(f"{live_server.url}/reader/documents/{doc_id}")
    tab.wait_for_function("() => window.__readerReady === true")
    tab.locator("[data-page-image]").evaluate("img => img.decode()")
    tab.locator("[data-action=panel]").tap()  # the page strip: every thumbnail
    tab.locator("[data-thumbs] img").first.wait_for()
    tab.wait_for_function("() => [...document.querySelectorAll('[data-thumbs] img')].every(i => i.complete)")
    tab.locator("[data-thumbs] [data-thumb='4']").tap()  # turn to page 4 from the strip
    tab.wait_for_function("() => document.querySelector('[data-page-holder]').dataset.page === '4'")
    if SCREENSHOTS:
        tab.screenshot(path=f"{SCREENSHOTS}/stamped-reader-tablet.png")

    # Every image address in the page (shown, prefetched, strip) and every image the tablet received.
    in_page = tab.evaluate("""() => [
        ...[...document.querySelectorAll('img')].map(i => i.currentSrc || i.src),
        ...[...document.querySelectorAll('*')].map(e => getComputedStyle(e).backgroundImage)
            .filter(b => b && b !== 'none').map(b => b.replace(/^url\\("?|"?\\)$/g, ''))]""")
    urls = {u for u in in_page if u and IMAGE_URL.search(u)} | set(received)
    assert any("/pages/" in u for u in urls) and sum("/thumbnails/" in u for u in urls) == 5
    for url in urls:
        served = tab.request.get(url)  # as the tablet: its cookies, its session
        assert served.status == 200, url
        assert served.headers["cache-control"] == "private, no-cache", url
        assert difference(served.body(), clean(url)) > 0.5, f"{url} is the clean page"
    for url, response in received.items():
        assert difference(response.body(), clean(url)) > 0.5, f"{url} reached the tablet clean"
