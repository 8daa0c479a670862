"""Demo requests for written opinions: the leaders and the legal department asked about a draft
decree, the deadline in two days; one deputy minister has answered, one has answered "Không có ý kiến".

`now` comes from the `flask demo` command; every step goes through the same services as the pages.
"""
from datetime import datetime, timedelta

from sqlalchemy import select

from meetings.consultations import answers, services
from meetings.directory import services as directory
from meetings.directory.models import Unit
from meetings.dossiers import documents
from meetings.extensions import db
from meetings.timeutil import to_local

DOMAIN = "demo.gov.vn"


def _draft_pdf() -> bytes:
    import pymupdf

    doc = pymupdf.open()
    for n in range(1, 3):
        page = doc.new_page()
        page.insert_text((72, 90), f"DỰ THẢO NGHỊ ĐỊNH - trang {n}", fontname="helv")
        page.insert_text((72, 120), "Quy định về quản lý phân bón", fontname="helv")
    return doc.tobytes()


def load_consultations_demo(now: datetime) -> int | None:
    """The demo request's id (None when the demo people are missing)."""
    people = {local: directory.user_by_email(f"{local}@{DOMAIN}") for local in ("thuky", "bo.truong", "tt.hoa",
                                                                                  "tt.son")}
    if None in people.values():
        return None
    legal = db.session.scalar(select(Unit.id).where(Unit.short_name == "PC"))
    deadline = to_local(now + timedelta(days=2)).replace(hour=17, minute=0, second=0, microsecond=0)
    made = services.create({
        "title": "Xin ý kiến dự thảo Nghị định quy định về quản lý phân bón",
        "questions": [{"kind": "choice", "text": "Đồng chí có đồng ý với dự thảo Nghị định?",
                       "options": ["Đồng ý", "Không đồng ý", "Ý kiến khác"]},
                      {"kind": "text", "text": "Ý kiến góp ý cụ thể (nếu có)"}],
        "deadline": deadline.replace(tzinfo=None).isoformat(timespec="minutes"),
        "user_ids": [people["bo.truong"].id, people["tt.hoa"].id, people["tt.son"].id],
        "unit_ids": [legal] if legal else []}, people["thuky"], now)
    documents.upload(made.carrier_id, _draft_pdf(), "Du thao Nghi dinh phan bon.pdf", {}, people["thuky"], now)
    services.send(made.id, people["thuky"], now)
    answers.answer(made.id, {"answers": [{"question": 1, "choice": "Đồng ý"},
                                         {"question": 2, "text": "Đề nghị làm rõ trách nhiệm kiểm tra chất lượng."}],
                             "submit": True}, people["tt.hoa"], now)
    answers.answer(made.id, {"no_opinion": True, "submit": True}, people["tt.son"], now)
    return made.id


def load_periodic_demo(now: datetime) -> int | None:
    """A monthly report from three units, set up four weeks ago: last period's round is past (two units
    sent on time, one is missing) and this period's round is open. Its id (None without the demo people)."""
    from meetings.consultations import periodic

    secretary = directory.user_by_email(f"thuky@{DOMAIN}")
    heads = [directory.user_by_email(f"{local}@{DOMAIN}") for local in ("vu.khtc", "vu.pc")]
    units = [db.session.scalar(select(Unit.id).where(Unit.short_name == short)) for short in ("KHTC", "PC", "TTBVTV")]
    if secretary is None or None in heads or None in units:
        return None
    began = now - timedelta(days=28)
    first = to_local(began + timedelta(days=5)).replace(hour=17, minute=0, second=0, microsecond=0)
    made = services.create({
        "title": "Báo cáo tình hình thực hiện nhiệm vụ hằng tháng",
        "questions": [{"kind": "text", "text": "Số nhiệm vụ hoàn thành trong tháng"},
                      {"kind": "text", "text": "Khó khăn, vướng mắc và kiến nghị"}],
        "deadline": first.replace(tzinfo=None).isoformat(timespec="minutes"), "unit_ids": units,
        "recurrence": "FREQ=MONTHLY", "lead_days": 14}, secretary, began)
    services.send(made.id, secretary, began)
    past = periodic.rounds(made)[0]
    for head in heads:
        answers.answer(past.id, {"answers": [{"question": 1, "text": "12"}], "submit": True}, head,
                       began + timedelta(days=1))
    periodic.open_due(made, now)
    db.session.commit()
    return made.id
