"""The task report as an A4 PDF made with PyMuPDF, under meetings.mupdf.LOCK.

MuPDF's built-in Noto font covers Vietnamese, so no system font is needed (as in the printed week).
"""
import pymupdf
from flask_babel import gettext as _

from meetings.directory.services import organisation_name
from meetings.mupdf import serialised
from meetings.tasks.dates import days_late, days_overdue
from meetings.tasks.reports import COLUMNS, Report

PAGE = pymupdf.paper_rect("a4")
MARGIN, SIZE, LEADING = 36, 9, 12
FONT_NAME = "notoserif"
SUMMARY = (("unit", 183),) + tuple((name, 68) for name in COLUMNS)  # 523 pt: the printable width
LIST = (("no", 40), ("title", 243), ("unit", 120), ("due", 60), ("days", 60))


class Sheet:
    """Rows written top to bottom over as many pages as needed."""

    def __init__(self):
        self.doc = pymupdf.open()
        self.font = pymupdf.Font(script=0)  # Noto, built into MuPDF
        self.page, self.y = None, 0.0

    def width(self, text: str, size: float = SIZE) -> float:
        return self.font.text_length(text, fontsize=size)

    def wrap(self, text: str, width: float, size: float = SIZE) -> list[str]:
        lines, line = [], ""
        for word in (text or "").split():
            trial = f"{line} {word}".strip()
            if line and self.width(trial, size) > width:
                lines.append(line)
                line = word
            else:
                line = trial
        return lines + [line]

    def new_page(self) -> None:
        self.page = self.doc.new_page(width=PAGE.width, height=PAGE.height)
        self.page.insert_font(fontname=FONT_NAME, fontbuffer=self.font.buffer)
        self.y = MARGIN

    def room_for(self, height: float) -> None:
        if self.page is None or self.y + height > PAGE.height - MARGIN - 14:
            self.new_page()

    def line(self, text: str, size: float = SIZE, centred: bool = False, bold: bool = False) -> None:
        self.room_for(size + 8)
        x = (PAGE.width - self.width(text, size)) / 2 if centred else MARGIN
        # Bold is fill plus a thin outline: the built-in font has one weight only.
        self.page.insert_text((x, self.y + size), text, fontname=FONT_NAME, fontsize=size,
                              render_mode=2 if bold else 0, border_width=0.03 if bold else 0.05)
        self.y += size + 8

    def row(self, columns, cells: dict, shade: bool = False) -> None:
        wrapped = {key: self.wrap(str(cells.get(key, "")), width - 6) for key, width in columns}
        height = max(len(lines) for lines in wrapped.values()) * LEADING + 6
        self.room_for(height)
        x = MARGIN
        for key, width in columns:
            rect = pymupdf.Rect(x, self.y, x + width, self.y + height)
            self.page.draw_rect(rect, color=(0.6, 0.6, 0.6), fill=(0.93, 0.93, 0.93) if shade else None, width=0.5)
            for n, text in enumerate(wrapped[key]):
                self.page.insert_text((x + 3, self.y + 3 + SIZE + n * LEADING), text, fontname=FONT_NAME,
                                      fontsize=SIZE)
            x += width
        self.y += height

    def finish(self) -> bytes:
        total = self.doc.page_count
        for number, page in enumerate(self.doc, start=1):
            label = _("Page %(n)d of %(total)d", n=number, total=total)
            page.insert_text((PAGE.width - MARGIN - self.width(label), PAGE.height - MARGIN / 2), label,
                             fontname=FONT_NAME, fontsize=SIZE)
        self.doc.subset_fonts()
        return self.doc.tobytes(garbage=3, deflate=True)


@serialised
def report_pdf(report: Report) -> bytes:
    sheet = Sheet()
    sheet.line((organisation_name() or "").upper(), bold=True)
    sheet.line(_("TASK FOLLOW-UP REPORT"), size=14, centred=True, bold=True)
    sheet.line(_("Tasks due from %(start)s to %(end)s, as of %(today)s", start=f"{report.start:%d/%m/%Y}",
                 end=f"{report.end:%d/%m/%Y}", today=f"{report.today:%d/%m/%Y}"), centred=True)
    sheet.y += 6
    sheet.row(SUMMARY, {"unit": _("Unit"), **{name: str(label) for name, label in COLUMNS.items()}}, shade=True)
    for row in report.rows + [report.total]:
        sheet.row(SUMMARY, {"unit": row.unit.name if row.unit else _("Total"),
                            **{name: row.count(name) for name in COLUMNS}}, shade=row.unit is None)
    for column in ("overdue", "done_late", "in_progress", "done_on_time"):
        tasks = report.total.lists[column]
        if not tasks:
            continue
        sheet.y += 10
        sheet.line(f"{COLUMNS[column]} ({len(tasks)})", size=11, bold=True)
        sheet.row(LIST, {"no": _("No."), "title": _("Task"), "unit": _("Responsible unit"), "due": _("Due date"),
                         "days": _("Days overdue") if column == "overdue" else _("Days late")}, shade=True)
        for task in tasks:
            days = days_overdue(task, report.today) if column == "overdue" else days_late(task)
            sheet.row(LIST, {"no": task.id, "title": task.title, "unit": task.unit.name,
                             "due": f"{task.due_date:%d/%m/%Y}", "days": days or ""})
    return sheet.finish()
