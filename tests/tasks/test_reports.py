"""The report's numbers against a hand-made set of tasks: per unit, per column, exactly; the list
behind each number; the CSV (UTF-8 with BOM, Vietnamese intact) and the PDF (text extractable)."""
import csv
import io

import pymupdf
import pytest

from meetings.tasks import reports
from meetings.tasks.dates import parse_day
from tests.tasks.conftest import local

REPORT_NOW = local("2026-12-16 09:00")
PERIOD = "from=2026-12-01&to=2026-12-31"


@pytest.fixture
def ledger(app, office):
    """Ten tasks due in December that count, and two that do not."""
    t = {}
    done = lambda key, when: office.change(t[key], office.legal_head if key[0] == "L" else office.finance_head,
                                           now=local(when), status="done", note="Đã hoàn thành.")
    t["L1"] = office.task("Rà soát Nghị định về đất đai", due="2026-12-05")
    t["L2"] = office.task("Thẩm định dự thảo Thông tư", due="2026-12-05")
    t["L3"] = office.task("Góp ý dự án Luật Tài nguyên nước", due="2026-12-10")
    t["L4"] = office.task("Tổng kết công tác pháp chế năm 2026", due="2026-12-20")
    t["L5"] = office.task("Hoàn thiện hồ sơ chính sách", due="2026-12-08")
    t["L6"] = office.task("Nhiệm vụ đã hủy", due="2026-12-09")
    t["L7"] = office.task("Hạn sang năm", due="2027-01-05")
    t["F1"] = office.task("Báo cáo giải ngân vốn đầu tư công", unit=office.finance, due="2026-12-03")
    t["F2"] = office.task("Lập dự toán ngân sách năm 2027", unit=office.finance, due="2026-12-03")
    t["F3"] = office.task("Quyết toán kinh phí hội nghị", unit=office.finance, due="2026-12-15")
    t["F4"] = office.task("Phân bổ kinh phí quý I", unit=office.finance, due="2026-12-16")
    t["C1"] = office.task("Kế hoạch ứng phó biến đổi khí hậu", unit=office.climate, due="2026-12-02")
    done("L1", "2026-12-04 16:00")
    done("L2", "2026-12-07 10:00")
    office.change(t["L4"], office.legal_staff, now=local("2026-12-03 09:00"), note="Đang tổng hợp số liệu.")
    office.change(t["L5"], office.legal_head, now=local("2026-12-07 09:00"), status="extension_requested",
                  due="2026-12-18", note="Chờ ý kiến các Bộ.")
    office.change(t["L5"], office.secretary, now=local("2026-12-07 14:00"), status="approved")
    office.change(t["L6"], office.secretary, status="cancelled", note="Không còn cần thiết.")
    done("F1", "2026-12-03 23:30")
    done("F2", "2026-12-04 00:10")
    office.change(t["C1"], office.climate_head, now=local("2026-12-02 15:00"), status="done", note="Xong.")
    app.config["MEETINGS_FAKE_NOW"] = REPORT_NOW
    return t


def counts(row) -> list[int]:
    return [row.count(column) for column in reports.COLUMNS]


def test_numbers_per_unit_and_column(app, office, ledger):
    with app.app_context():
        from meetings.directory.services import get_user

        built = reports.build(get_user(office.secretary.id), parse_day("2026-12-01"), parse_day("2026-12-31"),
                              parse_day("2026-12-16"))
        table = {row.unit.name: counts(row) for row in built.rows}
        #                            assigned, on time, late, overdue, in progress
        assert table == {"Vụ Pháp chế": [5, 1, 1, 1, 2],
                         "Vụ Kế hoạch - Tài chính": [4, 1, 1, 1, 1],
                         "Cục Biến đổi khí hậu": [1, 1, 0, 0, 0]}
        assert counts(built.total) == [10, 3, 2, 2, 3]
        legal = next(row for row in built.rows if row.unit.name == "Vụ Pháp chế")
        ids = {column: [t.id for t in tasks] for column, tasks in legal.lists.items()}
        assert ids == {"assigned": [ledger[k] for k in ("L1", "L2", "L3", "L5", "L4")],
                       "done_on_time": [ledger["L1"]], "done_late": [ledger["L2"]], "overdue": [ledger["L3"]],
                       "in_progress": [ledger["L5"], ledger["L4"]]}


def test_the_page_links_each_number_to_its_list(client, office, ledger):
    client.post("/login", data={"email": office.secretary.email, "password": office.secretary.password})
    page = client.get(f"/tasks/report?{PERIOD}").get_data(as_text=True)
    assert f'column=overdue&amp;unit_id={office.legal}' in page or f"unit_id={office.legal}" in page
    listed = client.get(f"/tasks/report?{PERIOD}&column=overdue&unit_id={office.finance}").get_data(as_text=True)
    assert "Quyết toán kinh phí hội nghị" in listed and "Góp ý dự án Luật" not in listed
    assert 'data-days-overdue="1"' in listed


def test_a_period_with_one_end_takes_the_other_from_this_month(client, office, ledger):
    client.post("/login", data={"email": office.secretary.email, "password": office.secretary.password})
    page = client.get("/tasks/report?from=2026-12-10").get_data(as_text=True)
    assert "10/12/2026" in page and "31/12/2026" in page
    assert client.get("/tasks/report?from=2026-13-01").status_code == 422


def read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM that makes Excel read UTF-8
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_csv_from_the_api(client, office, ledger):
    response = client.get(f"/api/v1/reports/tasks.csv?{PERIOD}", headers=office.token(office.secretary))
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = read_csv(response.data)
    assert rows[0] == ["Đơn vị", "Được giao", "Hoàn thành đúng hạn", "Hoàn thành trễ hạn", "Quá hạn", "Đang thực hiện"]
    assert rows[1:5] == [["Cục Biến đổi khí hậu", "1", "1", "0", "0", "0"],  # in the unit tree's order
                         ["Vụ Kế hoạch - Tài chính", "4", "1", "1", "1", "1"], ["Vụ Pháp chế", "5", "1", "1", "1", "2"],
                         ["Tổng cộng", "10", "3", "2", "2", "3"]]
    details = {(row[0], row[1], row[3]) for row in rows[7:]}
    assert ("Vụ Pháp chế", "Quá hạn", "Góp ý dự án Luật Tài nguyên nước") in details
    assert ("Vụ Kế hoạch - Tài chính", "Hoàn thành trễ hạn", "Lập dự toán ngân sách năm 2027") in details
    assert len(details) == 10
    assert client.get("/api/v1/reports/tasks.csv?from=2026-12-31&to=2026-12-01",
                      headers=office.token(office.secretary)).status_code == 422


def test_pdf_text_is_extractable(client, office, ledger):
    client.post("/login", data={"email": office.secretary.email, "password": office.secretary.password})
    response = client.get(f"/tasks/report.pdf?{PERIOD}")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    with pymupdf.open(stream=response.data, filetype="pdf") as doc:
        assert doc[0].rect.width == pytest.approx(595, abs=1)  # A4 portrait
        text = "\n".join(page.get_text() for page in doc)
    assert "BÁO CÁO TÌNH HÌNH THỰC HIỆN NHIỆM VỤ" in text
    for words in ("Vụ Pháp chế", "Vụ Kế hoạch - Tài chính", "Góp ý dự án Luật Tài nguyên nước", "Quá hạn"):
        assert words in text
    assert "Nhiệm vụ đã hủy" not in text and "Hạn sang năm" not in text


def test_csv_cells_that_excel_would_run_are_written_as_text():
    assert reports._cell("=HYPERLINK(\"http://x\")") == "'=HYPERLINK(\"http://x\")"
    assert reports._cell("Rà soát") == "Rà soát"
