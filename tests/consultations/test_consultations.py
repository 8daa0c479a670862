"""Written opinions through the API, as the issue's contract spells it: set up, documents, send,
answer (drafts, versions, "Không có ý kiến", a secretary's prepared draft), the deadline in the
office's zone (409 closed after it), extension, reminders exactly once through restarts, access
(404 for anyone not asked), and the summary (PDF read back with pdftotext, CSV) frozen at closing."""
import subprocess
from datetime import datetime, timezone

import pytest
from sqlalchemy import func, select

from meetings.consultations.jobs import send_consultation_reminders
from meetings.consultations.models import Reminder
from meetings.extensions import db
from meetings.notify.models import Notification
from tests.dossiers import pdfs
from tests.meetings.conftest import multipart
from tests.factories import Factories

NOW = datetime(2026, 12, 2, 3, 0, tzinfo=timezone.utc)  # 10:00 Wednesday in Hà Nội
DEADLINE = "2026-12-04T17:00"  # Friday 17:00 in Hà Nội = 10:00 UTC


@pytest.fixture
def app(make_app):
    return make_app(MEETINGS_FAKE_NOW=NOW)


class Office:
    def __init__(self, app, client):
        self.app, self.client = app, client
        make = Factories(app)
        self.make = make
        self.secretary = make.user("secretary", name="Hoàng Thu Trang", unit="Văn phòng Bộ")
        self.minister = make.user("leader", name="Nguyễn Văn Minh", title="Bộ trưởng")
        self.deputy = make.user("leader", name="Lê Thị Hoa", title="Thứ trưởng")
        self.head = make.user("member", name="Trần Văn Vụ", unit="Vụ Pháp chế", rank=1)
        self.staff = make.user("member", name="Đỗ Thị Thu", unit="Vụ Pháp chế", rank=50)
        self.outsider = make.user("member", name="Phan Đức Long", unit="Cục Trồng trọt")
        self.tokens = {}

    def call(self, method, user, url, json=None, **kw):
        if user.id not in self.tokens:
            self.tokens[user.id] = {"Authorization": f"Bearer {self.make.token(user)}"}
        return self.client.open(url, method=method, headers=self.tokens[user.id], json=json, **kw)

    def at(self, moment: datetime):
        self.app.config["MEETINGS_FAKE_NOW"] = moment

    def create(self, **extra) -> dict:
        body = {"title": "Dự thảo Nghị định về quản lý phân bón",
                "questions": [{"kind": "choice", "text": "Đồng ý với dự thảo?",
                               "options": ["Đồng ý", "Không đồng ý", "Ý kiến khác"]},
                              {"kind": "text", "text": "Góp ý cụ thể"}],
                "deadline": DEADLINE, "user_ids": [self.minister.id, self.deputy.id],
                "unit_ids": [self.head.unit_id], "meeting_id": None, **extra}
        response = self.call("POST", self.secretary, "/api/v1/consultations", body)
        assert response.status_code == 201, response.json
        return response.json


@pytest.fixture
def office(app, client):
    return Office(app, client)


def sent(office) -> int:
    cid = office.create()["id"]
    body, content_type = multipart(pdfs.text_pdf(2), "Dự thảo.pdf", {})
    uploaded = office.call("POST", office.secretary, f"/api/v1/consultations/{cid}/documents", data=body,
                           content_type=content_type)
    assert (uploaded.status_code, uploaded.json["state"]) == (202, "ready"), uploaded.json  # jobs run inline in tests
    assert office.call("POST", office.secretary, f"/api/v1/consultations/{cid}/send").status_code == 200
    return cid


def test_life_cycle_answers_versions_and_late_refusal(office):
    draft = office.create()
    cid = draft["id"]
    assert draft["status"] == "draft" and draft["deadline"] == "2026-12-04T10:00:00+00:00"  # 17:00 Hà Nội
    # A draft is the office's alone: the people asked do not know it yet.
    assert office.call("GET", office.minister, f"/api/v1/consultations/{cid}").status_code == 404
    body, content_type = multipart(pdfs.text_pdf(2), "Dự thảo.pdf", {})
    document = office.call("POST", office.secretary, f"/api/v1/consultations/{cid}/documents", data=body,
                           content_type=content_type).json
    assert office.call("POST", office.secretary, f"/api/v1/consultations/{cid}/send").status_code == 200
    assert office.call("POST", office.secretary, f"/api/v1/consultations/{cid}/send").status_code == 409
    seen = office.call("GET", office.minister, f"/api/v1/consultations/{cid}").json
    assert [d["id"] for d in seen["documents"]] == [document["id"]]
    # The document is read through the meetings' own door, stamped for the reader.
    assert office.call("GET", office.minister, f"/api/v1/documents/{document['id']}").status_code == 200
    assert office.call("GET", office.outsider, f"/api/v1/documents/{document['id']}").status_code == 404

    url = f"/api/v1/consultations/{cid}/answer"
    # A secretary prepares the minister's answer; only the minister may send it.
    prepared = {"answers": [{"question": 1, "choice": "Đồng ý", "text": None}], "for_user_id": office.minister.id}
    assert office.call("PUT", office.secretary, url, prepared).status_code == 200
    assert office.call("PUT", office.secretary, url, {**prepared, "submit": True}).status_code == 403
    mine = office.call("GET", office.minister, f"/api/v1/consultations/{cid}").json["answers"][0]
    assert mine["draft"]["answers"][0]["choice"] == "Đồng ý" and not mine["answered"]
    # A file with the answer, checked as meeting documents are (bytes that are no PDF are refused).
    body, content_type = multipart(b"not a pdf", "Góp ý.pdf", {})
    assert office.call("POST", office.minister, f"{url}/file", data=body, content_type=content_type).status_code == 415
    body, content_type = multipart(pdfs.text_pdf(1), "Góp ý của Bộ trưởng.docx.pdf", {})
    assert office.call("POST", office.minister, f"{url}/file", data=body, content_type=content_type).status_code == 200
    assert office.call("PUT", office.minister, url, {"answers": [{"question": 1, "choice": "Đồng ý"},
                                                                 {"question": 2, "text": "Bổ sung Điều 5."}],
                                                     "submit": True}).status_code == 200
    # A change before the deadline is a new version; the first stays.
    office.at(datetime(2026, 12, 3, 3, 0, tzinfo=timezone.utc))
    assert office.call("PUT", office.minister, url, {"answers": [{"question": 1, "choice": "Ý kiến khác",
                                                                  "text": "Cần làm rõ."}], "submit": True}).status_code == 200
    # "Không có ý kiến" is an answer; a choice that is not an option is refused.
    assert office.call("PUT", office.deputy, url, {"answers": [{"question": 1, "choice": "Có lẽ"}],
                                                   "submit": True}).status_code == 422
    assert office.call("PUT", office.deputy, url, {"no_opinion": True, "submit": True}).status_code == 200
    # A unit: a member prepares, the head sends; the unit's members see their unit's answer.
    assert office.call("PUT", office.staff, url, {"answers": [{"question": 1, "choice": "Đồng ý"}],
                                                  "submit": True}).status_code == 403
    assert office.call("PUT", office.staff, url, {"answers": [{"question": 1, "choice": "Đồng ý"}]}).status_code == 200
    assert office.call("GET", office.staff, f"/api/v1/consultations/{cid}").json["answers"][0]["draft"]

    followed = office.call("GET", office.secretary, f"/api/v1/consultations/{cid}").json
    by_user = {a["user_id"]: a for a in followed["answers"]}
    assert [v["answers"][0]["choice"] for v in by_user[office.minister.id]["versions"]] == ["Đồng ý", "Ý kiến khác"]
    assert by_user[office.deputy.id]["no_opinion"] and by_user[office.deputy.id]["answered"]
    assert [v["attachment"] for v in by_user[office.minister.id]["versions"]] == ["Góp ý của Bộ trưởng.docx.pdf"] * 2
    file_url = f"/api/v1/consultations/{cid}/answers/{by_user[office.minister.id]['recipient_id']}/file"
    assert office.call("GET", office.secretary, file_url).mimetype == "application/pdf"
    assert office.call("GET", office.deputy, file_url).status_code == 404  # asked, but not this answer's
    assert [p["unit_id"] for p in followed["pending"]] == [office.head.unit_id]
    assert followed["answered"] == 2 and followed["asked"] == 3

    # 17:00 Hà Nội on the deadline's day: refused, 409 closed; the secretary extends (recorded).
    office.at(datetime(2026, 12, 4, 10, 0, tzinfo=timezone.utc))
    late = office.call("PUT", office.head, url, {"answers": [{"question": 1, "choice": "Đồng ý"}], "submit": True})
    assert late.status_code == 409 and late.json["error"]["code"] == "closed"
    extended = office.call("POST", office.secretary, f"/api/v1/consultations/{cid}/extend",
                           {"deadline": "2026-12-07T12:00"}).json
    assert extended["extensions"][0]["old_deadline"] == "2026-12-04T10:00:00+00:00"
    assert office.call("PUT", office.head, url, {"answers": [{"question": 1, "choice": "Đồng ý"}],
                                                 "submit": True}).status_code == 200
    assert office.call("GET", office.secretary, f"/api/v1/consultations/{cid}").json["pending"] == []


def test_nobody_else_learns_it_exists(office):
    cid = sent(office)
    for method, path, body in [("GET", "", None), ("PUT", "/answer", {"submit": False}), ("POST", "/send", None),
                               ("GET", "/summary.pdf", None), ("GET", "/summary.csv", None),
                               ("POST", "/documents", None), ("POST", "/extend", {}), ("POST", "/close", None),
                               ("POST", "/remind", None)]:
        response = office.call(method, office.outsider, f"/api/v1/consultations/{cid}{path}", body)
        assert response.status_code == 404, (method, path, response.status_code)
    assert office.call("GET", office.outsider, "/api/v1/consultations").json["consultations"] == []
    # The people asked see it but not the summary of everyone's answers.
    assert office.call("GET", office.minister, f"/api/v1/consultations/{cid}/summary.pdf").status_code == 403
    assert office.call("GET", office.outsider, f"/consultations/{cid}").status_code in (302, 404)


def test_reminders_exactly_once_through_restarts(office, make_app):
    cid = sent(office)
    office.call("PUT", office.deputy, f"/api/v1/consultations/{cid}/answer", {"no_opinion": True, "submit": True})

    restarted = make_app()  # a restarted scheduler: a new app (its own engine), the same database

    def run(moment, app=office.app):
        with app.app_context():
            try:
                return send_consultation_reminders(moment)
            finally:
                db.session.remove()

    zone_7 = datetime(2026, 12, 3, 0, 59, tzinfo=timezone.utc)  # 07:59 the day before, Hà Nội
    assert run(zone_7) == 0
    eve = datetime(2026, 12, 3, 1, 0, tzinfo=timezone.utc)  # 08:00 the day before
    assert run(eve) == 2  # the minister and the unit's head; the deputy has answered
    assert run(eve, restarted) == 0 and run(datetime(2026, 12, 3, 9, 0, tzinfo=timezone.utc), restarted) == 0
    day = datetime(2026, 12, 4, 1, 0, tzinfo=timezone.utc)  # 08:00 on the deadline's day
    assert run(day) == 2 and run(day, restarted) == 0
    assert run(datetime(2026, 12, 4, 10, 0, tzinfo=timezone.utc)) == 0  # the deadline itself: nothing more
    # By hand: to those who have not answered, each press one more.
    assert office.call("POST", office.secretary, f"/api/v1/consultations/{cid}/remind").json == {"reminded": 2}
    with office.app.app_context():
        occasions = sorted(r.occasion.split(":")[0] for r in db.session.scalars(select(Reminder)))
        assert occasions == ["day_before", "day_before", "day_of", "day_of", "manual", "manual"]
        told = db.session.scalar(select(func.count()).select_from(Notification).where(
            Notification.kind == "consultation", Notification.user_id == office.minister.id))
        assert told == 4  # sent, the eve, the day, by hand
    with restarted.app_context():
        db.engine.dispose()  # make_app empties the tables through the first app only


def test_summary_pdf_and_csv_frozen_when_closed(office):
    cid = sent(office)
    url = f"/api/v1/consultations/{cid}/answer"
    office.call("PUT", office.minister, url, {"answers": [{"question": 1, "choice": "Không đồng ý"},
                                                          {"question": 2, "text": "Sửa Điều 7 về nhãn mác."}],
                                              "submit": True})
    office.call("PUT", office.deputy, url, {"no_opinion": True, "submit": True})
    assert office.call("POST", office.secretary, f"/api/v1/consultations/{cid}/close").status_code == 200
    pdf = office.call("GET", office.secretary, f"/api/v1/consultations/{cid}/summary.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf.data, capture_output=True, check=True).stdout.decode()
    flat = " ".join(text.split())
    for words in ("BẢN TỔNG HỢP Ý KIẾN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", f"Số: {cid}/THYK",
                  "Nguyễn Văn Minh", "Không đồng ý", "Sửa Điều 7 về nhãn mác", "Không có ý kiến: 1",
                  "Chưa có ý kiến: 1", "Ngày 02 tháng 12 năm 2026"):
        assert words in flat, words
    csv_text = office.call("GET", office.secretary, f"/api/v1/consultations/{cid}/summary.csv").data.decode("utf-8-sig")
    assert "Lê Thị Hoa (Thứ trưởng)" in csv_text and "Không có ý kiến" in csv_text
    # Frozen: a later day, a later answer attempt and a renamed person change nothing.
    office.at(datetime(2026, 12, 5, 3, 0, tzinfo=timezone.utc))
    refused = office.call("PUT", office.head, url, {"no_opinion": True, "submit": True})
    assert refused.status_code == 409 and refused.json["error"]["code"] == "closed"
    with office.app.app_context():
        from meetings.directory.services import update_user

        update_user(office.minister.id, {"name": "Tên Mới"}, NOW)
    assert office.call("GET", office.secretary, f"/api/v1/consultations/{cid}/summary.pdf").data == pdf.data
    assert office.call("GET", office.secretary, f"/api/v1/consultations/{cid}/summary.csv").data.decode(
        "utf-8-sig") == csv_text
    assert office.call("POST", office.secretary, f"/api/v1/consultations/{cid}/extend",
                       {"deadline": "2026-12-20T17:00"}).status_code == 409


def test_bad_input_is_a_clear_4xx(office):
    post = lambda body: office.call("POST", office.secretary, "/api/v1/consultations", body)  # noqa: E731
    good = {"title": "T", "questions": [{"kind": "text", "text": "?"}], "deadline": DEADLINE,
            "user_ids": [office.minister.id]}
    for change in ({"deadline": "2026-12-01T08:00"}, {"deadline": "9999-99-99"}, {"deadline": 5},
                   {"questions": []}, {"questions": [{"kind": "choice", "text": "?", "options": ["Một"]}]},
                   {"user_ids": [2**31 - 1]}, {"user_ids": [], "unit_ids": []}, {"title": "\x00"}):
        response = post({**good, **change})
        assert response.status_code == 422, (change, response.json)
    assert office.call("POST", office.minister, "/api/v1/consultations", good).status_code == 403
    assert office.call("GET", office.secretary, f"/api/v1/consultations/{2**31 - 1}").status_code == 404
