"""The Vietnamese administrative document (văn bản hành chính) as an A4 PDF, laid out as Nghị định
30/2020/NĐ-CP asks: issuing body and number top left, national motto top right, place and date,
title and summary in the middle, the body, recipients (nơi nhận) and the signers at the foot.

One layout for every document the office prints: the conclusion notice and the minutes (biên bản)
both fill an `AdministrativeDocument`. The fixed words here (the motto, "Số:", "Nơi nhận:",
"ngày ... tháng ... năm", "DỰ THẢO") are the legal form of the document, not interface text: a
notice is Vietnamese whatever language its reader has chosen.

MuPDF's built-in Noto Serif covers Vietnamese but comes in one weight and one slant, and the
vendored Noto Sans is web-font subsets split by script (no single file to embed). So bold is the
regular face filled and thinly stroked, and italic is the regular face sheared: the text stays
real, extractable text in one embedded font.
"""
from dataclasses import dataclass, field
from datetime import date

import pymupdf

from meetings.mupdf import serialised

PAGE = pymupdf.paper_rect("a4")
# Margins from the decree (top 20-25 mm, bottom 20-25 mm, left 30-35 mm, right 15-20 mm), in points.
TOP, BOTTOM, LEFT, RIGHT = 62, 62, 88, 50
WIDTH = PAGE.width - LEFT - RIGHT
BODY_SIZE, SMALL_SIZE, HEAD_SIZE = 13, 11, 12
LEADING = 1.3  # line height as a multiple of the font size
INDENT = 28  # first-line indent of a body paragraph (1 cm)
LEFT_BOX = (LEFT - 42, LEFT + 178)  # the issuing body's column, centred texts
RIGHT_BOX = (LEFT + 186, PAGE.width - RIGHT + 16)  # the motto's column
RECIPIENTS_WIDTH = 230  # "Nơi nhận" runs under the signer's column, whose lines are short and centred
SIGNATURE_SPACE = 80  # between the capacity and the name: the hand signature and the seal
# Shear: the top of each glyph leans right. PyMuPDF writes a morph as it is into the content
# stream, where y grows upwards, so the shear is positive (-0.2 leaned the letters back).
ITALIC = pymupdf.Matrix(1, 0, 0.2, 1, 0, 0)
WATERMARK_SIZE, WATERMARK_GREY, WATERMARK_ANGLE = 90, (0.85, 0.85, 0.85), -40

MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO_2 = "Độc lập - Tự do - Hạnh phúc"
DRAFT_MARK = "DỰ THẢO"


@dataclass
class Paragraph:
    """A justified paragraph. Indents in points, as a word processor has them: `left` moves every
    line, `first_line` moves the first one further (1 cm, as body paragraphs are) or, negative,
    back out over a hanging indent (a list line whose wrapped lines sit under its text)."""
    text: str
    bold: bool = False
    italic: bool = False
    first_line: float = INDENT
    left: float = 0
    space_after: float = 0.35  # in font sizes


@dataclass
class Signer:
    capacity: list[str]  # e.g. ["KT. BỘ TRƯỞNG", "THỨ TRƯỞNG"], printed in capitals
    name: str
    note: str | None = None  # in italics under the capacity, e.g. when it was approved in the system


@dataclass
class AdministrativeDocument:
    issuer: str  # cơ quan ban hành, e.g. "Văn phòng Bộ"
    number: str | None  # "12/TB-VP"; a draft notice has "     /TB-VP"; None: no "Số:" line (minutes)
    kind: str  # tên loại: "THÔNG BÁO", "BIÊN BẢN"
    summary: str  # trích yếu: "Kết luận của ... tại cuộc họp ..."
    body: list[Paragraph]
    signers: list[Signer]  # one: bottom right; more: side by side, the last on the right
    governing_body: str | None = None  # cơ quan chủ quản, e.g. the ministry above the office
    place: str | None = None
    day: date | None = None  # None: a draft, date left blank
    year: int | None = None  # printed on a draft's blank date
    recipients: list[str] = field(default_factory=list)  # without the dashes; none: no "Nơi nhận"
    state: str | None = None  # a line under the title saying what this copy is: "DỰ THẢO (lần 2) ..."
    draft: bool = False  # "DỰ THẢO" across every page


def vietnamese_date(place: str | None, day: date | None, year: int | None = None) -> str:
    """'Hà Nội, ngày 05 tháng 02 năm 2026': a day below 10 and a month below 3 take a leading zero
    (the decree's rule, so that nobody can add a digit in front)."""
    if day is None:
        text = f"ngày      tháng      năm {year or ''}".rstrip()
    else:
        month = f"{day.month:02d}" if day.month < 3 else str(day.month)
        text = f"ngày {day.day:02d} tháng {month} năm {day.year}"
    return f"{place}, {text}" if place else text[0].upper() + text[1:]


class Writer:
    """Text placed with one embedded font over as many pages as needed.

    Runs of one style go through one TextWriter, written out when the style changes: one content
    stream per run instead of one per word (page.insert_text per word made a notice ten times
    slower and larger, and measures every glyph of the font on first use), and the content stays
    in reading order, which is the order text is extracted and read aloud in.
    """

    def __init__(self, title: str):
        self.doc = pymupdf.open()
        self.doc.set_metadata({"title": title, "creator": "meetings"})
        self.font = pymupdf.Font(script=0)  # Noto Serif, built into MuPDF
        self.advances: dict[str, float] = {}
        self.page, self.run, self.style, self.y = None, None, (False, None), 0.0
        self.new_page()

    def new_page(self) -> None:
        self.flush()
        self.page = self.doc.new_page(width=PAGE.width, height=PAGE.height)
        self.y = TOP

    def flush(self) -> None:
        """Write the pending run onto its page."""
        if self.run is not None:
            bold, morph = self.style
            # Bold: filled and stroked, the stroke 5 % of the font size (PyMuPDF's choice).
            self.run.write_text(self.page, render_mode=2 if bold else 0, morph=morph)
        self.run = None

    def width(self, text: str, size: float) -> float:
        # Advances cached per character: Font.text_length encodes every character anew in Python,
        # which was most of the time spent on a long notice.
        total = 0.0
        for char in text:
            advance = self.advances.get(char)
            if advance is None:
                advance = self.advances[char] = self.font.text_length(char, fontsize=1)
            total += advance
        return total * size

    def wrap(self, text: str, width: float, size: float, first_indent: float = 0) -> list[str]:
        lines, line, line_width = [], "", 0.0
        space = self.width(" ", size)
        for word in text.split():
            word_width = self.width(word, size)
            room = width - (first_indent if not lines else 0)
            if line and line_width + space + word_width > room:
                lines.append(line)
                line, line_width = word, word_width
            else:
                line, line_width = (f"{line} {word}", line_width + space + word_width) if line else (word, word_width)
        return lines + [line]

    def put(self, x: float, text: str, size: float, bold=False, italic=False) -> None:
        """One run of text with its baseline at the current line."""
        baseline = pymupdf.Point(x, self.y + size)
        style = (bold, (baseline, ITALIC) if italic else None)  # italic leans about its own baseline
        if self.run is None or style != self.style:
            self.flush()
            self.run, self.style = pymupdf.TextWriter(self.page.rect), style
        self.run.append(baseline, text, font=self.font, fontsize=size)

    def centred(self, text: str, size: float, box=(LEFT, LEFT + WIDTH), bold=False, italic=False) -> float:
        """Centred lines in a column; returns the width of the widest line."""
        widest = 0.0
        for line in self.wrap(text, box[1] - box[0], size):
            line_width = self.width(line, size)
            self.put((box[0] + box[1] - line_width) / 2, line, size, bold, italic)
            self.y += size * LEADING
            widest = max(widest, line_width)
        return widest

    def rule(self, length: float, box=(LEFT, LEFT + WIDTH), gap: float = 2) -> None:
        """A short line under a heading, centred in its column."""
        middle = (box[0] + box[1]) / 2
        y = self.y + gap
        self.page.draw_line((middle - length / 2, y), (middle + length / 2, y), width=0.6)

    def room_for(self, height: float) -> None:
        if self.y + height > PAGE.height - BOTTOM:
            self.new_page()

    def paragraph(self, item: Paragraph, size: float = BODY_SIZE) -> None:
        """A justified paragraph (căn đều hai lề), the last line left as it is."""
        left = LEFT + item.left
        lines = self.wrap(item.text, WIDTH - item.left, size, item.first_line)
        for number, line in enumerate(lines):
            self.room_for(size * LEADING)
            x = left + (item.first_line if number == 0 else 0)
            words = line.split()
            if number == len(lines) - 1 or len(words) < 2:
                if line:
                    self.put(x, line, size, item.bold, item.italic)
            else:
                room = LEFT + WIDTH - x - sum(self.width(w, size) for w in words)
                gap = room / (len(words) - 1)
                for word in words:
                    # The real space goes with the word: readers then extract it as a space even
                    # after a stacked diacritic (ộ, ủ), where MuPDF's gap guess fails.
                    self.put(x, word + " ", size, item.bold, item.italic)
                    x += self.width(word, size) + gap
            self.y += size * LEADING
        self.y += size * item.space_after

    def watermark(self, text: str) -> None:
        """A large grey word across every page, under the text: a page of a draft, printed and
        separated from the rest, still says what it is."""
        self.flush()
        centre = pymupdf.Point(PAGE.width / 2, PAGE.height / 2)
        start = centre - (self.width(text, WATERMARK_SIZE) / 2, -WATERMARK_SIZE / 3)
        for page in self.doc:
            mark = pymupdf.TextWriter(page.rect)
            mark.append(start, text, font=self.font, fontsize=WATERMARK_SIZE)
            mark.write_text(page, color=WATERMARK_GREY, morph=(centre, pymupdf.Matrix(WATERMARK_ANGLE)),
                            overlay=False)

    def finish(self) -> bytes:
        # Page numbers from the second page, centred in the top margin, as the decree asks.
        for number in range(2, self.doc.page_count + 1):
            self.flush()
            self.page = self.doc[number - 1]
            label = str(number)
            self.y = TOP / 2 - SMALL_SIZE
            self.put((PAGE.width - self.width(label, SMALL_SIZE)) / 2, label, SMALL_SIZE)
        self.flush()
        self.doc.subset_fonts()
        return self.doc.tobytes(garbage=3, deflate=True)


def _header(writer: Writer, doc: AdministrativeDocument) -> None:
    start = writer.y
    if doc.governing_body:
        writer.centred(doc.governing_body.upper(), HEAD_SIZE, LEFT_BOX)
    issuer_width = writer.centred(doc.issuer.upper(), HEAD_SIZE, LEFT_BOX, bold=True)
    writer.rule(issuer_width / 3, LEFT_BOX)
    writer.y += 10
    if doc.number is not None:
        writer.centred(f"Số: {doc.number}", BODY_SIZE, LEFT_BOX)
    left_end = writer.y

    writer.y = start
    writer.centred(MOTTO, HEAD_SIZE, RIGHT_BOX, bold=True)
    motto_width = writer.centred(MOTTO_2, BODY_SIZE, RIGHT_BOX, bold=True)
    writer.rule(motto_width, RIGHT_BOX)
    # The date on the line of the number, as the decree places them.
    writer.y = max(writer.y + 10, left_end - BODY_SIZE * LEADING)
    writer.centred(vietnamese_date(doc.place, doc.day, doc.year), BODY_SIZE, RIGHT_BOX, italic=True)
    writer.y = max(writer.y, left_end) + 18


def _title(writer: Writer, doc: AdministrativeDocument) -> None:
    writer.centred(doc.kind.upper(), BODY_SIZE + 0.5, bold=True)
    summary_width = writer.centred(doc.summary, BODY_SIZE, (LEFT + 20, LEFT + WIDTH - 20), bold=True)
    writer.rule(min(summary_width / 3, 120))
    writer.y += 8
    if doc.state:
        writer.y += 4
        writer.centred(doc.state, BODY_SIZE, italic=True)
    writer.y += 8


def _signer_columns(count: int) -> list[tuple[float, float]]:
    """One signer signs under the motto's column; two under the header's two columns, so that
    each block lines up with the heading above it; more share the width evenly."""
    if count <= 2:
        return [LEFT_BOX, RIGHT_BOX][2 - count:]
    step = WIDTH / count
    return [(LEFT + n * step, LEFT + (n + 1) * step) for n in range(count)]


def _signatures(writer: Writer, signers: list[Signer], top: float) -> float:
    """The signers' blocks from `top`, their names on one line whatever stands above them;
    returns where the blocks end."""
    columns = _signer_columns(len(signers))
    heads = []
    for signer, column in zip(signers, columns):
        writer.y = top
        for line in signer.capacity:
            writer.centred(line.upper(), BODY_SIZE, column, bold=True)
        if signer.note:
            writer.centred(signer.note, SMALL_SIZE, column, italic=True)
        heads.append(writer.y)
    names_at = max(heads, default=top) + SIGNATURE_SPACE
    end = names_at
    for signer, column in zip(signers, columns):
        writer.y = names_at
        writer.centred(signer.name, BODY_SIZE, column, bold=True)
        end = max(end, writer.y)
    return end


def _signatures_height(writer: Writer, signers: list[Signer]) -> float:
    tallest = 0.0
    for signer, (x0, x1) in zip(signers, _signer_columns(len(signers))):
        lines = sum(len(writer.wrap(line.upper(), x1 - x0, BODY_SIZE)) for line in [*signer.capacity, signer.name])
        notes = len(writer.wrap(signer.note, x1 - x0, SMALL_SIZE)) if signer.note else 0
        tallest = max(tallest, lines * BODY_SIZE * LEADING + notes * SMALL_SIZE * LEADING)
    return tallest + SIGNATURE_SPACE


def _recipients(writer: Writer, recipients: list[str]) -> None:
    lines = [f"- {r};" for r in recipients[:-1]] + [f"- {r}." for r in recipients[-1:]]
    writer.put(LEFT, "Nơi nhận:", HEAD_SIZE, bold=True, italic=True)
    writer.y += HEAD_SIZE * LEADING
    for line in lines:
        for part in writer.wrap(line, RECIPIENTS_WIDTH, SMALL_SIZE):
            writer.put(LEFT, part, SMALL_SIZE)
            writer.y += SMALL_SIZE * LEADING


def _foot(writer: Writer, doc: AdministrativeDocument) -> None:
    """The signers, and the recipients bottom left: beside a lone signer, else under the
    signatures. The signatures stay on one page with the recipients beside them."""
    beside = bool(doc.recipients) and len(doc.signers) == 1
    recipients_height = (len(doc.recipients) * SMALL_SIZE + HEAD_SIZE) * LEADING if doc.recipients else 0
    signatures_height = _signatures_height(writer, doc.signers)
    writer.room_for((max(recipients_height, signatures_height) if beside else signatures_height) + 10)
    writer.y += 12
    start = writer.y
    if beside:
        _recipients(writer, doc.recipients)
    left_end = writer.y
    writer.y = max(_signatures(writer, doc.signers, start), left_end)
    if doc.recipients and not beside:
        writer.y += 10
        writer.room_for(recipients_height)
        _recipients(writer, doc.recipients)


@serialised
def render(doc: AdministrativeDocument) -> bytes:
    writer = Writer(" ".join(part for part in (doc.kind, doc.number, doc.summary) if part))
    _header(writer, doc)
    _title(writer, doc)
    for item in doc.body:
        writer.paragraph(item)
    _foot(writer, doc)
    if doc.draft:
        writer.watermark(DRAFT_MARK)
    return writer.finish()
