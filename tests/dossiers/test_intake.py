"""Uploads: every bad file is refused with its status and code; a good one is sanitised and indexed."""
import pymupdf
import pytest

from meetings.dossiers.errors import PdfRejected
from meetings.dossiers.intake import intake
from tests.dossiers import pdfs


def refused(data: bytes, **limits) -> PdfRejected:
    with pytest.raises(PdfRejected) as caught:
        intake(data, **limits)
    assert caught.value.message  # a sentence a person can read
    return caught.value


def test_a_good_pdf_is_accepted_with_the_text_of_each_page():
    result = intake(pdfs.text_pdf(3))
    assert result.pages == 3
    assert "Trang 2." in result.texts[1]
    assert "Đảng ủy" in result.texts[2]
    assert pymupdf.open(stream=result.pdf, filetype="pdf").page_count == 3


@pytest.mark.parametrize("data, status, code", [
    (b"", 422, "empty_pdf"),
    (b"<!DOCTYPE html><html><body><h1>Report</h1></body></html>", 415, "not_pdf"),
    (b"PK\x03\x04 a docx in disguise", 415, "not_pdf"),
    (b"%PDF-1.7\n" + bytes(range(256)) * 40, 422, "broken_pdf"),
])
def test_bad_files_are_refused_with_a_reason(data, status, code):
    error = refused(data)
    assert (error.status, error.code) == (status, code)


def test_html_behind_a_pdf_header_is_still_not_a_pdf():
    # MuPDF parses anything as a PDF when told to; the header alone must not be enough either.
    error = refused(b"%PDF-1.4\n<html><body>" + b"<p>not a pdf</p>" * 50 + b"</body></html>")
    assert error.code in ("not_pdf", "broken_pdf", "empty_pdf")
    assert error.status in (415, 422)


def test_a_truncated_pdf_is_refused_or_repaired_never_crashes():
    data = pdfs.text_pdf(2)
    try:
        result = intake(data[: len(data) // 3])
    except PdfRejected as error:
        assert error.status == 422
    else:
        assert result.pages >= 1


def test_a_password_protected_pdf_is_refused():
    error = refused(pdfs.encrypted_pdf())
    assert (error.status, error.code) == (422, "encrypted")


def test_an_oversized_file_is_refused_before_it_is_parsed():
    data = pdfs.text_pdf(1)
    error = refused(data, max_bytes=len(data) - 1)
    assert (error.status, error.code) == (413, "too_large")


def test_too_many_pages_are_refused():
    error = refused(pdfs.text_pdf(5), max_pages=4)
    assert (error.status, error.code) == (413, "too_many_pages")
    assert error.details == {"pages": 5, "limit": 4}


def test_a_page_tree_that_claims_100000_pages_is_refused_before_any_page_is_read():
    data = pdfs.lying_page_tree_pdf(100_000)
    assert len(data) < 1_000_000
    error = refused(data)
    assert error.status in (413, 422)


def test_the_stored_copy_has_no_scripts_actions_or_attachments_but_keeps_text_and_web_links():
    source = pdfs.hostile_pdf()
    assert b"JavaScript" in source and b"payload.exe" in source
    result = intake(source)
    clean = pymupdf.open(stream=result.pdf, filetype="pdf")
    assert "Ordinary meeting minutes" in result.texts[0]
    assert "Ordinary meeting minutes" in clean[0].get_text()
    assert clean.embfile_count() == 0
    assert [link["uri"] for link in clean[0].get_links()] == ["https://example.org/"]
    assert list(clean[0].annots()) == []
    catalog = clean.xref_object(clean.pdf_catalog())
    for word in ("OpenAction", "AcroForm", "Names"):
        assert word not in catalog
    objects = "".join(clean.xref_object(x) for x in range(1, clean.xref_length()))
    for word in ("/JavaScript", "/JS", "/Launch", "/AA", "/EmbeddedFile", "/XFA", "calc.exe", "javascript:"):
        assert word not in objects


def test_text_of_a_page_without_text_is_empty():
    doc = pymupdf.open()
    doc.new_page().draw_rect(pymupdf.Rect(50, 50, 200, 200), fill=(0, 0, 0))
    assert intake(doc.tobytes()).texts == [""]


def test_a_pdf_with_only_an_owner_password_opens_and_is_stored_without_restrictions():
    result = intake(pdfs.encrypted_pdf(user_password=""))
    stored = pymupdf.open(stream=result.pdf, filetype="pdf")
    assert not stored.is_encrypted and "Confidential" in result.texts[0]
