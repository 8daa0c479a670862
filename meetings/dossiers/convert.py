"""Office documents (DOCX, ODT, XLSX) to PDF with LibreOffice in headless mode, when it is installed.

Each conversion gets its own LibreOffice profile directory: two conversions sharing one profile
were seen to produce a single PDF between them. Without `soffice` the upload is refused, saying so.
"""
import io
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _

from meetings.dossiers.errors import NotAPdf, PdfUnreadable

# The ZIP entry that tells each format apart (all three are ZIP files; the extension alone proves nothing).
OFFICE_FORMATS = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml", "odt": "content.xml"}
TIMEOUT_SECONDS = 120


def office_format(data: bytes, filename: str) -> str | None:
    """"docx"/"xlsx"/"odt" when the file really is one (by content, named accordingly), else None."""
    ext = Path(filename or "").suffix.lower().lstrip(".")
    if ext not in OFFICE_FORMATS or not data.startswith(b"PK\x03\x04"):
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if ext == "odt" and archive.read("mimetype") != b"application/vnd.oasis.opendocument.text":
                return None
    except (zipfile.BadZipFile, KeyError):
        return None
    return ext if OFFICE_FORMATS[ext] in names else None


def soffice() -> str | None:
    return current_app.config.get("MEETINGS_SOFFICE") or shutil.which("soffice") or shutil.which("libreoffice")


def to_pdf(data: bytes, ext: str) -> bytes:
    program = soffice()
    if program is None:
        raise NotAPdf("conversion_unavailable", _(
            "Word, Excel and OpenDocument files cannot be converted here because LibreOffice is not "
            "installed. Save the file as PDF and upload the PDF."))
    with tempfile.TemporaryDirectory(prefix="meetings-convert-") as work:
        work_dir = Path(work)
        source = work_dir / f"document.{ext}"
        source.write_bytes(data)
        profile = (work_dir / "profile").as_uri()
        command = [program, f"-env:UserInstallation={profile}", "--headless", "--norestore",
                   "--convert-to", "pdf", "--outdir", str(work_dir / "out"), str(source)]
        try:
            subprocess.run(command, check=True, capture_output=True, timeout=TIMEOUT_SECONDS, cwd=work)
            return (work_dir / "out" / "document.pdf").read_bytes()
        except (subprocess.SubprocessError, OSError) as exc:
            raise PdfUnreadable("conversion_failed", _(
                "LibreOffice could not convert this file to PDF. Save it as PDF and upload the PDF.")) from exc
