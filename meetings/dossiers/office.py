"""Which office format an upload is, read from its bytes, not its name.

Word, Excel and PowerPoint files come in two containers: the old binary ones are OLE2 compound files
told apart by their main stream (WordDocument, Workbook, PowerPoint Document), the newer ones ZIP
packages told apart by the main part's content type in [Content_Types].xml; OpenDocument names its
type in the `mimetype` entry. A name that says .docx proves nothing, but once the bytes show an office
container, the name helps to say what a damaged one was meant to be.
"""
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import olefile
from flask_babel import gettext as _
from flask_babel import lazy_gettext

from meetings.dossiers.errors import PdfUnreadable

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP = b"PK\x03\x04"
RTF = b"{\\rtf"
# How long a file may be before we stop looking inside it: the size limit is checked by the caller.
_ZIP_CONTENT_TYPES_MAX = 1_000_000


@dataclass(frozen=True)
class OfficeFormat:
    ext: str  # the extension LibreOffice is given and the original is kept under
    kind: str  # "text", "spreadsheet" or "presentation": how it is laid out in PDF
    family: str  # "word", "excel", "powerpoint" or "opendocument": what a refusal calls it


FAMILY_NAMES = {"word": lazy_gettext("Word"), "excel": lazy_gettext("Excel"),
                "powerpoint": lazy_gettext("PowerPoint"), "opendocument": lazy_gettext("OpenDocument")}
# Main part content types of the ZIP-based Office formats (ECMA-376 part 1, and the macro-enabled
# variants: they convert too, their macros never run).
_OOXML = [
    ("wordprocessingml.document.main+xml", OfficeFormat("docx", "text", "word")),
    ("wordprocessingml.template.main+xml", OfficeFormat("docx", "text", "word")),
    ("ms-word.document.macroEnabled.main+xml", OfficeFormat("docm", "text", "word")),
    ("ms-word.template.macroEnabledTemplate.main+xml", OfficeFormat("docm", "text", "word")),
    ("spreadsheetml.sheet.main+xml", OfficeFormat("xlsx", "spreadsheet", "excel")),
    ("spreadsheetml.template.main+xml", OfficeFormat("xlsx", "spreadsheet", "excel")),
    ("ms-excel.sheet.macroEnabled.main+xml", OfficeFormat("xlsm", "spreadsheet", "excel")),
    ("presentationml.presentation.main+xml", OfficeFormat("pptx", "presentation", "powerpoint")),
    ("presentationml.slideshow.main+xml", OfficeFormat("pptx", "presentation", "powerpoint")),
    ("ms-powerpoint.presentation.macroEnabled.main+xml", OfficeFormat("pptm", "presentation", "powerpoint")),
    ("ms-powerpoint.slideshow.macroEnabled.main+xml", OfficeFormat("pptm", "presentation", "powerpoint")),
]
_ODF = {"application/vnd.oasis.opendocument.text": OfficeFormat("odt", "text", "opendocument"),
        "application/vnd.oasis.opendocument.spreadsheet": OfficeFormat("ods", "spreadsheet", "opendocument"),
        "application/vnd.oasis.opendocument.presentation": OfficeFormat("odp", "presentation", "opendocument")}
_OLE_STREAMS = [("WordDocument", OfficeFormat("doc", "text", "word")),
                ("Workbook", OfficeFormat("xls", "spreadsheet", "excel")),
                ("Book", OfficeFormat("xls", "spreadsheet", "excel")),  # Excel 5/95
                ("PowerPoint Document", OfficeFormat("ppt", "presentation", "powerpoint"))]
# The file chooser's filter (a hint only: the server goes by content) and the formats the form names.
ACCEPT = ",".join([".pdf", ".doc", ".docx", ".docm", ".rtf", ".odt", ".xls", ".xlsx", ".xlsm", ".ods", ".ppt",
                   ".pptx", ".pptm", ".odp", "application/pdf"])
CONVERTED_EXTENSIONS = ("doc", "docx", "docm", "rtf", "odt", "xls", "xlsx", "xlsm", "ods", "ppt", "pptx", "pptm", "odp")
# What the name says, for a container too damaged to show what it holds.
_BY_EXTENSION = {f.ext: f for _, f in _OOXML + _OLE_STREAMS} | {f.ext: f for f in _ODF.values()}
_BY_EXTENSION |= {"rtf": OfficeFormat("rtf", "text", "word"), "dotx": _BY_EXTENSION["docx"],
                  "ppsx": _BY_EXTENSION["pptx"], "pps": _BY_EXTENSION["ppt"], "dot": _BY_EXTENSION["doc"]}


def by_extension(ext: str) -> OfficeFormat:
    """The format `recognise` named by its extension (the worker converts what the request recognised)."""
    return _BY_EXTENSION[ext]


def recognise(data: bytes, filename: str = "") -> OfficeFormat | None:
    """The office format of an upload; None when it is no office file we know (a PDF, or anything
    else: the PDF check then refuses it). Raises PdfUnreadable for an office file that is protected
    by a password or too damaged to open."""
    named = _BY_EXTENSION.get(Path(filename or "").suffix.lower().lstrip("."))
    if data.startswith(RTF):
        return _BY_EXTENSION["rtf"]
    if data.startswith(OLE2):
        return _ole(data, named)
    if data.startswith(ZIP):
        return _zip(data, named)
    return None


def _ole(data: bytes, named: OfficeFormat | None) -> OfficeFormat | None:
    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            if ole.exists("EncryptionInfo") and ole.exists("EncryptedPackage"):
                # A password-protected .docx/.xlsx/.pptx is an OLE2 file holding the encrypted package.
                raise encrypted(named.family if named else None)
            found = next((f for stream, f in _OLE_STREAMS if ole.exists(stream)), None)
            if found is not None and _ole_encrypted(ole, found):
                raise encrypted(found.family)
            return found
    except PdfUnreadable:
        raise
    except Exception as exc:  # olefile raises plain OSError, struct.error, IndexError on bad sectors
        if named is None:
            return None
        raise damaged(named.family) from exc


def _ole_encrypted(ole: olefile.OleFileIO, found: OfficeFormat) -> bool:
    """The binary formats' own password flags: Word's FIB fEncrypted bit, Excel's FILEPASS record in
    the workbook globals, PowerPoint's encrypted summary stream."""
    if found.ext == "doc":
        head = ole.openstream("WordDocument").read(12)
        return len(head) >= 12 and bool(int.from_bytes(head[10:12], "little") & 0x0100)
    if found.ext == "xls":
        stream = ole.openstream("Workbook" if ole.exists("Workbook") else "Book").read(64 * 1024)
        offset = 0
        while offset + 4 <= len(stream):
            kind, length = int.from_bytes(stream[offset:offset + 2], "little"), int.from_bytes(
                stream[offset + 2:offset + 4], "little")
            if kind == 0x002F:  # FILEPASS
                return True
            if kind == 0x000A:  # EOF of the globals: the flag comes before it or not at all
                return False
            offset += 4 + length
        return False
    return ole.exists("EncryptedSummary")


def _zip(data: bytes, named: OfficeFormat | None) -> OfficeFormat | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                found = _ODF.get(archive.read("mimetype")[:100].decode("ascii", "replace").strip())
                if found and "META-INF/manifest.xml" in names and b"encryption-data" in archive.read(
                        "META-INF/manifest.xml"):
                    raise encrypted(found.family)
                return found
            if "[Content_Types].xml" in names and archive.getinfo("[Content_Types].xml").file_size \
                    < _ZIP_CONTENT_TYPES_MAX:
                types = archive.read("[Content_Types].xml").decode("utf-8", "replace")
                main = set(re.findall(r'ContentType="application/vnd\.(?:openxmlformats-officedocument\.)?([^"]+)"',
                                      types))
                return next((f for content_type, f in _OOXML if content_type in main), None)
            return None
    except PdfUnreadable:
        raise
    except Exception as exc:  # BadZipFile, a bad CRC, a truncated entry (zlib.error, EOFError)
        if named is None:
            return None
        raise damaged(named.family) from exc


def encrypted(family: str | None) -> PdfUnreadable:
    name = FAMILY_NAMES.get(family) or _("office")
    return PdfUnreadable("encrypted", _(
        "This %(kind)s file is protected by a password, so it cannot be converted. Remove the password "
        "(or save it as PDF) and upload it again.", kind=name))


def damaged(family: str) -> PdfUnreadable:
    return PdfUnreadable("broken_office", _(
        "This %(kind)s file is damaged or incomplete and cannot be opened. Save it again from its "
        "program (or as PDF) and upload it again.", kind=FAMILY_NAMES[family]))
