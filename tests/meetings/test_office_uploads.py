"""Office files uploaded to a meeting (issue 22): each converted by the real LibreOffice becomes a
document whose personal copy has the author's pages, its Vietnamese text and every font embedded;
a protected or damaged one is refused with its reason and leaves nothing behind."""
import shutil
import subprocess
import unicodedata

import pytest

from meetings.dossiers import convert
from tests.conftest import require_or_skip
from tests.dossiers import office_samples as samples
from tests.test_pdf_files import _font_rows

FORMATS = ["doc", "docx", "odt", "rtf", "xlsx", "xls", "pptx"]


@pytest.fixture(scope="module")
def libreoffice():
    for tool in ("soffice", "pdffonts"):
        if not shutil.which(tool):
            require_or_skip(f"{tool} is not installed (.ci/run installs LibreOffice and poppler-utils)")
    samples.convert_all(FORMATS)  # two at a time, once for both databases


@pytest.fixture
def cached(monkeypatch, libreoffice):
    monkeypatch.setattr(convert, "to_pdf", samples.cached_to_pdf)


def _words(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def _fonts(pdf: bytes, tmp_path) -> list[dict]:
    path = tmp_path / "copy.pdf"
    path.write_bytes(pdf)
    listed = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, timeout=60, check=True)
    return _font_rows(listed.stdout)


def test_each_office_format_becomes_a_document_with_its_pages_text_and_fonts(board, cached, tmp_path):
    import pymupdf

    meeting_id = board.meeting()["id"]
    for ext in FORMATS:
        pages, words, font = samples.EXPECTED[ext]
        response = board.upload(meeting_id, samples.sample(ext), filename=f"Hồ sơ họp.{ext}")
        assert (response.status_code, response.json["state"]) == (202, "ready"), (ext, response.json)
        assert response.json["pages"] == pages, ext
        copy = board.get(board.member, f"/api/v1/documents/{response.json['id']}/file")
        assert copy.status_code == 200, ext
        with pymupdf.open(stream=copy.data, filetype="pdf") as doc:
            assert doc.page_count == pages, ext
            text = _words("".join(page.get_text() for page in doc))
        assert _words(words) in text, (ext, text[:300])
        fonts = _fonts(copy.data, tmp_path)
        assert fonts and all(row["emb"] == "yes" for row in fonts), (ext, fonts)
        assert any(font in row["name"] for row in fonts), (ext, [row["name"] for row in fonts])
        assert any(f.endswith(f"v1.{ext}") for f in board.stored()["files"]), ext  # the original, for admins
    hits = board.get(board.member, f"/api/v1/meetings/{meeting_id}/search?q=dang uy bo de nghi").json["hits"]
    assert len({h["document_id"] for h in hits}) == 4  # the four text formats, found without diacritics


@pytest.mark.parametrize("make, filename, code, words", [
    (samples.encrypted_docx, "Tờ trình mật.docx", "encrypted", "mật khẩu"),
    (lambda: samples.sample("xlsx")[:4000], "Kinh phí.xlsx", "broken_office", "bị hỏng"),
], ids=["password-protected docx", "truncated xlsx"])
def test_a_protected_or_damaged_office_file_is_refused_with_its_reason(board, make, filename, code, words):
    meeting_id = board.meeting()["id"]
    before = board.stored()
    response = board.upload(meeting_id, make(), filename=filename)
    assert (response.status_code, response.json["error"]["code"]) == (422, code)
    assert words in response.json["error"]["message"]  # in Vietnamese, the UI's default
    assert board.stored() == before


def test_office_files_are_refused_clearly_without_libreoffice(board, monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # no soffice anywhere
    meeting_id = board.meeting()["id"]
    before = board.stored()
    response = board.upload(meeting_id, samples.sample("docx"), filename="Dự thảo.docx")
    # Conversion is the worker's: the upload is taken (202), then the document is refused with the reason.
    assert (response.status_code, response.json["state"]) == (202, "refused")
    assert response.json["refusal"]["code"] == "conversion_unavailable"
    assert "LibreOffice" in response.json["refusal"]["message"]
    assert board.stored() == {**before, "meeting_documents": before["meeting_documents"] + 1}


def test_start_up_says_once_that_office_files_will_be_refused(make_app, monkeypatch, tmp_path, caplog):
    monkeypatch.setenv("PATH", str(tmp_path))
    make_app()
    assert [r for r in caplog.records if "LibreOffice" in r.getMessage()]
