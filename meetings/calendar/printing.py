"""The weekly table printed: A4 landscape PDF made with PyMuPDF, the way ministries publish it.

MuPDF's built-in Noto Serif covers Vietnamese (the base-14 fonts do not), so the PDF needs no
system font and embeds only the glyphs it uses.
"""
import pymupdf
from flask_babel import get_locale
from flask_babel import gettext as _

from meetings.calendar.layout import Day
from meetings.directory.services import organisation_name
from meetings.mupdf import serialised
from meetings.timeutil import app_zone, format_datetime, format_day

PAGE = pymupdf.paper_rect("a4-l")
MARGIN, SIZE, LEADING = 28, 8.5, 11
FONT_NAME = "notoserif"
# Column widths in points; they add up to the printable width (786 pt).
COLUMNS = (("day", 78), ("session", 44), ("time", 56), ("title", 214), ("leaders", 120),
           ("participants", 104), ("unit", 80), ("place", 90))


class Sheet:
    """Pages being filled top to bottom; a new page repeats the column headings."""

    def __init__(self, heading: list[str]):
        self.doc = pymupdf.open()
        self.font = pymupdf.Font(script=0)  # Noto Serif, built into MuPDF
        self.heading = heading
        self.y = 0.0
        self.page = None

    def width(self, text: str, size: float = SIZE) -> float:
        return self.font.text_length(text, fontsize=size)

    def wrap(self, text: str, width: float) -> list[str]:
        lines = []
        for paragraph in (text or "").split("\n"):
            line = ""
            for word in paragraph.split():
                trial = f"{line} {word}".strip()
                if line and self.width(trial) > width:
                    lines.append(line)
                    line = word
                else:
                    line = trial
            lines.append(line)
        return lines

    def text(self, x: float, y: float, line: str, size: float = SIZE, bold: bool = False,
             strike: bool = False) -> None:
        # Bold is drawn as fill plus a thin outline: the built-in font has one weight only.
        self.page.insert_text((x, y), line, fontname=FONT_NAME, fontsize=size, render_mode=2 if bold else 0,
                              border_width=0.03 if bold else 0.05)
        if strike and line:
            self.page.draw_line((x, y - size * 0.3), (x + self.width(line, size), y - size * 0.3), width=0.6)

    def new_page(self) -> None:
        self.page = self.doc.new_page(width=PAGE.width, height=PAGE.height)
        self.page.insert_font(fontname=FONT_NAME, fontbuffer=self.font.buffer)
        self.y = MARGIN
        for i, line in enumerate(self.heading):
            size = 13 if i == 1 else 9
            x = MARGIN if i == 0 else (PAGE.width - self.width(line, size)) / 2
            self.text(x, self.y + size, line, size=size, bold=i < 2)
            self.y += size + 6
        self.y += 4
        self.row(headings(), bold=True, shade=True)

    def row(self, cells: dict, bold: bool = False, shade: bool = False, strike: bool = False) -> None:
        wrapped = {key: self.wrap(cells.get(key, ""), width - 6) for key, width in COLUMNS}
        height = max(len(lines) for lines in wrapped.values()) * LEADING + 6
        if self.page is None or self.y + height > PAGE.height - MARGIN - 14:
            self.new_page()
        x = MARGIN
        for key, width in COLUMNS:
            rect = pymupdf.Rect(x, self.y, x + width, self.y + height)
            self.page.draw_rect(rect, color=(0.6, 0.6, 0.6), fill=(0.93, 0.93, 0.93) if shade else None, width=0.5)
            for n, line in enumerate(wrapped[key]):
                self.text(x + 3, self.y + 3 + SIZE + n * LEADING, line, bold=bold,
                          strike=strike and key == "title")
            x += width
        self.y += height

    def finish(self) -> bytes:
        total = self.doc.page_count
        for number, page in enumerate(self.doc, start=1):
            self.page = page
            label = _("Page %(n)d of %(total)d", n=number, total=total)
            self.text(PAGE.width - MARGIN - self.width(label), PAGE.height - MARGIN / 2, label)
        self.doc.subset_fonts()
        return self.doc.tobytes(garbage=3, deflate=True)


def _language() -> str:
    return str(get_locale() or "vi")


def headings() -> dict[str, str]:
    return {"day": _("Day"), "session": _("Session"), "time": _("Time"), "title": _("Content"),
            "leaders": _("Leaders"), "participants": _("Participants"), "unit": _("Preparing unit"),
            "place": _("Location")}


def _cells(entry, day: Day, session_label: str, first: bool) -> dict:
    zone = app_zone()
    # Calls to _() stay outside f-strings: message extraction does not look inside them.
    chair = " (" + _("chair") + ")"
    leaders = "; ".join(f"{(l['title'] + ' ') if l['title'] else ''}{l['name']}"
                        f"{chair if l['role'] == 'chair' else ''}" for l in entry.leaders)
    people = ", ".join([p["name"] for p in entry.participants] + [u["name"] for u in entry.units]
                       + ([entry.guests] if entry.guests else []))
    cancelled = _("Cancelled")
    title = entry.title + (f"\n[{cancelled}: {entry.cancel_reason or ''}]" if entry.status == "cancelled" else "")
    time = "" if entry.all_day or entry.session else f"{entry.start.astimezone(zone):%H:%M}"
    return {"day": format_day(day.day, _language()).replace(", ", "\n") if first else "",
            "session": str(session_label), "time": time, "title": title, "leaders": leaders,
            "participants": people, "unit": entry.preparing_unit or "", "place": entry.place or ""}


@serialised
def week_pdf(week, schedule, days: list[Day]) -> bytes:
    """`days` hold only what the reader may see, already redacted by present.view()."""
    first, last = week.days[0], week.days[-1]
    revision = _("Revision %(n)d, updated %(when)s", n=schedule.revision,
                 when=format_datetime(schedule.updated_at or schedule.published_at, app_zone())) \
        if schedule and schedule.status == "published" else _("Draft, not published")
    sheet = Sheet([(organisation_name() or "").upper(),
                   _("WORK SCHEDULE, WEEK %(n)d (%(first)s - %(last)s)", n=week.number,
                     first=f"{first:%d/%m}", last=f"{last:%d/%m/%Y}"), revision])
    for day in days:
        if not day.entries:
            sheet.row({"day": format_day(day.day, _language()).replace(", ", "\n")})
            continue
        first_row = True
        for _key, label, entries in day.sessions:
            for entry in entries:
                sheet.row(_cells(entry, day, label, first_row), strike=entry.status == "cancelled")
                first_row = False
    if sheet.page is None:
        sheet.new_page()
    return sheet.finish()

