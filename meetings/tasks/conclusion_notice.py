"""The conclusion notice (thông báo kết luận) of a meeting: prepared as a draft by the meeting's
secretary, previewed, then issued once with the next number of the issuing office for the year,
and frozen: the PDF issued (signed when a certificate is set) is kept and served as it is.

Plain functions of (ids, values, the acting user, now), like the rest of the tasks feature.
"""
import hashlib
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import insert, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from meetings import jobs
from meetings.calendar.conflicts import lock_calendar
from meetings.calendar.models import Event
from meetings.directory.models import Unit, User
from meetings.directory.services import place_of
from meetings.dossiers import agenda
from meetings.dossiers.models import Meeting
from meetings.errors import Conflict, Forbidden, NotFound, ValidationFailed
from meetings.extensions import db
from meetings.notify.services import notify
from meetings.tasks import signing
from meetings.tasks.access import notice_rights
from meetings.tasks.conclusions import conclusions_of
from meetings.tasks.dates import local_today
from meetings.tasks.models import ConclusionNotice, NoticeCounter, NoticeRecipientUnit
from meetings.tasks.paper import AdministrativeDocument, Paragraph, Signer, render
from meetings.tasks.services import Stale
from meetings.text import fold_vietnamese
from meetings.validation import Fields
from meetings.web import link_to

KIND_CODE = "TB"  # thông báo, in the number: 12/TB-VP
ARCHIVE = "Lưu: VT"  # the issuing office's archive (văn thư) keeps a copy, always the last recipient
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV")


def _meeting(meeting_id: int) -> Event:
    meeting = db.session.get(Event, meeting_id)
    if meeting is None:
        raise NotFound(_("No such meeting."))
    return meeting


def _notice_of(meeting_id: int) -> ConclusionNotice | None:
    return db.session.scalar(select(ConclusionNotice).where(ConclusionNotice.meeting_id == meeting_id))


def find(meeting_id: int, user) -> tuple[Event, ConclusionNotice | None]:
    """The meeting and its notice, if `user` may read it or prepare it; NotFound otherwise."""
    meeting = _meeting(meeting_id)
    notice = _notice_of(meeting_id)
    if not notice_rights(user, meeting, notice).see:
        raise NotFound(_("No such notice."))
    return meeting, notice


def readable(meeting: Event, user) -> bool:
    """Whether the meeting's pages should offer its notice to `user` (to prepare, or to read)."""
    return notice_rights(user, meeting, _notice_of(meeting.id)).see


def issued_pdf(meeting_id: int, user) -> tuple[ConclusionNotice, bytes]:
    """The notice as issued, byte for byte; NotFound while it is a draft or for those who may not read it."""
    notice = find(meeting_id, user)[1]
    if notice is not None and notice.status == "signing" and notice_rights(user, notice.meeting, notice).manage:
        raise Conflict(_("The notice is being signed. It can be read in a moment."))
    if notice is None or notice.status != "issued":
        raise NotFound(_("The notice has not been issued yet."))
    return notice, notice.pdf


def _managed(meeting_id: int, user) -> tuple[Event, ConclusionNotice | None]:
    meeting, notice = find(meeting_id, user)
    if not notice_rights(user, meeting, notice).manage:
        raise Forbidden(_("Only the meeting's secretaries prepare and issue its notice."))
    return meeting, notice


def chair_of(meeting: Event) -> User | None:
    """The leader who chaired: the entry's chair, else the dossier's participant with the chair role."""
    link = next((link for link in meeting.leaders if link.role == "chair"), None)
    if link is not None:
        return link.user
    dossier = db.session.get(Meeting, meeting.id)
    part = next((p for p in dossier.participants if p.role == "chair"), None) if dossier else None
    return part.user if part else None


def _meeting_words(title: str) -> str:
    """'Họp giao ban Lãnh đạo Bộ' -> 'giao ban Lãnh đạo Bộ', to follow 'tại cuộc họp'."""
    for lead in ("cuoc hop ", "hop "):
        if fold_vietnamese(title).startswith(lead):
            return title[len(lead):].strip()
    return title


def default_subtitle(meeting: Event) -> str:
    chair = chair_of(meeting)
    who = f" của {chair.display_name}" if chair else ""
    return f"Kết luận{who} tại cuộc họp {_meeting_words(meeting.title)}"


def default_intro(meeting: Event) -> str:
    day = local_today(meeting.start_at)
    chair = chair_of(meeting)
    place = meeting.room.name if meeting.room else meeting.location
    where = f", tại {place}" if place else ""
    who = chair.display_name if chair else "Lãnh đạo"
    said = (chair.title or who) if chair else who
    return (f"Ngày {day.day:02d} tháng {day.month:02d} năm {day.year}{where}, {who} đã chủ trì cuộc họp "
            f"{_meeting_words(meeting.title)}. Sau khi nghe báo cáo và ý kiến của các đại biểu dự họp, "
            f"{said} kết luận như sau:")


def _task_units(meeting: Event) -> list[int]:
    """The units the meeting's conclusions gave tasks to (responsible or cooperating), in order."""
    found: list[int] = []
    for conclusion in conclusions_of(meeting):
        for task in conclusion.tasks:
            for unit_id in [task.unit_id, *task.cooperating_unit_ids]:
                if unit_id not in found:
                    found.append(unit_id)
    return found


def _root_unit() -> Unit | None:
    return db.session.scalar(select(Unit).where(Unit.parent_id.is_(None)).order_by(Unit.position, Unit.id).limit(1))


def _new_draft(meeting: Event, actor, now: datetime) -> ConclusionNotice:
    chair = chair_of(meeting)
    unit_id = actor.unit_id or (_root_unit().id if _root_unit() else None)
    if unit_id is None:
        raise Conflict(_("Create the organisation's units first: a notice is issued by a unit."))
    notice = ConclusionNotice(meeting_id=meeting.id, status="draft", issuing_unit_id=unit_id,
                              subtitle=default_subtitle(meeting), intro=default_intro(meeting),
                              signer_capacity="", other_recipients=f"{chair.title or chair.name} (để b/c)" if chair else "",
                              created_at=now, updated_at=now)
    notice.recipient_units = [NoticeRecipientUnit(unit_id=i) for i in _task_units(meeting)]
    db.session.add(notice)
    return notice


def draft(meeting_id: int, actor, now: datetime) -> ConclusionNotice:
    """The notice to prepare: the existing one, or a new draft filled from the meeting (saved)."""
    meeting, notice = _managed(meeting_id, actor)
    if notice is None:
        notice = _new_draft(meeting, actor, now)
        db.session.commit()
    return notice


def _ids(data: dict, name: str, fields: Fields) -> list[int]:
    ids = fields.id_list(name)
    if any(db.session.get(Unit, i) is None for i in ids):
        fields.fail(name, _("No such unit."))
    return ids


def _check_version(notice: ConclusionNotice, version) -> None:
    if version not in (None, "") and str(version) != str(notice.version):
        db.session.rollback()
        raise Stale(_("Someone else changed this notice; reload it."))


def _locked(meeting_id: int, actor) -> ConclusionNotice:
    notice = _managed(meeting_id, actor)[1]
    if notice is None:
        raise NotFound(_("No such notice."))
    notice = db.session.get(ConclusionNotice, notice.id, with_for_update=True, populate_existing=True)
    if notice.status != "draft":  # issued, or being signed by the worker
        raise Conflict(_("The notice has been issued and can no longer change."))
    return notice


def save(meeting_id: int, data: dict, actor, now: datetime) -> ConclusionNotice:
    """Change the draft: issuing unit, signer and capacity, subtitle, opening, recipients."""
    notice = _locked(meeting_id, actor)
    _check_version(notice, data.get("version"))
    fields = Fields(data)
    unit_id = fields.integer("issuing_unit_id", required=True)
    if unit_id is not None and db.session.get(Unit, unit_id) is None:
        fields.fail("issuing_unit_id", _("No such unit."))
    signer_id = fields.integer("signer_id")
    signer = db.session.get(User, signer_id) if signer_id else None
    if signer_id and (signer is None or not signer.active):
        fields.fail("signer_id", _("Unknown or inactive."))
    values = {"issuing_unit_id": unit_id, "signer_id": signer_id,
              "signer_capacity": fields.string("signer_capacity", max_length=300, default=""),
              "subtitle": fields.string("subtitle", required=True, max_length=1000),
              "intro": fields.string("intro", max_length=20000, default=""),
              "other_recipients": fields.string("other_recipients", max_length=5000, default="")}
    unit_ids = _ids(data, "recipient_unit_ids", fields)
    fields.raise_if_errors()
    for name, value in values.items():
        setattr(notice, name, value)
    kept = {link.unit_id: link for link in notice.recipient_units}
    notice.recipient_units = [kept.get(i) or NoticeRecipientUnit(unit_id=i) for i in unit_ids]
    notice.updated_at = now
    db.session.commit()
    return notice


def recipients(notice: ConclusionNotice) -> list[str]:
    """Nơi nhận as printed: the units, then the other lines, then the archive."""
    lines = [link.unit.name for link in notice.recipient_units]
    lines += [line.strip(" -;.") for line in notice.other_recipients.splitlines() if line.strip(" -;.")]
    if not any(fold_vietnamese(line).startswith("luu") for line in lines):
        lines.append(ARCHIVE)
    return lines


def number_text(notice: ConclusionNotice) -> str:
    """'12/TB-VP'; a draft leaves the number blank for the archive to fill: '     /TB-VP'."""
    code = notice.issuing_unit.short_name
    suffix = f"{KIND_CODE}-{code}" if code else KIND_CODE
    return f"{notice.number if notice.number else '      '}/{suffix}"


def body(meeting: Event, issuer: str, intro: str) -> list[Paragraph]:
    """The opening, the conclusions numbered in order (under their agenda items when they have
    one, items in agenda order), and the closing line."""
    paragraphs = [Paragraph(intro)] if intro else []
    listed = conclusions_of(meeting)
    dossier = db.session.get(Meeting, meeting.id)
    items = agenda.ordered(dossier) if dossier else []
    order = {item.id: n for n, item in enumerate(items)}
    titles = {item.id: item.title for item in items}
    grouped = any(c.agenda_item_id in titles for c in listed)
    listed.sort(key=lambda c: (order.get(c.agenda_item_id, len(order)), c.id))
    number, group, heading = 0, None, 0
    for conclusion in listed:
        key = conclusion.agenda_item_id if conclusion.agenda_item_id in titles else None
        if grouped and (key != group or number == 0):
            heading += 1
            label = ROMAN[heading - 1] if heading <= len(ROMAN) else str(heading)
            paragraphs.append(Paragraph(f"{label}. {titles[key] if key else 'Các nội dung khác'}", bold=True))
            group = key
        number += 1
        paragraphs.append(Paragraph(f"{number}. {conclusion.text}"))
    paragraphs.append(Paragraph(f"{issuer} thông báo để các cơ quan, đơn vị liên quan biết, thực hiện./."))
    return paragraphs


def document(notice: ConclusionNotice, now: datetime) -> AdministrativeDocument:
    """The notice as the administrative document to print: issued, or a draft with blanks."""
    unit = notice.issuing_unit
    signer = notice.signer
    capacity = [line.strip() for line in notice.signer_capacity.splitlines() if line.strip()]
    if not capacity and signer is not None and signer.title:
        capacity = [signer.title]
    issued = notice.status in ("signing", "issued")
    return AdministrativeDocument(
        issuer=unit.name, governing_body=unit.parent.name if unit.parent else None, number=number_text(notice),
        kind="Thông báo", summary=notice.subtitle, body=body(notice.meeting, unit.name, notice.intro),
        signers=[Signer(capacity=capacity, name=signer.name if signer else "")], place=place_of(unit),
        day=notice.issued_on if issued else None, year=local_today(now).year,
        recipients=recipients(notice), draft=not issued)


def preview(meeting_id: int, actor, now: datetime) -> bytes:
    """The draft as a PDF with its blanks, for the secretary to read before issuing."""
    notice = draft(meeting_id, actor, now)
    return render(document(notice, now))


def _next_number(unit_id: int, year: int) -> int:
    """The next number of this office in this year, taken inside the caller's transaction: the
    counter row stays locked until commit (PostgreSQL: FOR UPDATE; SQLite: its one write lock), so
    a concurrent issuer waits, and a rollback gives the number back."""
    dialect = db.session.connection().dialect.name
    row = {"unit_id": unit_id, "year": year, "last_number": 0}
    if dialect == "postgresql":
        db.session.execute(pg_insert(NoticeCounter).values(**row).on_conflict_do_nothing())
    elif dialect == "sqlite":
        db.session.execute(sqlite_insert(NoticeCounter).values(**row).on_conflict_do_nothing())
    elif db.session.get(NoticeCounter, (unit_id, year)) is None:
        db.session.execute(insert(NoticeCounter).values(**row))
    counter = db.session.get(NoticeCounter, (unit_id, year), with_for_update=True, populate_existing=True)
    counter.last_number += 1
    return counter.last_number


def issue(meeting_id: int, data: dict, actor, now: datetime) -> ConclusionNotice:
    """Number, date, render and freeze the notice in one transaction (a failure gives the number
    back). With a signing certificate the worker signs it and then tells its readers
    (notice_jobs.sign_notice), so that the private key is used by the worker alone and no request
    waits for a signature. Without one it is issued at once, unsigned."""
    lock_calendar((), (), ())  # SQLite: take the write lock before reading anything
    notice = _locked(meeting_id, actor)
    _check_version(notice, data.get("version"))
    problems = {}
    if notice.signer is None:
        problems["signer_id"] = _("Choose who signs the notice.")
    if not conclusions_of(notice.meeting):
        problems["conclusions"] = _("The meeting has no conclusions to announce yet.")
    if problems:
        raise ValidationFailed(problems)
    today = local_today(now)
    notice.year, notice.issued_on = today.year, today
    notice.number = _next_number(notice.issuing_unit_id, today.year)
    notice.status, notice.issued_at, notice.issued_by_id, notice.updated_at = "signing", now, actor.id, now
    pdf = render(document(notice, now))
    notice.pdf, notice.pdf_sha256, notice.signed = pdf, hashlib.sha256(pdf).hexdigest(), False
    if signing.current_certificate() is None:
        notice.status = "issued"
        _tell_readers(notice, now)
    else:
        jobs.enqueue_after_commit("sign_notice", notice.id, now.isoformat())
    db.session.commit()
    return notice


def sign_issued(notice: ConclusionNotice, now: datetime) -> None:
    """The worker's part of issuing: the rendered notice signed (PAdES), kept for good, its readers told."""
    certificate = signing.current_certificate()
    if certificate is not None:  # removed since the notice was issued: it goes out unsigned, as it would have
        pdf = signing.sign(notice.pdf, certificate, reason=f"Thông báo số {number_text(notice)}",
                           location=place_of(notice.issuing_unit))
        notice.pdf, notice.pdf_sha256, notice.signed = pdf, hashlib.sha256(pdf).hexdigest(), True
    notice.status = "issued"
    _tell_readers(notice, now)
    db.session.commit()


def readers(notice: ConclusionNotice) -> list[User]:
    """Who is told of the issued notice: participants, leaders and members of the recipient units."""
    ids = {link.user_id for link in notice.meeting.leaders}
    dossier = db.session.get(Meeting, notice.meeting_id)
    if dossier is not None:
        ids |= {p.user_id for p in dossier.participants}
    people = list(db.session.scalars(select(User).where(User.active.is_(True), User.id.in_(ids)))) if ids else []
    if notice.recipient_unit_ids:
        people += db.session.scalars(select(User).where(User.active.is_(True),
                                                        User.unit_id.in_(notice.recipient_unit_ids)))
    return list({person.id: person for person in people}.values())


def _tell_readers(notice: ConclusionNotice, now: datetime) -> None:
    title = _("Conclusion notice %(number)s issued: %(subtitle)s", number=number_text(notice),
              subtitle=notice.subtitle)
    url = link_to("tasks.notice", meeting_id=notice.meeting_id)
    for person in readers(notice):
        notify(person, "document", title, now, url=url, dedupe_key=f"notice:{notice.id}:issued",
               email_text="\n".join([title, link_to("tasks.notice", external=True, meeting_id=notice.meeting_id)]))
