"""Written opinions in the browser, the issue's journey: a secretary sets up and sends a request with a
draft; the minister on a tablet reads it in the reader, annotates it and answers, while the
secretary's page counts the answer live; the deputy answers after the deadline and is refused; the
secretary closes the request and downloads the summary PDF, read back with pdftotext."""
import subprocess
from datetime import datetime, timezone

import pytest

from tests.browser.conftest import DESKTOP, sign_in
from tests.browser.test_reader_browser import choose, saved, touch_stroke
from tests.dossiers import pdfs
from tests.factories import Factories

pytestmark = pytest.mark.browser

NOW = datetime(2026, 12, 2, 3, 0, tzinfo=timezone.utc)  # 10:00 Wednesday in Hà Nội
AFTER = datetime(2026, 12, 4, 10, 0, tzinfo=timezone.utc)  # 17:00 Friday in Hà Nội: the deadline itself


@pytest.fixture
def live_app(make_app):
    return make_app(WTF_CSRF_ENABLED=True, MEETINGS_FAKE_NOW=NOW)


def test_send_read_annotate_answer_refuse_late_and_download_the_summary(live_app, live_server, new_context):
    make = Factories(live_app)
    secretary = make.user("secretary", name="Hoàng Thu Trang", unit="Văn phòng Bộ")
    minister = make.user("leader", name="Nguyễn Văn Minh", title="Bộ trưởng")
    deputy = make.user("leader", name="Lê Thị Hoa", title="Thứ trưởng")
    url = live_server.url

    desk = new_context(**DESKTOP).new_page()
    desk.on("dialog", lambda dialog: dialog.accept())
    sign_in(desk, url, secretary.email, secretary.password)
    desk.goto(f"{url}/consultations/new")
    desk.fill("#f-title", "Dự thảo Nghị định về quản lý phân bón")
    desk.fill("#f-deadline", "2026-12-04T17:00")
    desk.fill("#f-q1_text", "Đồng ý với dự thảo?")
    desk.select_option("#f-user_ids", [str(minister.id), str(deputy.id)])
    desk.locator("[data-consultation-form] button[type=submit]").click()
    desk.wait_for_url(lambda address: "/new" not in address)
    desk.set_input_files("#f-file", files=[{"name": "Dự thảo Nghị định.pdf", "mimeType": "application/pdf",
                                            "buffer": pdfs.text_pdf(3)}])
    desk.locator("form[enctype] button[type=submit]").click()
    desk.locator("[data-document]").wait_for()
    desk.get_by_role("button", name="Gửi phiếu lấy ý kiến").click()
    desk.locator("[data-status]", has_text="Đang lấy ý kiến").wait_for()
    consultation = desk.url.rsplit("/", 1)[1]
    desk.wait_for_function("() => window.__liveConnected === true")

    # The minister, on a tablet: the draft in the reader, an ink stroke on page 1, then the answer.
    tablet = new_context().new_page()
    sign_in(tablet, url, minister.email, minister.password)
    tablet.goto(f"{url}/consultations/{consultation}")
    tablet.locator("[data-document]").tap()
    tablet.wait_for_function("() => window.__readerReady === true")
    choose(tablet, "ink")
    touch_stroke(tablet, [(100, 300), (150, 320), (200, 310), (250, 330)])
    saved(tablet)
    document_id = tablet.url.split("/documents/")[1].split("#")[0].split("?")[0]
    mine = tablet.request.get(f"{url}/api/v1/documents/{document_id}/annotations").json()["annotations"]
    assert [a["kind"] for a in mine] == ["ink"]
    tablet.goto(f"{url}/consultations/{consultation}")
    tablet.get_by_label("Đồng ý", exact=True).check()
    tablet.locator("textarea[name=text_1]").fill("Đề nghị bổ sung Điều 5 về nhãn phân bón.")
    tablet.get_by_role("button", name="Gửi ý kiến").tap()
    tablet.locator(".flash-success").wait_for()
    # The secretary's open page counted it without a reload.
    desk.locator("[data-answered-count]", has_text="1").wait_for()

    # Past the deadline the deputy is refused, with the reason on screen.
    live_app.config["MEETINGS_FAKE_NOW"] = AFTER
    late = new_context().new_page()
    sign_in(late, url, deputy.email, deputy.password)
    late.goto(f"{url}/consultations/{consultation}")
    late.locator("input[name=no_opinion]").check()
    late.get_by_role("button", name="Gửi ý kiến").tap()
    late.locator(".flash-error", has_text="quá hạn").wait_for()

    # Closed, and the summary downloaded as the secretary's browser gets it.
    desk.reload()
    desk.get_by_role("button", name="Kết thúc và chốt bản tổng hợp").click()
    desk.locator("[data-status]", has_text="Đã kết thúc").wait_for()
    href = desk.locator("[data-summary-pdf]").get_attribute("href")
    response = desk.request.get(f"{url}{href}")
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    text = subprocess.run(["pdftotext", "-", "-"], input=response.body(), capture_output=True, check=True).stdout.decode()
    flat = " ".join(text.split())
    for words in ("BẢN TỔNG HỢP Ý KIẾN", "Nguyễn Văn Minh (Bộ trưởng)", "Đồng ý: 1",
                  "Đề nghị bổ sung Điều 5 về nhãn phân bón", "Lê Thị Hoa (Thứ trưởng)", "Chưa có ý kiến: 1"):
        assert words in flat, words
