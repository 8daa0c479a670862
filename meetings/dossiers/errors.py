"""Why an uploaded file was refused: one exception per HTTP status, a stable `code` per reason."""
from flask_babel import gettext as _

from meetings.errors import ServiceError

# gettext works outside an app context too (it falls back to English), so the same message serves
# the CLI, the tests and a request in Vietnamese. Codes are what clients and tests compare against.


class PdfRejected(ServiceError):
    """Base for every refused upload; `code` is set per instance."""

    def __init__(self, code: str, message: str, **details):
        super().__init__(message, **details)
        self.code = code


class NotAPdf(PdfRejected):
    status = 415


class PdfTooLarge(PdfRejected):
    status = 413


class PdfUnreadable(PdfRejected):
    status = 422


def not_pdf() -> NotAPdf:
    return NotAPdf("not_pdf", _(
        "This file is neither a PDF nor an office document we can convert. Accepted: PDF; Word (.doc, .docx, "
        ".rtf); Excel (.xls, .xlsx); PowerPoint (.ppt, .pptx); OpenDocument (.odt, .ods, .odp)."))


def too_large(size: int, limit: int) -> PdfTooLarge:
    return PdfTooLarge("too_large", _("The file is too large (%(size)s MB; the limit is %(limit)s MB).",
                                      size=_mb(size), limit=_mb(limit)), size=size, limit=limit)


def too_many_pages(pages: int, limit: int) -> PdfTooLarge:
    return PdfTooLarge("too_many_pages", _("The PDF has %(pages)s pages; the limit is %(limit)s.",
                                           pages=pages, limit=limit), pages=pages, limit=limit)


def encrypted() -> PdfUnreadable:
    return PdfUnreadable("encrypted", _("The PDF is protected by a password. Upload it without the password."))


def broken() -> PdfUnreadable:
    return PdfUnreadable("broken_pdf", _("The PDF is damaged and cannot be read."))


def empty() -> PdfUnreadable:
    return PdfUnreadable("empty_pdf", _("The file is empty or has no pages."))


def _mb(size: int) -> str:
    return f"{size / 1_000_000:.1f}".rstrip("0").rstrip(".")
