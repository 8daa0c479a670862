"""Office files recognised by their content, refused with their reason (password, damage, a format we
do not take), and LibreOffice run bounded: its profile forbids macros, a time limit kills the whole
process group, a memory limit holds. No conversion runs here except through stand-in programs that
test our process handling (the conversions themselves are in test_office_conversion.py)."""
import io
import os
import select
import stat
import sys
import time
import zipfile

import pytest

from meetings.dossiers import convert, office
from meetings.dossiers.errors import PdfRejected
from meetings.dossiers.sheets import fit_sheets_to_width
from tests.dossiers import office_samples as samples
from tests.dossiers import pdfs


@pytest.mark.parametrize("ext, expected", [
    ("docx", ("docx", "text")), ("docm", ("docm", "text")), ("rtf", ("rtf", "text")), ("odt", ("odt", "text")),
    ("xlsx", ("xlsx", "spreadsheet")), ("pptx", ("pptx", "presentation")),
])
def test_office_files_are_known_by_their_content_whatever_their_name(ext, expected):
    data = samples.sample(ext)
    for name in (f"Tờ trình.{ext}", "Tờ trình.pdf", "không tên"):
        found = office.recognise(data, name)
        assert (found.ext, found.kind) == expected, name


def test_the_binary_formats_are_known_by_their_main_stream():
    samples.make_all(["doc", "xls"])  # written by LibreOffice, once per session
    doc, xls = samples.sample("doc"), samples.sample("xls")
    assert office.recognise(doc, "a.xls").ext == "doc"
    assert office.recognise(xls, "a.doc").ext == "xls"


@pytest.mark.parametrize("data, name", [
    (pdfs.text_pdf(1), "Báo cáo.docx"),  # a PDF named .docx is a PDF
    (b"<html><body>Report</body></html>", "bao-cao.doc"),
    (b"PK\x03\x04 a docx in disguise", "x.pdf"),  # a broken ZIP not named as an office file
])
def test_what_is_no_office_file_is_left_to_the_pdf_check(data, name):
    assert office.recognise(data, name) is None


def test_a_zip_that_is_no_office_file_is_refused_naming_what_is_accepted(app):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("photos/1.jpg", b"\xff\xd8")
    assert office.recognise(out.getvalue(), "ảnh.zip") is None
    with app.test_request_context():
        from meetings.dossiers.documents import received

        with pytest.raises(PdfRejected) as refused:  # refused in the request, before the worker
            received(out.getvalue(), "ảnh.zip")
    assert (refused.value.status, refused.value.code) == (415, "not_pdf")
    for accepted in (".doc", ".docx", ".rtf", ".xls", ".xlsx", ".ppt", ".pptx", ".odt", ".ods", ".odp", "PDF"):
        assert accepted in refused.value.message


def test_a_password_protected_docx_is_refused_as_such():
    with pytest.raises(PdfRejected) as refused:
        office.recognise(samples.encrypted_docx(), "Tờ trình mật.docx")
    assert (refused.value.status, refused.value.code) == (422, "encrypted")
    assert "password" in refused.value.message and "Word" in refused.value.message


def test_a_truncated_xlsx_is_refused_as_damaged():
    data = samples.sample("xlsx")
    with pytest.raises(PdfRejected) as refused:
        office.recognise(data[: len(data) * 2 // 3], "Kinh phí.xlsx")
    assert (refused.value.status, refused.value.code) == (422, "broken_office")
    assert "Excel" in refused.value.message and "damaged" in refused.value.message


def test_an_opendocument_file_with_a_password_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", b"\x93\x11 encrypted bytes")
        archive.writestr("META-INF/manifest.xml", '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:'
                         'xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="content.xml"><manifest:'
                         'encryption-data/></manifest:file-entry></manifest:manifest>')
    with pytest.raises(PdfRejected) as refused:
        office.recognise(out.getvalue(), "x.odt")
    assert refused.value.code == "encrypted"


def test_every_sheet_is_set_to_print_one_page_wide():
    import openpyxl

    fitted = openpyxl.load_workbook(io.BytesIO(fit_sheets_to_width(samples.sample("xlsx"), "xlsx")))
    for sheet in fitted.worksheets:
        assert sheet.sheet_properties.pageSetUpPr.fitToPage is True, sheet.title
        assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0), sheet.title
    assert fit_sheets_to_width(b"PK\x03\x04 broken", "xlsx") == b"PK\x03\x04 broken"  # left to LibreOffice


def test_the_profile_forbids_macros_and_vba(tmp_path):
    convert.write_profile(tmp_path / "profile")
    settings = (tmp_path / "profile" / "user" / "registrymodifications.xcu").read_text()
    assert '"MacroSecurityLevel" oor:op="fuse"><value>3<' in settings
    assert '"DisableMacrosExecution" oor:op="fuse"><value>true<' in settings
    for application in ("Writer", "Calc"):
        assert (f'Office.{application}/Filter/Import/VBA"><prop oor:name="Executable" oor:op="fuse">'
                f'<value>false<') in settings


def _program(tmp_path, body: str) -> str:
    """A stand-in for soffice, only to test how we start, bound and stop the program."""
    path = tmp_path / "soffice"
    path.write_text(f"#!{sys.executable}\n{body}")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return str(path)


def test_a_conversion_past_its_time_is_stopped_with_everything_it_started(tmp_path):
    pids = tmp_path / "pids"
    # A program that never finishes (it waits for a signal), with a child of its own that never does either.
    program = _program(tmp_path, f"""import signal, subprocess, sys
child = subprocess.Popen([sys.executable, "-c", "import signal; signal.pause()"])  # as oosplash starts soffice.bin
open({str(pids)!r}, "w").write(str(child.pid))
signal.pause()
""")
    started = time.monotonic()
    with pytest.raises(PdfRejected) as refused:
        convert.to_pdf(samples.sample("rtf"), office.recognise(samples.sample("rtf")), program,
                       convert.Limits(timeout=1.5))
    assert (refused.value.status, refused.value.code) == (422, "conversion_timeout")
    assert time.monotonic() - started < 10
    child = int(pids.read_text())
    try:
        handle = os.pidfd_open(child)  # readable once the process has ended (a zombie counts)
    except ProcessLookupError:
        return  # already gone
    try:
        ended, _, _ = select.select([handle], [], [], 5)
    finally:
        os.close(handle)
    assert ended, "the program's child outlived the time limit"


def test_a_conversion_gets_no_more_memory_than_its_limit(tmp_path):
    # Writes its PDF only if it got the memory it asked for: without the limit this test fails.
    program = _program(tmp_path, f"""import os, sys
try:
    block = bytearray(400 * 1024 * 1024)
except MemoryError:
    sys.exit(3)
out = sys.argv[sys.argv.index("--outdir") + 1]
os.makedirs(out, exist_ok=True)
open(os.path.join(out, "document.pdf"), "wb").write({pdfs.text_pdf(1)!r})
""")
    with pytest.raises(PdfRejected) as refused:
        convert.to_pdf(samples.sample("rtf"), office.recognise(samples.sample("rtf")), program,
                       convert.Limits(memory=200 * 1024 * 1024))
    assert refused.value.code == "conversion_failed"


def test_without_libreoffice_office_files_are_refused_saying_so():
    with pytest.raises(PdfRejected) as refused:
        convert.to_pdf(samples.sample("docx"), office.recognise(samples.sample("docx")), None)
    assert (refused.value.status, refused.value.code) == (415, "conversion_unavailable")
    assert "LibreOffice" in refused.value.message
