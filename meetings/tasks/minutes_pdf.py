"""The minutes (biên bản) as an A4 PDF in the administrative layout: the agency top left, the national
motto top right, the title, the text, and the secretary's and the chair's signature blocks.

The agency is data (the root of the unit tree, and the unit that prepared the meeting or the
secretary's), never a name in the code. A draft says so under the title and across every page.
The document is always in the office's language, as the text was generated in it.
"""
import pymupdf
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from meetings.directory.services import organisation_name
from meetings.dossiers.models import Meeting
from meetings.mupdf import serialised
from meetings.tasks.models import Minutes
from meetings.tasks.printing import FONT_NAME, MARGIN, PAGE, Sheet
from meetings.timeutil import format_datetime, to_local

MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")  # the same on every state paper
BODY, HEAD_SIZE, INDENT = 11, 10.5, 14
LEFT_COLUMN = (MARGIN, 230)  # x, width: the agency
RIGHT_COLUMN = (270, PAGE.width - MARGIN - 270)  # the motto and the date
GREY, RED = (0.85, 0.85, 0.85), (0.75, 0.1, 0.1)


class MinutesSheet(Sheet):
    def put(self, x: float, text: str, size: float = BODY, bold: bool = False, color=None, width=None) -> None:
        """One line at the current height, centred in `width` when given; the height does not move."""
        if width is not None:
            x += (width - self.width(text, size)) / 2
        self.page.insert_text((x, self.y + size), text, fontname=FONT_NAME, fontsize=size, color=color,
                              fill=color, render_mode=2 if bold else 0, border_width=0.03 if bold else 0.05)

    def centred_block(self, column, lines, size: float, bold: bool = False, rule: bool = False) -> float:
        """Lines centred in a column from the current height; returns where the block ends."""
        x, width = column
        y = self.y
        for text in lines:
            for part in self.wrap(text, width, size):
                self.put(x, part, size, bold, width=width)
                self.y += size + 4
        if rule and lines:
            last = self.width(self.wrap(lines[-1], width, size)[-1], size)
            self.page.draw_line((x + (width - last) / 2, self.y + 1), (x + (width + last) / 2, self.y + 1),
                                width=0.6)
            self.y += 4
        end, self.y = self.y, y
        return end

    def paragraph(self, line: str) -> None:
        """A line of the text: capitals are a heading, "- " a list line, leading spaces indent."""
        stripped = line.strip()
        if not stripped:
            self.y += BODY * 0.6
            return
        indent = (len(line) - len(line.lstrip(" "))) // 2 * INDENT
        heading = stripped.upper() == stripped and any(c.isalpha() for c in stripped)
        hanging = INDENT if stripped.startswith("- ") else 0
        width = PAGE.width - 2 * MARGIN - indent
        for n, part in enumerate(self.wrap(stripped, width - hanging, BODY)):
            self.room_for(BODY + 5)
            self.put(MARGIN + indent + (hanging if n else 0), part, BODY, bold=heading)
            self.y += BODY + 5

    def watermark(self, text: str) -> None:
        """A large grey word across each page, under the text."""
        size = 90
        for page in self.doc:
            centre = pymupdf.Point(PAGE.width / 2, PAGE.height / 2)
            start = centre - (self.width(text, size) / 2, -size / 3)
            page.insert_text(start, text, fontname=FONT_NAME, fontsize=size, color=GREY, fill=GREY,
                             morph=(centre, pymupdf.Matrix(-40)), overlay=False)


def _issuer(meeting: Meeting) -> str | None:
    """The unit under the agency: the one that prepared the meeting, else the secretary's own."""
    if meeting.event.preparing_unit:
        return meeting.event.preparing_unit
    secretary = next((p.user for p in meeting.participants if p.role == "secretary"), None)
    return secretary.unit.name if secretary and secretary.unit and secretary.unit.parent_id else None


def _names(meeting: Meeting, role: str, fallback=None) -> list[str]:
    names = [p.user.name for p in meeting.participants if p.role == role]
    return names or ([fallback.name] if fallback is not None else [])


def _top(sheet: MinutesSheet, meeting: Meeting, minutes: Minutes) -> None:
    agency = [(organisation_name() or "").upper()]
    issuer = _issuer(meeting)
    left = sheet.centred_block(LEFT_COLUMN, agency, HEAD_SIZE)
    if issuer:
        sheet.y = left
        left = sheet.centred_block(LEFT_COLUMN, [issuer.upper()], HEAD_SIZE, bold=True, rule=True)
        sheet.y = min(sheet.y, left)
    sheet.y = MARGIN
    right = sheet.centred_block(RIGHT_COLUMN, MOTTO[:1], HEAD_SIZE, bold=True)
    sheet.y = right
    right = sheet.centred_block(RIGHT_COLUMN, MOTTO[1:], HEAD_SIZE + 0.5, bold=True, rule=True)
    day = to_local(meeting.event.start_at).date()
    sheet.y = right + 4
    right = sheet.centred_block(RIGHT_COLUMN, [_("Date: %(day)02d/%(month)02d/%(year)d", day=day.day, month=day.month,
                                                 year=day.year)], HEAD_SIZE)
    sheet.y = max(left, right) + 18
    sheet.centred_block((MARGIN, PAGE.width - 2 * MARGIN), [_("MINUTES")], 15, bold=True)
    sheet.y += 20
    sheet.y = sheet.centred_block((MARGIN, PAGE.width - 2 * MARGIN), [meeting.event.title], 12, bold=True)
    state = {"draft": _("DRAFT (version %(n)d), not approved", n=minutes.version_no),
             "superseded": _("Version %(n)d, replaced by a later version", n=minutes.version_no)}
    if minutes.status in state:
        sheet.y = sheet.centred_block((MARGIN, PAGE.width - 2 * MARGIN), [state[minutes.status]], 11, bold=True)
    sheet.y += 10


def _signatures(sheet: MinutesSheet, meeting: Meeting, minutes: Minutes) -> None:
    sheet.room_for(120)
    sheet.y += 16
    half = (PAGE.width - 2 * MARGIN) / 2
    blocks = ((MARGIN, _("SECRETARY"), _names(meeting, "secretary", minutes.generated_by), None),
              (MARGIN + half, _("CHAIR"), _names(meeting, "chair", minutes.approved_by),
               _("Approved in the system at %(when)s", when=format_datetime(minutes.approved_at))
               if minutes.approved_at else None))
    top = sheet.y
    for x, title, names, note in blocks:
        sheet.y = top
        sheet.y = sheet.centred_block((x, half), [title], BODY, bold=True)
        if note:
            sheet.y = sheet.centred_block((x, half), [note], 9)
        sheet.y = top + 70
        sheet.centred_block((x, half), names, BODY, bold=True)


@serialised
def minutes_pdf(meeting: Meeting, minutes: Minutes) -> bytes:
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        sheet = MinutesSheet()
        sheet.new_page()
        _top(sheet, meeting, minutes)
        for line in minutes.body.splitlines():
            sheet.paragraph(line)
        _signatures(sheet, meeting, minutes)
        if minutes.status == "draft":
            sheet.watermark(_("DRAFT"))
        return sheet.finish()
