"""Search on a tablet: a member types words without diacritics, reads the hits grouped by kind with
the words marked, opens all the document hits, and taps one to land in the reader at that page.
A meeting she does not attend gives her nothing. Screenshots to SEARCH_SHOTS (a folder) when set."""
import os

import pytest

from meetings.directory.models import User
from meetings.dossiers import documents
from meetings.dossiers import services as dossiers
from meetings.extensions import db
from tests.browser.conftest import sign_in
from tests.factories import Factories
from tests.search.world import NOW

pytestmark = pytest.mark.browser
READER_READY = "() => window.__readerReady === true"
SIZES = {"tablet": (1024, 1366), "landscape": (1180, 820), "phone": (390, 844)}


@pytest.fixture
def live_app(make_app):
    return make_app(WTF_CSRF_ENABLED=True, MEETINGS_FAKE_NOW=NOW)


def _office(app):
    make = Factories(app)
    secretary, member = make.user("secretary"), make.user("member", name="Trần Thị Thu")
    with app.app_context():
        actor = db.session.get(User, secretary.id)

        def meeting(title, start, people):
            return dossiers.create_meeting({"title": title, "start": start, "end": start.replace("T08", "T10"),
                                            "status": "published", "participants": people}, actor, NOW).id

        mine = meeting("Họp về kiểm định phương tiện", "2026-12-03T08:00", [{"user_id": member.id, "role": "member"}])
        other = meeting("Họp nội bộ Vụ Tài chính", "2026-12-04T08:00", [])
        pages = ["Mở đầu: tình hình chung.", "Kết quả KIỂM ĐỊNH xe cơ giới năm 2026 <đạt 98%>.", "Kết luận."]
        document = documents.upload(mine, _pages_pdf(pages), "Báo cáo kiểm định.pdf", {}, actor, NOW).id
        documents.upload(other, _pages_pdf(["Kiểm định nội bộ, không phát hành."]), "Mật.pdf", {}, actor, NOW)
    return member, mine, document


def _pages_pdf(texts: list[str]) -> bytes:
    import pymupdf

    from meetings.dossiers.pdf import vietnamese_font_buffer

    doc = pymupdf.open()
    for text in texts:
        page = doc.new_page(width=595, height=842)
        page.insert_font(fontname="noto", fontbuffer=vietnamese_font_buffer())
        page.insert_textbox(pymupdf.Rect(50, 50, 545, 792), text, fontname="noto", fontsize=12)
    doc.subset_fonts()
    return doc.tobytes(garbage=3, deflate=True)


def test_a_member_finds_a_page_by_words_without_diacritics_and_opens_it_in_the_reader(live_server, live_app,
                                                                                     new_context):
    member, meeting, document = _office(live_app)
    page = new_context().new_page()
    sign_in(page, live_server.url, member.email, member.password)
    page.locator("[data-search-link]").tap()  # the magnifier beside the bell, on every page
    page.fill("#f-q", "kiem dinh")
    page.get_by_role("button", name="Tìm kiếm").tap()
    page.wait_for_selector('[data-kind="document"]')

    groups = page.locator("section[data-kind]")
    assert [groups.nth(i).get_attribute("data-kind") for i in range(groups.count())] == ["document", "entry"]
    hits = page.locator('[data-kind="document"] .search-hit')
    assert hits.count() == 2  # page 1 by the title, page 2 by the text; nothing of the other meeting
    assert "không phát hành" not in page.content()
    marked = page.locator('[data-kind="document"] mark').all_inner_texts()
    assert "KIỂM ĐỊNH" in marked
    assert "<đạt 98%>" in hits.nth(1).inner_text()  # escaped, shown as typed
    for control in page.locator(".search-form input, .search-form select, .search-form button, .search-hit-link").all():
        box = control.bounding_box()
        assert box["height"] >= 44, control.evaluate("e => e.outerHTML")
    _shots(page)

    page.locator('[data-kind="document"] .search-hit-link').nth(1).tap()
    page.wait_for_url(f"**/reader/documents/{document}#page=2")
    page.wait_for_function(READER_READY)
    assert page.locator("[data-page-input]").input_value() == "2"


def _shots(page) -> None:
    folder = os.environ.get("SEARCH_SHOTS")
    if not folder:
        return
    os.makedirs(folder, exist_ok=True)
    for name, (width, height) in SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=os.path.join(folder, f"search-{name}.png"), full_page=True)
    page.set_viewport_size({"width": 1024, "height": 1366})
