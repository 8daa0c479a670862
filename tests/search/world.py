"""A small office for search tests: meetings (published, draft, confidential, with a delegate),
documents for all, for chosen readers and read-in-the-app-only, entries of every visibility,
conclusions, tasks and minutes, all holding the words "ngân sách" so one query finds everything."""
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone

from meetings.calendar import services as calendar
from meetings.directory.models import User
from meetings.dossiers import services as dossiers
from meetings.dossiers.models import Document, DocumentPage, DocumentReader, DocumentVersion, MeetingParticipant
from meetings.extensions import db
from meetings.tasks import conclusions
from meetings.tasks.models import Minutes, Task, TaskCooperatingUnit
from meetings.text import fold_vietnamese
from tests.factories import Factories

NOW = datetime(2026, 12, 2, 3, 0, tzinfo=timezone.utc)


@dataclass
class World:
    people: dict = field(default_factory=dict)  # name -> UserInfo
    meetings: dict = field(default_factory=dict)  # name -> id
    documents: dict = field(default_factory=dict)
    entries: dict = field(default_factory=dict)


def add_document(meeting_id: int, title: str, pages: list[str], audience="all", readers=(), read_only=False,
                 version: int = 1) -> int:
    """A document with its page texts, as intake stores them (no PDF: search reads the texts only)."""
    document = Document(meeting_id=meeting_id, title=title, audience=audience,
                        access="app" if read_only else "download",
                        current_version=version, pages=len(pages), position=0)
    document.readers = [DocumentReader(user_id=i) for i in readers]
    db.session.add(document)
    db.session.flush()
    add_version(document, pages, version)
    db.session.commit()
    return document.id


def add_version(document: Document, pages: list[str], number: int) -> None:
    version = DocumentVersion(document_id=document.id, number=number, pages=len(pages), size=1, sha256="0" * 64,
                              filename="t.pdf", created_at=NOW)
    db.session.add(version)
    db.session.flush()
    db.session.add_all(DocumentPage(version_id=version.id, page=n, text=text, folded=fold_vietnamese(text))
                       for n, text in enumerate(pages, start=1))
    document.current_version, document.pages = number, len(pages)


def build(app) -> World:
    make, world = Factories(app), World()
    for name, role, unit in (("admin", "admin", None), ("secretary", "secretary", "Văn phòng Bộ"),
                             ("chair", "leader", None), ("leader", "leader", None),
                             ("member", "member", "Vụ Kế hoạch"), ("other", "member", "Vụ Kế hoạch"),
                             ("outsider", "member", "Cục Thú y")):
        world.people[name] = make.user(role, name=f"{name.title()} Nguyễn", unit=unit)
    p = world.people
    with app.app_context():
        sec = db.session.get(User, p["secretary"].id)

        def meeting(title, start, status="published", confidential=False, people=()):
            body = {"title": title, "start": start, "end": start.replace("T08", "T10"), "status": status,
                    "confidential": confidential, "chair_id": p["chair"].id,
                    "participants": [{"user_id": p[n].id, "role": "member"} for n in people]}
            return dossiers.create_meeting(body, sec, NOW).id

        m = world.meetings
        m["published"] = meeting("Họp kế hoạch ngân sách năm 2027", "2026-12-03T08:00", people=("member", "other"))
        m["draft"] = meeting("Họp dự thảo ngân sách", "2026-12-04T08:00", status="draft", people=("member",))
        # Confidential, set up by an admin: the office's secretary takes no part, so it is hidden from them.
        admin = db.session.get(User, p["admin"].id)
        body = {"title": "Họp mật về ngân sách quốc phòng", "start": "2026-12-05T08:00", "end": "2026-12-05T10:00",
                "status": "published", "confidential": True, "participants": [{"user_id": p["leader"].id,
                                                                                "role": "member"}]}
        m["confidential"] = dossiers.create_meeting(body, admin, NOW).id
        m["delegated"] = meeting("Họp giao ban ngân sách tháng", "2026-11-20T08:00", people=("member", "other"))
        part = db.session.scalar(db.select(MeetingParticipant).filter_by(meeting_id=m["delegated"],
                                                                            user_id=p["member"].id))
        part.delegate_for_id = p["other"].id
        db.session.commit()

        d = world.documents
        d["all"] = add_document(m["published"], "Báo cáo ngân sách", ["Tổng hợp ngân sách năm 2027.", "Phụ lục"])
        d["chosen"] = add_document(m["published"], "Dự toán chi tiết", ["Chi tiết ngân sách từng vụ."],
                                   audience="chosen", readers=[p["other"].id])
        d["read_only"] = add_document(m["published"], "Tờ trình mật", ["Ngân sách dự phòng."], read_only=True)
        d["draft"] = add_document(m["draft"], "Dự thảo", ["Ngân sách dự thảo."])
        d["confidential"] = add_document(m["confidential"], "Phụ lục mật", ["Ngân sách quốc phòng."])
        d["delegated"] = add_document(m["delegated"], "Báo cáo riêng", ["Ngân sách tháng 11."],
                                      audience="chosen", readers=[p["other"].id])

        e = world.entries

        def entry(title, **values):
            event, _ = calendar.create_event({"title": title, "start": "2026-12-07T14:00", "end": "2026-12-07T16:00",
                                              "leader_ids": [p["chair"].id], "allow_conflict": True, **values}, sec, NOW)
            return event.id

        e["internal"] = entry("Làm việc về ngân sách tỉnh", status="published")
        e["confidential"] = entry("Tiếp đoàn ngân sách", status="published", visibility="confidential",
                                  participant_unit_ids=[p["outsider"].unit_id])
        e["draft"] = entry("Dự kiến ngân sách", status="draft")

        c = {}
        for name in ("published", "draft", "confidential"):
            c[name] = conclusions.record_conclusion(m[name], {"text": f"Kết luận về ngân sách ({name})"},
                                                    admin, NOW).id
        c["internal"] = conclusions.record_conclusion(e["internal"], {"text": "Kết luận ngân sách tỉnh"}, sec, NOW).id
        c["entry_confidential"] = conclusions.record_conclusion(e["confidential"], {"text": "Kết luận ngân sách đoàn"},
                                                                sec, NOW).id
        world.conclusions = c

        t = {}
        for name, unit, meeting_id, coop in (("member_unit", p["member"].unit_id, None, None),
                                             ("outsider_unit", p["outsider"].unit_id, None, None),
                                             ("chaired", p["outsider"].unit_id, m["published"], None),
                                             ("cooperating", p["outsider"].unit_id, None, p["member"].unit_id)):
            task = Task(title=f"Rà soát ngân sách ({name})", unit_id=unit, due_date=date(2026, 12, 20),
                        source="meeting" if meeting_id else "direct", meeting_id=meeting_id,
                        leader_id=p["chair"].id if meeting_id else None, created_at=NOW, updated_at=NOW)
            if coop:
                task.cooperating = [TaskCooperatingUnit(unit_id=coop)]
            db.session.add(task)
            db.session.commit()
            t[name] = task.id
        world.tasks = t

        world.minutes = {}
        for name in ("published", "draft"):
            minutes = Minutes(meeting_id=m[name], version_no=1, body=f"BIÊN BẢN\nNgân sách ({name})",
                              generated_at=NOW + timedelta(hours=1))
            db.session.add(minutes)
            db.session.commit()
            world.minutes[name] = minutes.id
    return world
