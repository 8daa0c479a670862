"""The conclusion notice (thông báo kết luận): the administrative layout read back from the PDF,
numbers per office and year without gaps, a frozen issued notice, who may read it through every
door, and the PAdES signature checked with pyHanko's own validation."""
import hashlib
import re
import threading
import time
from datetime import date, datetime, timedelta, timezone
from io import BytesIO

import pymupdf
import pytest
from cryptography.hazmat.primitives.serialization import pkcs12
from pyhanko.sign.validation.status import SignatureCoverageLevel
from sqlalchemy import func, select, text

from meetings.directory import services as directory
from meetings.dossiers import agenda
from meetings.dossiers import services as dossiers
from meetings.errors import Conflict, Forbidden, ValidationFailed
from meetings.extensions import db
from meetings.tasks import conclusion_notice as notices
from meetings.tasks import conclusions
from meetings.tasks.models import ConclusionNotice, NoticeCounter, SigningCertificate
from meetings.tasks.paper import TOP, vietnamese_date
from tests.calendar.conftest import NOW
from tests.tasks.certs import p12, self_signed, validate
from tests.tasks.conftest import TaskOffice

ITEM_1 = "Dự thảo Nghị định sửa đổi về quản lý đất đai"
ITEM_2 = "Tình hình giải ngân vốn đầu tư công"
CONCLUSIONS = [  # (agenda item index or None, text), in the order they are recorded
    (1, "Giao Vụ Kế hoạch - Tài chính tổng hợp tình hình giải ngân, báo cáo tại phiên giao ban tuần sau."),
    (0, "Giao Vụ Pháp chế chủ trì rà soát hồ sơ dự thảo Nghị định, trình Bộ trưởng trong tháng."),
    (None, "Văn phòng Bộ chuẩn bị nội dung Hội nghị sơ kết công tác quý IV."),
    (0, "Các đơn vị gửi ý kiến góp ý dự thảo về Vụ Pháp chế trước ngày 10 tháng 12."),
]


class NoticeOffice(TaskOffice):
    """The task office with its Văn phòng Bộ (which issues notices), a dossier meeting with an agenda
    and conclusions, and the chief of office who signs."""

    def __init__(self, app):
        super().__init__(app)
        make = self.factories
        with app.app_context():
            directory.update_unit(self.ministry, {"place": "Hà Nội"})
            self.office_unit = directory.create_unit({"name": "Văn phòng Bộ", "short_name": "VP",
                                                      "parent_id": self.ministry}).id
            directory.update_unit(self.legal, {"short_name": "PC"})
        self.clerk = make.user("secretary", name="Bùi Văn Nam", unit="Văn phòng Bộ")
        self.chief = make.user("member", name="Trịnh Quang Huy", title="Chánh Văn phòng", unit="Văn phòng Bộ")
        self.board = self.dossier_meeting("Họp giao ban Lãnh đạo Bộ", with_conclusions=True)

    def dossier_meeting(self, title: str, participants=None, with_conclusions=False) -> int:
        with self.app.app_context():
            people = participants or [{"user_id": self.minister.id, "role": "chair"},
                                      {"user_id": self.legal_head.id, "role": "member"}]
            meeting = dossiers.create_meeting({"title": title, "start": "2026-12-01T14:00", "end": "2026-12-01T16:00",
                                               "status": "published", "participants": people,
                                               "room_id": self.room, "allow_conflict": True}, self.user(self.clerk), NOW)
            meeting_id = meeting.id
            if with_conclusions:
                items = [agenda.add_item(meeting_id, {"title": t}, self.user(self.clerk), NOW).id
                         for t in (ITEM_1, ITEM_2)]
                for index, text in CONCLUSIONS:
                    conclusions.record_conclusion(meeting_id, {"text": text, "agenda_item_id": items[index]
                                                               if index is not None else None},
                                                  self.user(self.clerk), NOW)
            else:
                conclusions.record_conclusion(meeting_id, {"text": "Giao Vụ Pháp chế theo dõi."},
                                              self.user(self.clerk), NOW)
            return meeting_id

    def prepare(self, meeting_id: int, who=None, **changes) -> dict:
        """The draft as the form shows it, saved with these changes."""
        with self.app.app_context():
            actor = self.user(who or self.clerk)
            notice = notices.draft(meeting_id, actor, NOW)
            data = {"issuing_unit_id": notice.issuing_unit_id, "signer_id": self.chief.id,
                    "signer_capacity": "TL. Bộ trưởng\nChánh Văn phòng", "subtitle": notice.subtitle,
                    "intro": notice.intro, "other_recipients": notice.other_recipients,
                    "recipient_unit_ids": notice.recipient_unit_ids or [self.legal], "version": notice.version,
                    **changes}
            saved = notices.save(meeting_id, data, actor, NOW)
            return {"id": saved.id, "version": saved.version}

    def issue(self, meeting_id: int, now=NOW, who=None, **changes) -> dict:
        self.prepare(meeting_id, **changes)
        with self.app.app_context():
            issued = notices.issue(meeting_id, {}, self.user(who or self.clerk), now)
            return {"number": issued.number, "year": issued.year, "text": notices.number_text(issued),
                    "pdf": issued.pdf, "signed": issued.signed}


@pytest.fixture
def office(app):
    return NoticeOffice(app)


def text_of(pdf: bytes) -> str:
    with pymupdf.open(stream=pdf, filetype="pdf") as doc:
        return "\n".join(page.get_text() for page in doc)


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def sign_in(client, user):
    client.post("/login", data={"email": user.email, "password": user.password})


# Layout ------------------------------------------------------------------------------------------

def test_the_notice_reads_as_an_administrative_document(office):
    issued = office.issue(office.board)
    text = text_of(issued["pdf"])
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    for line in ("BỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG", "VĂN PHÒNG BỘ", "Số: 1/TB-VP", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                 "Độc lập - Tự do - Hạnh phúc", "Hà Nội, ngày 02 tháng 12 năm 2026", "THÔNG BÁO", "Nơi nhận:",
                 "- Vụ Pháp chế;", "- Lưu: VT.", "TL. BỘ TRƯỞNG", "CHÁNH VĂN PHÒNG", "Trịnh Quang Huy"):
        assert line in lines, line
    body = flat(text)
    assert "Kết luận của Bộ trưởng Nguyễn Văn Minh tại cuộc họp giao ban Lãnh đạo Bộ" in body
    assert "Phòng họp số 1" in body  # the opening says where
    # Conclusions numbered in agenda order, under their items; the one without an item last.
    expected = [f"I. {ITEM_1}", f"1. {CONCLUSIONS[1][1]}", f"2. {CONCLUSIONS[3][1]}", f"II. {ITEM_2}",
                f"3. {CONCLUSIONS[0][1]}", "III. Các nội dung khác", f"4. {CONCLUSIONS[2][1]}",
                "Văn phòng Bộ thông báo để các cơ quan, đơn vị liên quan biết, thực hiện./."]
    positions = [body.index(part) for part in expected]
    assert positions == sorted(positions)
    assert "DỰ THẢO" not in body


def test_the_draft_preview_has_blanks_and_says_draft(office, client):
    office.prepare(office.board)
    sign_in(client, office.clerk)
    response = client.get(f"/tasks/meetings/{office.board}/notice/preview.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    lines = [line.strip() for line in text_of(response.data).splitlines()]
    assert "DỰ THẢO" in lines and "Số: /TB-VP" in [flat(line) for line in lines]
    assert "Hà Nội, ngày tháng năm 2026" in [flat(line) for line in lines]
    with pymupdf.open(stream=response.data, filetype="pdf") as doc:  # the mark prints over no line of the header
        mark, header = doc[0].search_for("DỰ THẢO"), doc[0].search_for("BỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG")
        assert mark and header and not any(m.intersects(h) for m in mark for h in header)
    with office.app.app_context():  # a preview takes no number
        assert db.session.scalar(select(func.count()).select_from(NoticeCounter)) == 0


@pytest.mark.parametrize("day, words", [(date(2026, 11, 28), "Hà Nội, ngày 28 tháng 11 năm 2026"),
                                        (date(2026, 2, 5), "Hà Nội, ngày 05 tháng 02 năm 2026"),
                                        (date(2026, 3, 9), "Hà Nội, ngày 09 tháng 3 năm 2026")])
def test_dates_in_words_follow_the_decree(day, words):
    assert vietnamese_date("Hà Nội", day) == words


def test_a_long_notice_runs_onto_numbered_pages(office):
    meeting = office.dossier_meeting("Họp Ban cán sự Đảng")
    with office.app.app_context():
        for n in range(30):
            conclusions.record_conclusion(meeting, {"text": f"Kết luận số {n + 1}: " + "nội dung chi tiết " * 20},
                                          office.user(office.clerk), NOW)
    pdf = office.issue(meeting)["pdf"]
    with pymupdf.open(stream=pdf, filetype="pdf") as doc:
        assert doc.page_count > 2
        assert any(word[4] == "2" and word[3] < TOP for word in doc[1].get_text("words"))  # numbered on top
        assert "Trịnh Quang Huy" in doc[doc.page_count - 1].get_text()


# Numbers -----------------------------------------------------------------------------------------

def test_numbers_run_per_office_and_year(office):
    first = office.issue(office.board)
    second = office.issue(office.dossier_meeting("Họp chuyên đề"))
    other_office = office.issue(office.dossier_meeting("Họp Vụ Pháp chế"), issuing_unit_id=office.legal)
    next_year = office.issue(office.dossier_meeting("Họp đầu năm"), now=datetime(2027, 1, 4, 2, tzinfo=timezone.utc))
    assert [first["text"], second["text"], other_office["text"], next_year["text"]] == [
        "1/TB-VP", "2/TB-VP", "1/TB-PC", "1/TB-VP"]
    assert next_year["year"] == 2027


def test_a_failed_issue_gives_its_number_back(office, monkeypatch):
    office.prepare(office.board)

    def broken(_doc):
        raise RuntimeError("disk full")

    monkeypatch.setattr(notices, "render", broken)
    with office.app.app_context(), pytest.raises(RuntimeError):
        notices.issue(office.board, {}, office.user(office.clerk), NOW)
    with office.app.app_context():
        db.session.rollback()
        notice = db.session.scalar(select(ConclusionNotice))
        assert notice.status == "draft" and notice.number is None
        assert db.session.scalar(select(func.count()).select_from(NoticeCounter)) == 0
    monkeypatch.undo()
    assert office.issue(office.board)["text"] == "1/TB-VP"


def test_issuing_needs_a_signer_and_conclusions(office):
    meeting = office.dossier_meeting("Họp không kết luận", with_conclusions=False)
    office.prepare(meeting, signer_id="")
    with office.app.app_context(), pytest.raises(ValidationFailed) as failed:
        notices.issue(meeting, {}, office.user(office.clerk), NOW)
    assert set(failed.value.fields) == {"signer_id"}
    with office.app.app_context():
        db.session.rollback()
        assert db.session.scalar(select(ConclusionNotice.status)) == "draft"


def second_is_waiting(deadline: float = 10.0) -> None:
    """PostgreSQL: return once another transaction waits for a row lock (polled, not slept on), so the
    second issuer has really reached the counter before the first commits. SQLite has one writer at a
    time: the second issuer's BEGIN IMMEDIATE waits for the first anyway."""
    if db.engine.dialect.name != "postgresql":
        return
    end = time.monotonic() + deadline
    with db.engine.connect() as connection:
        while time.monotonic() < end:
            if connection.scalar(text("SELECT count(*) FROM pg_locks WHERE NOT granted")):
                return
            connection.rollback()
            threading.Event().wait(0.01)
    raise AssertionError("the second issuer never waited for the first")


def test_two_issuers_at_once_get_two_numbers(office, make_app, monkeypatch):
    """The second issuer starts while the first holds the office's counter (its number taken, its PDF
    not yet made): it waits for the commit and takes the next number, never the same one."""
    office.issue(office.dossier_meeting("Họp tuần trước"))  # the counter row exists: both must lock it
    meetings = [office.board, office.dossier_meeting("Họp chuyên đề")]
    for meeting in meetings:
        office.prepare(meeting)
    numbered, go_on = threading.Event(), threading.Event()
    original = notices.render

    def render(doc):
        if threading.current_thread().name == "first":
            numbered.set()
            go_on.wait(10)
            second_is_waiting()
        return original(doc)

    monkeypatch.setattr(notices, "render", render)
    results, errors = {}, []

    def issue(name, meeting_id, app):
        try:
            with app.app_context():
                issued = notices.issue(meeting_id, {}, directory.get_user(office.clerk.id), NOW)
                results[name] = notices.number_text(issued)
        except Exception as exc:  # reported below, with the thread's name
            errors.append((name, exc))

    other_app = make_app(MEETINGS_FAKE_NOW=NOW)  # another process's view: its own engine and connections
    first = threading.Thread(target=issue, args=("first", meetings[0], office.app), name="first")
    second = threading.Thread(target=issue, args=("second", meetings[1], other_app), name="second")
    first.start()
    assert numbered.wait(10)
    second.start()
    go_on.set()
    first.join(30)
    second.join(30)
    with other_app.app_context():
        db.engine.dispose()
    assert errors == [] and results == {"first": "2/TB-VP", "second": "3/TB-VP"}


# Frozen ------------------------------------------------------------------------------------------

def test_an_issued_notice_is_frozen(office, client):
    issued = office.issue(office.board)
    with office.app.app_context():
        with pytest.raises(Conflict):
            notices.save(office.board, {"issuing_unit_id": office.office_unit, "subtitle": "Khác"},
                         office.user(office.clerk), NOW)
        with pytest.raises(Conflict):
            notices.issue(office.board, {}, office.user(office.clerk), NOW)
        db.session.rollback()
        # What happens later to the meeting does not change the notice that was issued.
        conclusions.record_conclusion(office.board, {"text": "Kết luận bổ sung."}, office.user(office.clerk), NOW)
    response = client.get(f"/api/v1/meetings/{office.board}/notice.pdf", headers=office.token(office.clerk))
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert hashlib.sha256(response.data).hexdigest() == hashlib.sha256(issued["pdf"]).hexdigest()
    sign_in(client, office.clerk)
    page = client.get(f"/tasks/meetings/{office.board}/notice").get_data(as_text=True)
    assert "1/TB-VP" in page and "data-notice-form" not in page
    assert client.post(f"/tasks/meetings/{office.board}/notice", data={"subtitle": "x"}).status_code == 302
    assert client.get(f"/api/v1/meetings/{office.board}/notice.pdf",
                      headers=office.token(office.clerk)).data == issued["pdf"]


def test_a_stale_form_is_refused(office):
    first = office.prepare(office.board)
    office.prepare(office.board, intro="Đã sửa.")
    with office.app.app_context(), pytest.raises(Exception) as stale:
        notices.save(office.board, {"issuing_unit_id": office.office_unit, "subtitle": "x",
                                    "version": first["version"]}, office.user(office.clerk), NOW)
    assert getattr(stale.value, "code", None) == "stale"


# Access ------------------------------------------------------------------------------------------

@pytest.fixture
def issued(office):
    office.issue(office.board, recipient_unit_ids=[office.legal, office.finance])
    # A second meeting with its own issued notice, none of whose readers are the first meeting's.
    other = office.dossier_meeting("Họp Hội đồng thi đua", participants=[
        {"user_id": office.deputy.id, "role": "chair"}, {"user_id": office.outsider.id, "role": "member"}])
    office.issue(other, recipient_unit_ids=[office.climate], other_recipients="")
    return other


@pytest.mark.parametrize("who", ["clerk", "secretary", "admin", "minister", "legal_head", "legal_staff",
                                 "finance_head", "chief"])
def test_readers_get_the_issued_notice(office, client, issued, who):
    user = getattr(office, who)
    response = client.get(f"/api/v1/meetings/{office.board}/notice.pdf", headers=office.token(user))
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "private, no-store"
    sign_in(client, user)
    assert client.get(f"/tasks/meetings/{office.board}/notice.pdf").status_code == 200
    assert "1/TB-VP" in client.get(f"/tasks/meetings/{office.board}/notice").get_data(as_text=True)


@pytest.mark.parametrize("who", ["climate_head", "outsider", "deputy"])
def test_others_get_404_through_every_door(office, client, issued, who):
    user = getattr(office, who)
    assert client.get(f"/api/v1/meetings/{office.board}/notice.pdf", headers=office.token(user)).status_code == 404
    sign_in(client, user)
    for url in (f"/tasks/meetings/{office.board}/notice", f"/tasks/meetings/{office.board}/notice.pdf"):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/tasks/meetings/{office.board}/notice/issue").status_code == 404
    # The other meeting's notice is theirs to read (as chair, participant, recipient unit).
    assert client.get(f"/api/v1/meetings/{issued}/notice.pdf", headers=office.token(user)).status_code == 200


def test_changing_the_meeting_id_does_not_reach_another_notice(office, client, issued):
    headers = office.token(office.legal_staff)
    assert client.get(f"/api/v1/meetings/{office.board}/notice.pdf", headers=headers).status_code == 200
    assert client.get(f"/api/v1/meetings/{issued}/notice.pdf", headers=headers).status_code == 404
    assert client.get("/api/v1/meetings/999999/notice.pdf", headers=headers).status_code == 404
    assert client.get(f"/api/v1/meetings/{office.board}/notice.pdf").status_code == 401


def test_a_draft_is_the_managers_alone(office, client):
    office.prepare(office.board)
    for user in (office.minister, office.legal_head):  # participants, but nothing is issued yet
        assert client.get(f"/api/v1/meetings/{office.board}/notice.pdf",
                          headers=office.token(user)).status_code == 404
    sign_in(client, office.legal_head)
    assert client.get(f"/tasks/meetings/{office.board}/notice").status_code == 404
    assert client.get(f"/tasks/meetings/{office.board}/notice/preview.pdf").status_code == 404
    with office.app.app_context(), pytest.raises(Exception) as refused:
        notices.issue(office.board, {}, office.user(office.legal_head), NOW)
    assert refused.value.status in (403, 404)


def test_participants_may_read_but_not_prepare(office, client, issued):
    sign_in(client, office.legal_head)
    assert client.get(f"/tasks/meetings/{office.board}/notice").status_code == 200
    assert client.post(f"/tasks/meetings/{office.board}/notice", data={"subtitle": "x"}).status_code == 403
    assert client.post(f"/tasks/meetings/{office.board}/notice/issue").status_code == 403
    assert client.get(f"/tasks/meetings/{office.board}/notice/preview.pdf").status_code == 403
    with office.app.app_context(), pytest.raises(Forbidden):
        notices.save(office.board, {"subtitle": "x"}, office.user(office.legal_head), NOW)


def test_the_secretary_prepares_and_issues_through_the_pages(office, client):
    sign_in(client, office.clerk)
    page = client.get(f"/tasks/meetings/{office.board}")
    assert "data-notice-link" in page.get_data(as_text=True)
    form = client.get(f"/tasks/meetings/{office.board}/notice").get_data(as_text=True)
    assert "data-notice-form" in form and "Kết luận của Bộ trưởng Nguyễn Văn Minh" in form
    assert "Ban hành thông báo" in form and "Xem trước (PDF)" in form  # the office's language first
    version = re.search(r'name="version" value="(\d+)"', form).group(1)
    with office.app.app_context():
        draft = db.session.scalar(select(ConclusionNotice))
        unit_id, subtitle = draft.issuing_unit_id, draft.subtitle
    saved = client.post(f"/tasks/meetings/{office.board}/notice", data={
        "version": version, "issuing_unit_id": unit_id, "signer_id": office.chief.id,
        "signer_capacity": "TL. Bộ trưởng\nChánh Văn phòng", "subtitle": subtitle, "intro": "Mở đầu.",
        "recipient_unit_ids": [office.legal, office.finance], "other_recipients": "Các Thứ trưởng"})
    assert saved.status_code == 302
    bad = client.post(f"/tasks/meetings/{office.board}/notice", data={"issuing_unit_id": unit_id, "subtitle": ""})
    assert bad.status_code == 422
    issued = client.post(f"/tasks/meetings/{office.board}/notice/issue", follow_redirects=True)
    assert "1/TB-VP" in issued.get_data(as_text=True)
    pdf = client.get(f"/tasks/meetings/{office.board}/notice.pdf?download=1")
    assert pdf.headers["Content-Disposition"].startswith("attachment;")
    body = flat(text_of(pdf.data))
    assert "- Các Thứ trưởng;" in body and "- Vụ Kế hoạch - Tài chính;" in body
    with office.app.app_context():  # the readers heard of it
        from meetings.notify.models import Notification

        told = set(db.session.scalars(select(Notification.user_id).where(Notification.kind == "document")))
    assert {office.minister.id, office.legal_head.id, office.finance_head.id} <= told
    assert office.climate_head.id not in told


# Signing -----------------------------------------------------------------------------------------

def upload(client, data: bytes, passphrase: str):
    return client.post("/tasks/signing", data={"certificate": (BytesIO(data), "van-phong.p12"),
                                                "passphrase": passphrase}, content_type="multipart/form-data")


@pytest.fixture
def certificate():
    return self_signed("Văn phòng Bộ Nông nghiệp và Môi trường", datetime(2026, 1, 1, tzinfo=timezone.utc))


def test_a_signed_notice_validates_and_a_changed_byte_breaks_it(office, client, certificate):
    key, cert = certificate
    sign_in(client, office.admin)
    response = upload(client, p12(key, cert, "mật khẩu đúng"), "mật khẩu đúng")
    assert response.status_code == 302
    assert "Văn phòng Bộ Nông nghiệp" in client.get("/tasks/signing").get_data(as_text=True)
    issued = office.issue(office.board)
    assert issued["signed"]
    status = validate(issued["pdf"], cert, NOW)
    assert status.intact and status.valid and status.trusted and status.bottom_line
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert "Số: 1/TB-VP" in text_of(issued["pdf"])  # still the same document to read
    tampered = bytearray(issued["pdf"])
    at = tampered.index(b"/Contents") // 2  # a byte inside the signed range, in the page content
    tampered[at] ^= 0x01
    broken = validate(bytes(tampered), cert, NOW)
    assert not (broken.intact and broken.valid)


def test_the_passphrase_is_not_kept(office, client, certificate):
    key, cert = certificate
    sign_in(client, office.admin)
    upload(client, p12(key, cert, "bí mật"), "bí mật")
    with office.app.app_context():
        stored = db.session.scalar(select(SigningCertificate)).pkcs12
    assert "bí mật".encode() not in stored
    with pytest.raises(ValueError):
        pkcs12.load_key_and_certificates(stored, "bí mật".encode())


@pytest.mark.parametrize("case", ["wrong passphrase", "not a certificate", "expired", "no file"])
def test_a_bad_certificate_is_refused_and_nothing_saved(office, client, certificate, case):
    key, cert = certificate
    sign_in(client, office.admin)
    if case == "wrong passphrase":
        response = upload(client, p12(key, cert, "đúng"), "sai")
    elif case == "not a certificate":
        response = upload(client, b"%PDF-1.7 not a certificate", "")
    elif case == "expired":
        old_key, old = self_signed("Cũ", NOW - timedelta(days=800), days=365)
        response = upload(client, p12(old_key, old, "x"), "x")
    else:
        response = client.post("/tasks/signing", data={"passphrase": "x"}, content_type="multipart/form-data")
    assert response.status_code == 422
    assert 'class="error"' in response.get_data(as_text=True)
    with office.app.app_context():
        assert db.session.scalar(select(func.count()).select_from(SigningCertificate)) == 0
    assert not office.issue(office.board)["signed"]


def test_only_an_admin_sets_the_certificate(office, client, certificate):
    key, cert = certificate
    sign_in(client, office.clerk)
    assert client.get("/tasks/signing").status_code == 403
    assert upload(client, p12(key, cert, "x"), "x").status_code == 403
    assert client.post("/tasks/signing/remove").status_code == 403
