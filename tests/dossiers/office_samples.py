"""Office files as a ministry sends them, made here: python-docx, python-pptx and openpyxl for the OOXML
ones, RTF and OpenDocument written by hand, and the old binary .doc and .xls by LibreOffice itself
from the .docx and .xlsx. Each is made once per test session, and so is each conversion to PDF
(`converted`), because LibreOffice takes seconds per file."""
import hashlib
import io
import subprocess
import tempfile
import threading
import zipfile
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from pathlib import Path

from meetings.dossiers import convert, office

# Two pages in every text format, broken where the author broke them.
PAGE_ONE = "Tờ trình về việc phê duyệt Đề án chuyển đổi số của Bộ"
PAGE_TWO = "Đảng ủy Bộ đề nghị các đơn vị góp ý dự thảo Nghị quyết"
SHEET_ROW = "Vụ Tổ chức cán bộ"
SLIDE = "Báo cáo tiến độ giải ngân vốn đầu tư công"
SLIDES = 3
# What each sample must become: pages, words to find, the font the named one is replaced by.
EXPECTED = {
    "doc": (2, PAGE_TWO, "LiberationSerif"), "docx": (2, PAGE_TWO, "LiberationSerif"),
    "odt": (2, PAGE_TWO, "LiberationSerif"), "rtf": (2, PAGE_TWO, "LiberationSerif"),
    # One page per sheet: the first is 16 columns wide, two pages across unless fitted to the width.
    "xlsx": (2, SHEET_ROW, "LiberationSerif"), "xls": (2, SHEET_ROW, "LiberationSerif"),
    "pptx": (SLIDES, SLIDE, "LiberationSans"),
}


def docx() -> bytes:
    import docx as python_docx
    from docx.enum.text import WD_BREAK
    from docx.shared import Pt

    document = python_docx.Document()
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = "Times New Roman", Pt(14)
    for style in ("Heading 1", "Title"):
        document.styles[style].font.name = "Times New Roman"
    document.add_paragraph(PAGE_ONE)
    document.add_paragraph("Kính gửi: Bộ trưởng. Căn cứ Nghị định số 12/2026/NĐ-CP, Văn phòng Bộ trình ...")
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    document.add_paragraph(PAGE_TWO)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def docm() -> bytes:
    """The .docx declared macro-enabled (Word's .docm main part)."""
    source, out = zipfile.ZipFile(io.BytesIO(docx())), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "[Content_Types].xml":
                content = content.replace(b"wordprocessingml.document.main+xml",
                                          b"ms-word.document.macroEnabled.main+xml")
            target.writestr(info, content)
    return out.getvalue()


def rtf() -> bytes:
    def escaped(text: str) -> str:
        return "".join(c if ord(c) < 128 and c not in "\\{}" else f"\\u{ord(c) if ord(c) < 32768 else ord(c) - 65536}?"
                       for c in text)

    return ("{\\rtf1\\ansi\\ansicpg1252\\deff0{\\fonttbl{\\f0\\froman Times New Roman;}}\\f0\\fs28 "
            f"{escaped(PAGE_ONE)}\\par\\page {escaped(PAGE_TWO)}\\par}}").encode("ascii")


def odt(macro_marker: Path | None = None) -> bytes:
    """An OpenDocument text; with `macro_marker`, carrying a Basic macro bound to the document's open
    event that would write that file."""
    ns = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
          'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
          'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" '
          'xmlns:script="urn:oasis:names:tc:opendocument:xmlns:script:1.0" xmlns:xlink="http://www.w3.org/1999/xlink"')
    scripts = ('<office:scripts><office:event-listeners><script:event-listener script:language="ooo:script" '
               'script:event-name="dom:load" xlink:type="simple" xlink:href="vnd.sun.star.script:Standard.Module1.'
               'Main?language=Basic&amp;location=document"/></office:event-listeners></office:scripts>'
               if macro_marker else "")
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns} office:version="1.3">{scripts}'
               '<office:font-face-decls><style:font-face style:name="Times New Roman" '
               'svg:font-family="&apos;Times New Roman&apos;" style:font-family-generic="roman"/></office:font-face-decls>'
               '<office:automatic-styles><style:style style:name="P1" style:family="paragraph"><style:text-properties '
               'style:font-name="Times New Roman" fo:font-size="14pt"/></style:style><style:style style:name="P2" '
               'style:family="paragraph"><style:paragraph-properties fo:break-before="page"/><style:text-properties '
               'style:font-name="Times New Roman" fo:font-size="14pt"/></style:style></office:automatic-styles>'
               f'<office:body><office:text><text:p text:style-name="P1">{PAGE_ONE}</text:p>'
               f'<text:p text:style-name="P2">{PAGE_TWO}</text:p></office:text></office:body></office:document-content>')
    entries = {"content.xml": content}
    if macro_marker:
        entries["Basic/script-lc.xml"] = (
            '<?xml version="1.0" encoding="UTF-8"?><library:libraries xmlns:library="http://openoffice.org/2000/library" '
            'xmlns:xlink="http://www.w3.org/1999/xlink"><library:library library:name="Standard" library:link="false"/>'
            '</library:libraries>')
        entries["Basic/Standard/script-lb.xml"] = (
            '<?xml version="1.0" encoding="UTF-8"?><library:library xmlns:library="http://openoffice.org/2000/library" '
            'library:name="Standard" library:readonly="false" library:passwordprotected="false">'
            '<library:element library:name="Module1"/></library:library>')
        entries["Basic/Standard/Module1.xml"] = (
            '<?xml version="1.0" encoding="UTF-8"?><script:module xmlns:script="http://openoffice.org/2000/script" '
            f'script:name="Module1" script:language="StarBasic">Sub Main\n  Open "{macro_marker}" For Output As #1\n'
            '  Print #1, "the macro ran"\n  Close #1\nEnd Sub\n</script:module>')
    manifest = "".join(f'<manifest:file-entry manifest:full-path="{name}" manifest:media-type="text/xml"/>'
                       for name in entries)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")  # first and stored, as ODF asks
        for name, text in entries.items():
            archive.writestr(name, text, zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", (
            '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:'
            'opendocument:xmlns:manifest:1.0" manifest:version="1.3"><manifest:file-entry manifest:full-path="/" '
            f'manifest:media-type="application/vnd.oasis.opendocument.text"/>{manifest}</manifest:manifest>'),
            zipfile.ZIP_DEFLATED)
    return out.getvalue()


def xlsx() -> bytes:
    import openpyxl
    from openpyxl.styles import Font

    book = openpyxl.Workbook()
    wide = book.active
    wide.title = "Kinh phí"
    wide.append(["Đơn vị"] + [f"Tháng {m}" for m in range(1, 13)] + ["Cả năm", "Ghi chú", "Người lập"])
    for row in range(1, 21):
        wide.append([f"{SHEET_ROW} {row}"] + [1_000 * row + m for m in range(12)] + [None, "Đã duyệt", "Trang"])
    people = book.create_sheet("Nhân sự")
    people.append(["Họ và tên", "Chức vụ"])
    people.append(["Nguyễn Văn Đức", "Vụ trưởng"])
    for sheet in (wide, people):
        for line in sheet.iter_rows():
            for cell in line:
                cell.font = Font(name="Times New Roman", size=12)
        sheet.column_dimensions["A"].width = 24
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def pptx() -> bytes:
    import pptx as python_pptx

    deck = python_pptx.Presentation()
    for number in range(1, SLIDES + 1):
        slide = deck.slides.add_slide(deck.slide_layouts[1])
        slide.shapes.title.text = f"{SLIDE} ({number})"
        slide.placeholders[1].text = "Ước tính kinh phí thực hiện năm 2026: đạt 85% kế hoạch"
        for shape in slide.shapes:
            for paragraph in shape.text_frame.paragraphs:
                for run in paragraph.runs:
                    run.font.name = "Arial"
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()


def encrypted_docx(password: str = "mật khẩu") -> bytes:
    import msoffcrypto.format.ooxml

    out = io.BytesIO()
    msoffcrypto.format.ooxml.OOXMLFile(io.BytesIO(docx())).encrypt(password, out)
    return out.getvalue()


def _by_libreoffice(data: bytes, source_ext: str, target_ext: str) -> bytes:
    """The old binary formats, written by LibreOffice from the new ones (as a ministry's old Office would)."""
    program = convert.find_soffice()
    with tempfile.TemporaryDirectory(prefix="meetings-sample-") as work:
        work_dir = Path(work)
        (work_dir / f"sample.{source_ext}").write_bytes(data)
        convert.write_profile(work_dir / "profile")
        subprocess.run([program, f"-env:UserInstallation={(work_dir / 'profile').as_uri()}", "--headless",
                        "--norestore", "--convert-to", target_ext, "--outdir", str(work_dir / "out"),
                        str(work_dir / f"sample.{source_ext}")], check=True, capture_output=True, timeout=180,
                       cwd=work, env={"PATH": "/usr/bin:/bin", "HOME": work})
        return (work_dir / "out" / f"sample.{target_ext}").read_bytes()


_LOCK = threading.Lock()


@cache
def sample(ext: str) -> bytes:
    makers = {"docx": docx, "docm": docm, "rtf": rtf, "odt": odt, "xlsx": xlsx, "pptx": pptx}
    if ext in makers:
        return makers[ext]()
    return {"doc": lambda: _by_libreoffice(docx(), "docx", "doc"),
            "xls": lambda: _by_libreoffice(xlsx(), "xlsx", "xls")}[ext]()


_PDFS: dict[str, bytes] = {}
_REAL_TO_PDF = convert.to_pdf  # kept before any test swaps in `cached_to_pdf`


def converted(data: bytes, filename: str = "") -> bytes:
    """The real conversion, once per distinct file in the session."""
    key = hashlib.sha256(data).hexdigest()
    with _LOCK:
        if key in _PDFS:
            return _PDFS[key]
    pdf = _REAL_TO_PDF(data, office.recognise(data, filename), convert.find_soffice())
    with _LOCK:
        _PDFS[key] = pdf
    return pdf


def cached_to_pdf(data: bytes, fmt, program, limits=convert.Limits()) -> bytes:
    """convert.to_pdf for the app under test: the same real conversion, done once per file per session."""
    if program is None:
        return _REAL_TO_PDF(data, fmt, program, limits)
    return converted(data, f"x.{fmt.ext}")


def make_all(exts) -> None:
    """Make several samples two at a time (the binary ones each take a LibreOffice run)."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(sample, exts))


def convert_all(exts) -> None:
    """Make and convert several samples two at a time (LibreOffice is mostly waiting on itself)."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(lambda ext: converted(sample(ext), f"x.{ext}"), exts))
