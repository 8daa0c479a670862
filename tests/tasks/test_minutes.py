"""Minutes (biên bản): the draft written from a hand-made meeting record, the secretary's edits (a
stale one refused), the chair's approval that freezes the text, reopening as a new version, who may
read them through every door, and the PDF."""
import pymupdf
import pytest
from sqlalchemy import func, select

from meetings.dossiers import agenda
from meetings.dossiers import services as meetings
from meetings.dossiers.models import Meeting, MeetingChange
from meetings.errors import Forbidden, NotFound, ServiceError, ValidationFailed
from meetings.extensions import db
from meetings.live import services as live
from meetings.live import speaking, votes
from meetings.tasks import minutes, services
from meetings.tasks.models import Minutes
from tests.calendar.conftest import NOW
from tests.tasks.conftest import TaskOffice, local

ABSENCE = "Đi công tác tại Cần Thơ"


class RecordedMeeting(TaskOffice):
    """A meeting held on Tuesday 1 December 2026, 14:00-16:00 in Hà Nội, with its whole record:
    check-ins, two items taken up at 14:05 and 14:30, speakers, an open vote and a secret one,
    conclusions and a task."""

    def __init__(self, app):
        super().__init__(app)
        with app.app_context():
            secretary = self.user(self.secretary)
            people = [{"user_id": self.minister.id, "role": "chair"}, {"user_id": self.secretary.id, "role": "secretary"},
                      {"user_id": self.legal_head.id, "role": "member"},
                      {"user_id": self.finance_head.id, "role": "member"},
                      {"user_id": self.climate_head.id, "role": "member"},
                      {"user_id": self.legal_staff.id, "role": "guest"}]
            self.id = meetings.create_meeting({
                "title": "Họp về dự thảo Nghị định", "start": "2026-12-01T14:00", "end": "2026-12-01T16:00",
                "status": "published", "room_id": self.room, "leader_ids": [self.minister.id],
                "participants": people}, secretary, NOW).id
            self.items = [agenda.add_item(self.id, {"title": title, "duration_minutes": minutes_planned,
                                                    "presenter_id": self.legal_head.id}, secretary, NOW).id
                          for title, minutes_planned in (("Báo cáo tình hình xây dựng Nghị định", 20),
                                                         ("Phương án nhân sự Ban soạn thảo", 30))]
        self.hold()

    def hold(self) -> None:
        chair, secretary = self.minister, self.secretary
        with self.app.app_context():
            for who, status, reason in ((self.minister, "in_person", None), (self.secretary, "in_person", None),
                                        (self.legal_head, "in_person", None), (self.finance_head, "online", None),
                                        (self.climate_head, "absent", ABSENCE)):
                live.check_in(self.id, who.id, {"status": status, "reason": reason}, self.user(secretary),
                              local("2026-12-01 13:55"))
            live.set_current(self.id, {"item_id": self.items[0]}, self.user(chair), local("2026-12-01 14:05"))
            asked = speaking.ask(self.id, self.user(self.legal_head), local("2026-12-01 14:08")).id
            speaking.grant(self.id, asked, self.user(chair), local("2026-12-01 14:10"))
            speaking.finish(self.id, asked, self.user(self.legal_head), local("2026-12-01 14:15"))
            self.open_vote = self.vote("Thông qua báo cáo tình hình", False, "2026-12-01 14:20",
                                       {self.legal_head: "yes", self.finance_head: "no", self.minister: "yes"})
            live.set_current(self.id, {"item_id": self.items[1]}, self.user(chair), local("2026-12-01 14:30"))
            asked = speaking.ask(self.id, self.user(self.finance_head), local("2026-12-01 14:31")).id
            speaking.grant(self.id, asked, self.user(chair), local("2026-12-01 14:35"))
            self.secret_vote = self.vote("Nhân sự Trưởng Ban soạn thảo", True, "2026-12-01 14:40",
                                         {self.legal_head: "no", self.finance_head: "yes", self.minister: "yes",
                                          self.secretary: "abstain"})
            live.set_current(self.id, {"item_id": None}, self.user(chair), local("2026-12-01 15:10"))
        item_conclusion = self.conclusion("Giao Vụ Pháp chế hoàn thiện dự thảo, trình Bộ trưởng.", meeting=self.id,
                                          item=self.items[0])
        self.task("Hoàn thiện dự thảo Nghị định", due="2026-12-15", conclusion_id=item_conclusion)
        self.conclusion("Các đơn vị khẩn trương triển khai.", meeting=self.id)

    def vote(self, question, secret, at, choices) -> int:
        opened = votes.open_vote(self.id, {"question": question, "secret": secret}, self.user(self.minister),
                                 local(at))
        for who, choice in choices.items():
            votes.cast(opened.id, {"choice": choice}, self.user(who), local(at))
        votes.close(opened.id, self.user(self.minister), local(at))
        return opened.id

    # the services, as the pages call them
    def generate(self, who=None, now=NOW, **data):
        with self.app.app_context():
            return minutes_json(minutes.generate(self.id, data, self.user(who or self.secretary), now))

    def edit(self, body, version, who=None, now=NOW):
        with self.app.app_context():
            return minutes_json(minutes.edit(self.id, {"body": body, "version": version},
                                             self.user(who or self.secretary), now))

    def approve(self, version, who=None, now=NOW):
        with self.app.app_context():
            return minutes_json(minutes.approve(self.id, {"version": version}, self.user(who or self.minister), now))

    def reopen(self, reason, who=None, now=NOW):
        with self.app.app_context():
            return minutes_json(minutes.reopen(self.id, {"reason": reason}, self.user(who or self.minister), now))

    def rows(self) -> list[dict]:
        with self.app.app_context():
            return [minutes_json(row) for row in minutes.versions(db.session.get(Meeting, self.id))]


def minutes_json(row):
    from meetings.tasks.present import minutes_json as as_json

    return as_json(row)


@pytest.fixture
def held(app):
    return RecordedMeeting(app)


def block(text: str, start: str) -> str:
    """The lines from the one holding `start` to the next line of the same or a lesser indent."""
    lines = text.splitlines()
    first = next(n for n, line in enumerate(lines) if start in line)
    indent = len(lines[first]) - len(lines[first].lstrip())
    end = next((n for n in range(first + 1, len(lines))
                if lines[n].strip() and len(lines[n]) - len(lines[n].lstrip()) <= indent), len(lines))
    return "\n".join(lines[first:end])


def section(text: str, title: str) -> str:
    """A numbered section of the text: from its title to the next blank line."""
    return text[text.index(title):].split("\n\n")[0]


def pdf_text(data: bytes) -> str:
    with pymupdf.open(stream=data, filetype="pdf") as doc:
        return "\n".join(page.get_text() for page in doc)


def test_the_draft_is_written_from_the_record(held):
    body = held.generate()["body"]
    assert "Thời gian: từ 14:00 đến 16:00, Thứ Ba, 01/12/2026" in body  # the app's zone, not UTC
    assert "Địa điểm: Phòng họp số 1" in body
    assert "Chủ trì: Nguyễn Văn Minh, Bộ trưởng" in body and "Thư ký: Hoàng Thu Trang" in body
    attendance = section(body, "I. THÀNH PHẦN THAM DỰ")
    assert "Có mặt (3):" in attendance and "- Đỗ Văn Khải, Vụ Pháp chế" in attendance
    assert "Tham dự trực tuyến (1):\n- Ngô Thị Lan, Vụ Kế hoạch - Tài chính" in attendance
    assert f"Vắng mặt (1):\n- Vũ Ngọc Ánh, Cục Biến đổi khí hậu; lý do: {ABSENCE}" in attendance
    assert "Chưa điểm danh (1):\n- Trần Văn Bình, Vụ Pháp chế" in attendance

    first = block(body, "1. Báo cáo tình hình xây dựng Nghị định")
    assert "Trình bày: Đỗ Văn Khải" in first
    assert "Bắt đầu: 14:05 (dự kiến 20 phút)" in first
    assert "Ý kiến phát biểu:\n  - Đỗ Văn Khải, Vụ Pháp chế (14:10)" in first
    assert "Biểu quyết công khai: Thông qua báo cáo tình hình" in first
    assert "Kết quả: Tán thành: 2; Không tán thành: 1; Không biểu quyết: 0 (3 người biểu quyết)" in first
    assert "Giao Vụ Pháp chế hoàn thiện dự thảo, trình Bộ trưởng." in first
    assert "Nhiệm vụ: Hoàn thiện dự thảo Nghị định; đơn vị chủ trì: Vụ Pháp chế; hạn 15/12/2026" in first
    second = block(body, "2. Phương án nhân sự Ban soạn thảo")
    assert "Bắt đầu: 14:30 (dự kiến 30 phút)" in second and "Ngô Thị Lan, Vụ Kế hoạch - Tài chính (14:35)" in second
    assert "Nhân sự Trưởng Ban soạn thảo" in second
    assert "Các đơn vị khẩn trương triển khai." in section(body, "KẾT LUẬN CHUNG")
    assert "Cuộc họp kết thúc lúc 15:10." in body


def test_an_open_vote_names_the_voters_and_a_secret_one_only_counts(held):
    body = held.generate()["body"]
    open_vote = block(body, "Thông qua báo cáo tình hình")
    assert "Tán thành: Nguyễn Văn Minh, Đỗ Văn Khải" in open_vote and "Không tán thành: Ngô Thị Lan" in open_vote
    secret = block(body, "Nhân sự Trưởng Ban soạn thảo")
    assert "Biểu quyết bằng phiếu kín: Nhân sự Trưởng Ban soạn thảo" in secret
    assert "Tán thành: 2; Không tán thành: 1; Không biểu quyết: 1 (4 người biểu quyết)" in secret
    voters = ("Đỗ Văn Khải", "Ngô Thị Lan", "Nguyễn Văn Minh", "Hoàng Thu Trang")
    assert not any(name in secret for name in voters), secret
    # and in the PDF: the secret vote's lines hold counts, never a name
    with held.app.test_client() as client:
        response = client.get(f"/api/v1/meetings/{held.id}/minutes.pdf", headers=held.token(held.legal_head))
    text = pdf_text(response.data)
    after = text[text.index("Nhân sự Trưởng Ban soạn thảo"):]
    after = after[:after.index("Giao Vụ Pháp chế") if "Giao Vụ Pháp chế" in after else after.index("III.")]
    assert "Tán thành: 2; Không tán thành: 1; Không biểu quyết: 1" in " ".join(after.split())
    assert not any(name in after for name in voters), after


def test_the_secretary_edits_and_a_stale_edit_is_refused_with_the_fresh_text(held):
    draft = held.generate()
    saved = held.edit(draft["body"] + "Ý kiến bổ sung của Vụ Pháp chế.\n", draft["version"])
    assert saved["version"] == draft["version"] + 1 and saved["edited_by"] == "Hoàng Thu Trang"
    with pytest.raises(services.Stale) as refused:
        held.edit("Văn bản cũ ghi đè", draft["version"])  # made from the text before the first save
    assert refused.value.status == 409
    assert refused.value.details["current"]["body"] == saved["body"]
    assert held.rows()[0]["body"] == saved["body"]


def test_regenerating_a_draft_needs_confirmation_and_the_version_seen(held):
    draft = held.generate()
    edited = held.edit("Văn bản đã sửa", draft["version"])
    with pytest.raises(ValidationFailed):
        held.generate(version=edited["version"])
    with pytest.raises(services.Stale):
        held.generate(confirm="1", version=draft["version"])
    again = held.generate(confirm="1", version=edited["version"])
    assert again["body"] == draft["body"] and again["edited_at"] is None


def test_approved_minutes_are_frozen(held):
    draft = held.generate()
    approved = held.approve(draft["version"])
    assert approved["status"] == "approved" and approved["approved_by"] == "Nguyễn Văn Minh"
    with held.app.app_context():
        changes_before = db.session.scalar(select(func.count()).select_from(MeetingChange))
    for attempt in (lambda: held.edit("Sửa sau khi duyệt", approved["version"]),
                    lambda: held.generate(confirm="1", version=approved["version"]),
                    lambda: held.approve(approved["version"])):
        with pytest.raises(minutes.Frozen) as refused:
            attempt()
        assert refused.value.status == 409 and "mở lại" in refused.value.message
    assert held.rows() == [approved]  # nothing written: same text, same row version
    with held.app.app_context():
        assert db.session.scalar(select(func.count()).select_from(MeetingChange)) == changes_before


def test_reopening_makes_a_new_draft_and_keeps_the_approved_text(held):
    draft = held.generate()
    approved = held.approve(draft["version"])
    with pytest.raises(ValidationFailed):
        held.reopen("")
    reopened = held.reopen("Bổ sung ý kiến của Cục Biến đổi khí hậu", who=held.secretary)
    assert (reopened["version_no"], reopened["status"], reopened["body"]) == (2, "draft", approved["body"])
    assert reopened["reopened_by"] == "Hoàng Thu Trang"
    held.edit("Bản sửa lần 2", reopened["version"])
    newest, old = held.rows()
    assert (newest["version_no"], newest["body"]) == (2, "Bản sửa lần 2")
    assert (old["version_no"], old["status"], old["body"]) == (1, "superseded", approved["body"])
    assert old["approved_by"] == "Nguyễn Văn Minh"
    with pytest.raises(ServiceError):
        held.reopen("Lại", who=held.secretary)  # a draft is edited, not reopened
    with held.app.app_context():
        assert db.session.scalar(select(func.count()).where(Minutes.meeting_id == held.id,
                                                            Minutes.current.is_(True))) == 1


def test_who_may_do_what(held):
    draft = held.generate()
    with pytest.raises(Forbidden):
        held.approve(draft["version"], who=held.secretary)  # the chair approves
    with pytest.raises(Forbidden):
        held.edit("x", draft["version"], who=held.minister)  # the secretary edits
    with pytest.raises(Forbidden):
        held.edit("x", draft["version"], who=held.legal_head)  # a participant reads only
    with pytest.raises(NotFound):
        held.generate(who=held.outsider)
    with held.app.app_context():
        meeting = minutes.get_meeting(held.id, held.user(held.legal_staff))  # a guest reads
        assert minutes.current(meeting).body == draft["body"]
        with pytest.raises(NotFound):
            minutes.get_meeting(held.id, held.user(held.outsider))


def test_outsiders_and_other_meetings_ids_get_404_through_every_door(held, client):
    held.generate()
    with held.app.app_context():
        other = meetings.create_meeting({"title": "Họp khác", "start": "2026-12-03T08:00", "end": "2026-12-03T09:00",
                                         "status": "published", "leader_ids": [held.deputy.id],
                                         "participants": [{"user_id": held.outsider.id, "role": "chair"}]},
                                        held.user(held.secretary), NOW).id
    # the outsider chairs another meeting: with its id they get nothing of this one, nor by changing it
    headers = held.token(held.outsider)
    assert client.get(f"/api/v1/meetings/{held.id}/minutes.pdf", headers=headers).status_code == 404
    assert client.get(f"/api/v1/meetings/{other}/minutes.pdf", headers=headers).status_code == 404  # none yet
    assert client.get(f"/api/v1/meetings/{held.id}/minutes.pdf").status_code == 401
    client.post("/login", data={"email": held.outsider.email, "password": held.outsider.password})
    assert client.get(f"/tasks/meetings/{held.id}/minutes").status_code == 404
    assert client.get(f"/tasks/meetings/{held.id}/minutes?version=1").status_code == 404
    for action in ("generate", "edit", "approve", "reopen"):
        response = client.post(f"/tasks/meetings/{held.id}/minutes/{action}",
                               data={"body": "x", "version": 1, "reason": "x", "confirm": "1"})
        assert response.status_code == 404, action
    assert client.get(f"/tasks/meetings/{other}/minutes").status_code == 200
    assert held.rows()[0]["version"] == 1  # nothing changed
    # a participant of this meeting only may not act on it
    client.post("/logout")
    client.post("/login", data={"email": held.legal_head.email, "password": held.legal_head.password})
    assert client.post(f"/tasks/meetings/{held.id}/minutes/approve", data={"version": 1}).status_code == 403
    assert client.get(f"/tasks/meetings/{other}/minutes").status_code == 404


def test_the_pdf_is_vietnamese_and_says_draft_until_approved(held, client):
    headers = held.token(held.legal_head)
    assert client.get(f"/api/v1/meetings/{held.id}/minutes.pdf", headers=headers).status_code == 404  # none yet
    draft = held.generate()
    response = client.get(f"/api/v1/meetings/{held.id}/minutes.pdf", headers=headers)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "private, no-store"
    text = pdf_text(response.data)
    for expected in ("BỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                     "Độc lập - Tự do - Hạnh phúc", "BIÊN BẢN", "Họp về dự thảo Nghị định", "DỰ THẢO",
                     "THÀNH PHẦN THAM DỰ", "THƯ KÝ", "CHỦ TRÌ", ABSENCE):
        assert expected in text, expected
    held.approve(draft["version"])
    text = pdf_text(client.get(f"/api/v1/meetings/{held.id}/minutes.pdf", headers=headers).data)
    assert "DỰ THẢO" not in text and "Đã duyệt trên hệ thống" in text
    held.reopen("Bổ sung")
    old = pdf_text(client.get(f"/api/v1/meetings/{held.id}/minutes.pdf?version=1", headers=headers).data)
    assert "DỰ THẢO" not in old and "thay thế" in old
    assert "DỰ THẢO" in pdf_text(client.get(f"/api/v1/meetings/{held.id}/minutes.pdf", headers=headers).data)


def test_the_pdf_signs_side_by_side_in_the_administrative_layout(held, client):
    headers = held.token(held.legal_head)
    draft = held.generate()
    with pymupdf.open(stream=client.get(f"/api/v1/meetings/{held.id}/minutes.pdf", headers=headers).data) as doc:
        assert doc.page_count > 1
        assert all("DỰ THẢO" in page.get_text() for page in doc)  # a loose page of a draft says so
    held.approve(draft["version"])
    with pymupdf.open(stream=client.get(f"/api/v1/meetings/{held.id}/minutes.pdf", headers=headers).data) as doc:
        first, last = doc[0], doc[doc.page_count - 1]
        assert "Số:" not in first.get_text() and "Nơi nhận" not in last.get_text()  # minutes have neither

        def at(text):
            found = last.search_for(text)
            assert len(found) == 1, text
            return found[0]

        secretary, chair = at("THƯ KÝ"), at("CHỦ TRÌ")
        note, names = at("Đã duyệt trên hệ thống"), (at("Hoàng Thu Trang"), at("Nguyễn Văn Minh"))
        assert abs(secretary.y1 - chair.y1) < 1 and secretary.x1 < chair.x0  # the secretary left, the chair right
        assert abs(names[0].y1 - names[1].y1) < 1  # the names on one line, whatever stands above them
        assert chair.y0 < note.y0 and note.y1 + 60 < names[1].y0  # the note under the chair, room to sign
        for heading, name in zip((secretary, chair), names):  # each name centred under its heading
            assert abs((heading.x0 + heading.x1) / 2 - (name.x0 + name.x1) / 2) < 2


def test_the_minutes_page_from_empty_to_approved(held, client):
    client.post("/login", data={"email": held.secretary.email, "password": held.secretary.password})
    assert 'data-minutes-link' in client.get(f"/meetings/{held.id}").get_data(as_text=True)
    page = client.get(f"/tasks/meetings/{held.id}/minutes").get_data(as_text=True)
    assert "data-minutes-empty" in page and "Tạo biên bản từ diễn biến cuộc họp" in page
    assert "<h1>Biên bản</h1>" in page  # not "Số phút": minutes of a meeting, not of time
    assert client.post(f"/tasks/meetings/{held.id}/minutes/generate").status_code == 302
    page = client.get(f"/tasks/meetings/{held.id}/minutes").get_data(as_text=True)
    assert "data-minutes-form" in page and "THÀNH PHẦN THAM DỰ" in page
    saved = client.post(f"/tasks/meetings/{held.id}/minutes/edit", data={"body": "Bản của thư ký", "version": 1})
    assert saved.status_code == 302
    stale = client.post(f"/tasks/meetings/{held.id}/minutes/edit", data={"body": "Bản cũ của tôi", "version": 1})
    page = stale.get_data(as_text=True)
    assert stale.status_code == 409 and "data-minutes-error" in page
    assert "Bản của thư ký" in page and "Bản cũ của tôi" in page  # the fresh text, and the typed one kept
    client.post("/logout")
    client.post("/login", data={"email": held.minister.email, "password": held.minister.password})
    assert "data-approve-minutes" in client.get(f"/tasks/meetings/{held.id}/minutes").get_data(as_text=True)
    assert client.post(f"/tasks/meetings/{held.id}/minutes/approve", data={"version": 2}).status_code == 302
    page = client.get(f"/tasks/meetings/{held.id}/minutes").get_data(as_text=True)
    assert "data-minutes-text" in page and "data-minutes-form" not in page and "data-reopen-minutes" in page
    client.post("/logout")
    client.post("/login", data={"email": held.secretary.email, "password": held.secretary.password})
    refused = client.post(f"/tasks/meetings/{held.id}/minutes/edit", data={"body": "Sửa lén", "version": 3})
    assert refused.status_code == 409 and "Biên bản đã được duyệt" in refused.get_data(as_text=True)
    assert held.rows()[0]["body"] == "Bản của thư ký" and held.rows()[0]["status"] == "approved"


def test_conclusions_are_filed_under_the_meetings_own_agenda_items(held, client):
    client.post("/login", data={"email": held.secretary.email, "password": held.secretary.password})
    page = client.get(f"/tasks/meetings/{held.id}").get_data(as_text=True)
    assert "data-minutes-link" in page
    assert '<p class="muted">1. Báo cáo tình hình xây dựng Nghị định</p>' in page  # the item, not its id
    assert f'<option value="{held.items[1]}" >2. Phương án nhân sự Ban soạn thảo</option>' in page
    other = held.book("Họp khác", start="2026-12-03T08:00", end="2026-12-03T09:00")
    refused = client.post(f"/tasks/meetings/{other}/conclusions", data={"text": "Kết luận lạc chỗ.",
                                                                        "agenda_item_id": held.items[0]})
    assert refused.status_code == 422 and "Kết luận lạc chỗ." in refused.get_data(as_text=True)
