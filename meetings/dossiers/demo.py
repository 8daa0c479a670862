"""A demo meeting for next week: agenda, participants from several units, two generated PDFs (one
read in the app only). `now` comes from the `flask demo` command; nothing here reads the clock."""
from datetime import datetime, timedelta

import pymupdf

from meetings.directory import services as directory
from meetings.dossiers import agenda, documents, services
from meetings.dossiers.pdf import vietnamese_font_buffer
from meetings.mupdf import serialised
from meetings.timeutil import app_zone

DOMAIN = "demo.gov.vn"
AGENDA = [("Khai mạc, thông qua chương trình", "cvp", 5), ("Báo cáo tình hình thực hiện dự toán ngân sách năm 2026",
          "vu.khtc", 30), ("Dự thảo Nghị định sửa đổi quy định về bảo vệ thực vật", "cuc.ttbvtv", 40),
          ("Ý kiến các đơn vị", None, 30), ("Kết luận của Bộ trưởng", "bo.truong", 15)]
PEOPLE = [("bo.truong", "chair"), ("thuky", "secretary"), ("tt.hoa", "member"), ("tt.hung", "member"),
          ("cvp", "member"), ("vu.khtc", "member"), ("vu.pc", "member"), ("cuc.ttbvtv", "member"),
          ("chuyenvien", "guest")]
DOCUMENTS = [("Báo cáo dự toán ngân sách 2026", 1, False,
              "Báo cáo tình hình thực hiện dự toán ngân sách nhà nước năm 2026 của Bộ; kiến nghị điều chỉnh."),
             ("Dự thảo Nghị định (bản trình)", 2, True,
              "Dự thảo Nghị định sửa đổi, bổ sung một số điều về bảo vệ và kiểm dịch thực vật.")]


@serialised
def demo_pdf(title: str, body: str, pages: int = 3) -> bytes:
    doc = pymupdf.open()
    for number in range(1, pages + 1):
        page = doc.new_page()
        page.insert_font(fontname="noto", fontbuffer=vietnamese_font_buffer())
        page.insert_textbox(pymupdf.Rect(56, 56, 539, 786), f"{title}\nTrang {number}\n\n{body}\n" * 3,
                            fontname="noto", fontsize=11)
    doc.subset_fonts()
    return doc.tobytes(garbage=3, deflate=True)


def load_meetings_demo(now: datetime) -> None:
    people = {local: directory.user_by_email(f"{local}@{DOMAIN}") for local, _role in PEOPLE}
    secretary = people["thuky"]
    day = (now.astimezone(app_zone()) + timedelta(days=7)).date()
    meeting = services.create_meeting({
        "title": "Họp Lãnh đạo Bộ về dự toán ngân sách và dự thảo Nghị định", "start": f"{day}T14:00",
        "end": f"{day}T16:30", "status": "published", "leader_ids": [people["bo.truong"].id],
        "participants": [{"user_id": people[local].id, "role": role} for local, role in PEOPLE]}, secretary, now)
    items = [agenda.add_item(meeting.id, {"title": title, "duration_minutes": minutes,
                                          **({"presenter_id": people[who].id} if who else {})}, secretary, now)
             for title, who, minutes in AGENDA]
    for title, item, app_only, body in DOCUMENTS:
        documents.upload(meeting.id, demo_pdf(title, body), f"{title}.pdf",
                         {"title": title, "agenda_item_id": items[item].id,
                          "access": "app" if app_only else "download"}, secretary, now)
