"""The minutes (biên bản) as an A4 PDF: the meeting's text in the administrative layout of
meetings.tasks.paper, signed by the secretary (left) and the chair (right).

The agency is data (the root of the unit tree, and the unit that prepared the meeting or the
secretary's), never a name in the code. A draft says so under the title and across every page.
The words of the text, the title and the signature blocks are in the office's language, as the
text was generated in it; the header is the legal form, Vietnamese always (see paper.py).
"""
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from meetings.directory.services import organisation_name, place_of
from meetings.dossiers.models import Meeting
from meetings.tasks.models import Minutes
from meetings.tasks.paper import AdministrativeDocument, Paragraph, Signer, render
from meetings.timeutil import format_datetime, to_local

NEST = 14  # points per level of nesting: two leading spaces in the text
HANG = 14  # a "- " line's wrapped lines sit this much to the right of its dash
LINE_GAP, BLANK_GAP = 0.1, 0.5  # below a line, and more for a blank line, in font sizes


def paragraphs(text: str) -> list[Paragraph]:
    """The lines of the text: capitals are a heading (bold), "- " a list line with a hanging
    indent, leading spaces nest; a blank line is a little more space, not a whole empty line."""
    found: list[Paragraph] = []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            if found:
                found[-1].space_after += BLANK_GAP
            continue
        left = (len(line) - len(line.lstrip(" "))) // 2 * NEST
        heading = stripped.upper() == stripped and any(c.isalpha() for c in stripped)
        hanging = HANG if stripped.startswith("- ") else 0
        found.append(Paragraph(stripped, bold=heading, left=left + hanging, first_line=-hanging,
                               space_after=LINE_GAP))
    return found


def _secretary(meeting: Meeting):
    return next((p.user for p in meeting.participants if p.role == "secretary"), None)


def _issuer(meeting: Meeting) -> str | None:
    """The unit under the agency: the one that prepared the meeting, else the secretary's own."""
    if meeting.event.preparing_unit:
        return meeting.event.preparing_unit
    secretary = _secretary(meeting)
    return secretary.unit.name if secretary and secretary.unit and secretary.unit.parent_id else None


def _names(meeting: Meeting, role: str, fallback=None) -> str:
    names = [p.user.name for p in meeting.participants if p.role == role]
    return ", ".join(names or ([fallback.name] if fallback is not None else []))


def document(meeting: Meeting, minutes: Minutes) -> AdministrativeDocument:
    """The minutes as the administrative document to print, dated the day of the meeting."""
    agency, issuer = organisation_name() or "", _issuer(meeting)
    secretary = _secretary(meeting)
    state = {"draft": _("DRAFT (version %(n)d), not approved", n=minutes.version_no),
             "superseded": _("Version %(n)d, replaced by a later version", n=minutes.version_no)}
    approved = (_("Approved in the system at %(when)s", when=format_datetime(minutes.approved_at))
                if minutes.approved_at else None)
    return AdministrativeDocument(
        issuer=issuer or agency, governing_body=agency if issuer else None, number=None, kind=_("MINUTES"),
        summary=meeting.event.title, body=paragraphs(minutes.body),
        signers=[Signer([_("SECRETARY")], _names(meeting, "secretary", minutes.generated_by)),
                 Signer([_("CHAIR")], _names(meeting, "chair", minutes.approved_by), note=approved)],
        place=place_of(secretary.unit) if secretary else None, day=to_local(meeting.event.start_at).date(),
        state=state.get(minutes.status), draft=minutes.status == "draft")


def minutes_pdf(meeting: Meeting, minutes: Minutes) -> bytes:
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        return render(document(meeting, minutes))
