"""Every PDF the app produces, checked by two outside tools: `qpdf --check` finds no warning and
`pdffonts` lists every font as embedded (a reader's viewer must not substitute fonts for Vietnamese).

One of each kind, fetched through its own door: personal (stamped) copy, merged dossier, annotated
copy, notes summary, printed week, minutes, conclusion notice (draft, issued and signed), task report.
"""
import shutil
import subprocess
import uuid
from datetime import datetime, timezone
from io import BytesIO

import pytest

from tests.calendar.conftest import NOW, Office
from tests.conftest import require_or_skip
from tests.meetings.conftest import Board
from tests.reader.conftest import ink, url
from tests.tasks.certs import p12, self_signed
from tests.tasks.test_minutes import RecordedMeeting
from tests.tasks.test_notice import NoticeOffice, sign_in


@pytest.fixture
def app(make_app):
    return make_app(MEETINGS_FAKE_NOW=NOW)


@pytest.fixture(scope="module")
def tools():
    for tool, package in (("qpdf", "qpdf"), ("pdffonts", "poppler-utils")):
        if not shutil.which(tool):
            require_or_skip(f"{tool} is not installed (apt-get install {package}): PDF checks skipped")


def assert_valid(pdf: bytes, kind: str, tmp_path) -> None:
    assert pdf.startswith(b"%PDF-"), f"{kind}: not a PDF"
    path = tmp_path / f"{kind}.pdf"
    path.write_bytes(pdf)
    # qpdf: 0 = clean, 2 = errors, 3 = warnings only; a clean file also prints no WARNING line.
    check = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True, timeout=60)
    said = check.stdout + check.stderr
    assert check.returncode == 0 and "WARNING" not in said, f"{kind}: qpdf --check says\n{said}"
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, timeout=60)
    assert fonts.returncode == 0, f"{kind}: pdffonts failed: {fonts.stderr}"
    not_embedded = [line for line in _font_rows(fonts.stdout) if line["emb"] != "yes"]
    assert not not_embedded, f"{kind}: fonts not embedded: {not_embedded}\n{fonts.stdout}"


def _font_rows(table: str) -> list[dict]:
    """pdffonts' table read by its dashed ruler (names may hold spaces, so columns go by position)."""
    lines = table.splitlines()
    ruler = next((n for n, line in enumerate(lines) if line.startswith("---")), None)
    if ruler is None:
        return []
    spans, start = [], 0
    for part in lines[ruler].split(" "):
        spans.append((start, start + len(part)))
        start += len(part) + 1
    header = [lines[ruler - 1][a:b].strip() for a, b in spans]
    return [dict(zip(header, (line[a:b].strip() for a, b in spans))) for line in lines[ruler + 1:] if line.strip()]


def test_dossier_files(app, client, tools, tmp_path):
    board = Board(app, client)
    meeting = board.meeting()
    board.post(board.secretary, f"/api/v1/meetings/{meeting['id']}/agenda", {"title": "Dự thảo Nghị định"})
    doc = board.document(meeting["id"])
    notes = {"highlight": {"page": 3, "kind": "highlight", "rects": [[50, 60, 200, 75]], "color": "#ffd400"},
             "note": {"page": 1, "kind": "note", "rect": [500, 40, 520, 60], "text": "Hỏi lại Vụ Pháp chế"},
             "freetext": {"page": 2, "kind": "freetext", "rect": [60, 700, 300, 730], "text": "Đề nghị sửa Điều 5",
                          "color": "#1565c0"}}
    for body in [*notes.values(), ink(None)]:
        id_ = str(uuid.uuid4())
        saved = board.put(board.member, url(doc["id"], id_), {**body, "id": id_})
        assert saved.status_code in (200, 201), saved.json
    for kind, path in (("personal copy", f"/api/v1/documents/{doc['id']}/file"),
                       ("merged dossier", f"/api/v1/meetings/{meeting['id']}/dossier"),
                       ("annotated copy", f"/api/v1/documents/{doc['id']}/annotated"),
                       ("notes summary", f"/api/v1/meetings/{meeting['id']}/my-notes/pdf")):
        response = board.get(board.member, path)
        assert response.status_code == 200 and response.mimetype == "application/pdf", (kind, response.status_code)
        assert_valid(response.data, kind, tmp_path)


def test_printed_week(app, client, tools, tmp_path):
    office = Office(app)
    office.book(title="Họp giao ban Lãnh đạo Bộ", start="2026-11-30T08:00", end="2026-11-30T09:00")
    office.book(title="Làm việc với Vụ Pháp chế", start="2026-12-03T14:00", end="2026-12-03T15:00", leaders=[])
    headers = office.token(office.secretary)
    client.post("/api/v1/weeks/2026-W49/publish", headers=headers, json={})
    response = client.get("/schedule/week/2026-W49.pdf", headers=headers)
    assert response.status_code == 200
    assert_valid(response.data, "printed week", tmp_path)


def test_minutes_and_task_report(app, client, tools, tmp_path):
    held = RecordedMeeting(app)
    held.generate()
    response = client.get(f"/api/v1/meetings/{held.id}/minutes.pdf", headers=held.token(held.legal_head))
    assert response.status_code == 200
    assert_valid(response.data, "minutes", tmp_path)
    held.task()
    sign_in(client, held.secretary)
    report = client.get("/tasks/report.pdf?from=2026-12-01&to=2026-12-31")
    assert report.status_code == 200 and report.mimetype == "application/pdf"
    assert_valid(report.data, "task report", tmp_path)


def test_conclusion_notices(app, client, tools, tmp_path):
    office = NoticeOffice(app)
    office.prepare(office.board)
    sign_in(client, office.clerk)
    preview = client.get(f"/tasks/meetings/{office.board}/notice/preview.pdf")
    assert preview.status_code == 200
    assert_valid(preview.data, "notice draft", tmp_path)
    assert_valid(office.issue(office.board)["pdf"], "notice", tmp_path)

    key, cert = self_signed("Văn phòng Bộ Nông nghiệp và Môi trường", datetime(2026, 1, 1, tzinfo=timezone.utc))
    client.post("/logout")
    sign_in(client, office.admin)
    uploaded = client.post("/tasks/signing", content_type="multipart/form-data", data={
        "certificate": (BytesIO(p12(key, cert, "mật khẩu")), "van-phong.p12"), "passphrase": "mật khẩu"})
    assert uploaded.status_code == 302
    other = office.dossier_meeting("Họp Hội đồng thi đua", with_conclusions=True)
    signed = office.issue(other)
    assert signed["signed"]
    assert_valid(signed["pdf"], "signed notice", tmp_path)
