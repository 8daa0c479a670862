"""The summary (bản tổng hợp ý kiến): per question the counts and every answer with its author, unit
and time, as an A4 PDF in the administrative layout of the notices (meetings.tasks.paper) and as CSV.

While the request is open the summary is made afresh on each download and marked as a draft; closing
freezes it (rendered once, signed when the office has a certificate, kept and served as it is). The
fixed words are the legal form of the document, Vietnamese whatever the reader's language.
"""
import csv
import io
from dataclasses import dataclass
from datetime import datetime

from meetings.consultations.models import AnswerVersion, Consultation, Recipient
from meetings.directory.services import organisation_name, place_of
from meetings.tasks import signing
from meetings.tasks.paper import AdministrativeDocument, Paragraph, Signer, render
from meetings.timeutil import format_datetime, to_local

KIND = "Bản tổng hợp ý kiến"
NO_OPINION = "Không có ý kiến"
NOT_ANSWERED = "Chưa có ý kiến"


@dataclass
class Line:
    """One recipient's answer to one question, as printed and exported."""
    question: int
    author: str
    unit: str
    at: datetime | None
    choice: str
    text: str


def _author(recipient: Recipient, version: AnswerVersion | None) -> tuple[str, str]:
    if recipient.user_id is not None:
        person = recipient.user
        name = f"{person.name} ({person.title})" if person.title else person.name
        return name, person.unit.name if person.unit else ""
    by = version.submitted_by if version is not None else None
    return (by.name if by else recipient.unit.name), recipient.unit.name


def lines(consultation: Consultation) -> list[Line]:
    found = []
    for recipient in consultation.recipients:
        version = recipient.submitted
        author, unit = _author(recipient, version)
        given = {a["question"]: a for a in (version.answers if version else [])}
        for question in consultation.questions:
            if version is None:
                choice, text = NOT_ANSWERED, ""
            elif version.no_opinion:
                choice, text = NO_OPINION, ""
            else:
                item = given.get(question.position) or {}
                choice, text = item.get("choice") or "", item.get("text") or ""
            found.append(Line(question.position, author, unit, version.submitted_at if version else None,
                              choice, text))
    return found


def _issuer(consultation: Consultation):
    unit = consultation.created_by.unit if consultation.created_by else None
    return unit


def document(consultation: Consultation, now: datetime, final: bool) -> AdministrativeDocument:
    unit = _issuer(consultation)
    issuer = unit.name if unit else (organisation_name() or "Văn phòng")
    governing = unit.parent.name if unit is not None and unit.parent is not None else None
    code = (unit.short_name if unit is not None and unit.short_name else "VP")
    all_lines = lines(consultation)
    body = [Paragraph(f"Ngày {to_local(consultation.sent_at or consultation.created_at):%d/%m/%Y}, {issuer} "
                      f"đã lấy ý kiến về: {consultation.title}. Hạn trả lời: "
                      f"{format_datetime(consultation.deadline)}. Số được lấy ý kiến: "
                      f"{len(consultation.recipients)}; đã trả lời: "
                      f"{sum(1 for r in consultation.recipients if r.submitted is not None)}.")]
    for question in consultation.questions:
        body.append(Paragraph(f"Câu {question.position}. {question.text}", bold=True, first_line=0))
        mine = [line for line in all_lines if line.question == question.position]
        labels = list(question.options) + [NO_OPINION, NOT_ANSWERED]
        counts = [f"{label}: {sum(1 for line in mine if line.choice == label)}" for label in labels]
        body.append(Paragraph("Tổng hợp: " + "; ".join(counts) + ".", italic=True, first_line=0))
        for line in mine:
            when = f", lúc {format_datetime(line.at)}" if line.at else ""
            unit_part = f", {line.unit}" if line.unit and line.unit != line.author else ""
            said = "; ".join(part for part in (line.choice, line.text) if part)
            body.append(Paragraph(f"- {line.author}{unit_part}{when}: {said}.", left=14, first_line=-14))
    extended = consultation.extensions
    if extended:
        body.append(Paragraph("Gia hạn: " + "; ".join(
            f"từ {format_datetime(e.old_deadline)} đến {format_datetime(e.new_deadline)}"
            f"{' (' + e.by.name + ')' if e.by else ''}" for e in extended) + ".", first_line=0))
    closer = consultation.created_by
    local = to_local(consultation.closed_at or now)
    return AdministrativeDocument(
        issuer=issuer, governing_body=governing, number=f"{consultation.id}/THYK-{code}", kind=KIND,
        summary=f"V/v {consultation.title}", body=body,
        signers=[Signer(capacity=[closer.title or "Người tổng hợp"] if closer else ["Người tổng hợp"],
                        name=closer.name if closer else "")],
        place=place_of(unit), day=local.date() if final else None, year=local.year,
        recipients=["Lãnh đạo Bộ (để b/c)", "Lưu: VT"], draft=not final,
        state=None if final else "Bản tổng hợp tạm thời, chưa kết thúc lấy ý kiến")


def render_pdf(consultation: Consultation, now: datetime, final: bool) -> tuple[bytes, bool]:
    pdf = render(document(consultation, now, final))
    certificate = signing.current_certificate() if final else None
    if certificate is None:
        return pdf, False
    return signing.sign(pdf, certificate, reason=f"Bản tổng hợp ý kiến số {consultation.id}",
                        location=place_of(_issuer(consultation))), True


def render_csv(consultation: Consultation) -> str:
    """UTF-8 with a byte-order mark, so a spreadsheet opens the Vietnamese as written."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(["Câu hỏi", "Nội dung câu hỏi", "Người trả lời", "Đơn vị", "Thời gian", "Lựa chọn", "Ý kiến"])
    texts = {q.position: q.text for q in consultation.questions}
    for line in lines(consultation):
        writer.writerow([line.question, texts[line.question], line.author, line.unit,
                         format_datetime(line.at) if line.at else "", line.choice, line.text])
    return out.getvalue()


def freeze(consultation: Consultation, now: datetime) -> None:
    consultation.summary_pdf, consultation.summary_signed = render_pdf(consultation, now, final=True)
    consultation.summary_csv = render_csv(consultation)


def pdf_of(consultation: Consultation, now: datetime) -> bytes:
    if consultation.status == "closed" and consultation.summary_pdf:
        return consultation.summary_pdf
    return render_pdf(consultation, now, final=False)[0]


def csv_of(consultation: Consultation) -> str:
    if consultation.status == "closed" and consultation.summary_csv:
        return consultation.summary_csv
    return render_csv(consultation)
