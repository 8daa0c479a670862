"""The small office the access matrix asks about: one published meeting with every kind of object,
the eight roles, and a signed-in browser for each (the API accepts the session as well as tokens).

Objects that a permitted request may destroy (a document deleted, an entry cancelled) are made
fresh for each such request by `World.fresh`, so that no row changes what later rows see.
"""
import io
import uuid
from datetime import datetime, timezone

from meetings.auth import services as auth_services
from meetings.calendar import services as calendar
from meetings.directory import services as directory
from meetings.dossiers import agenda
from meetings.dossiers import services as dossiers
from meetings.extensions import db
from meetings.feeds import tokens as feeds
from meetings.live import speaking, votes
from meetings.notify import services as notify
from meetings.tasks import conclusion_notice as notices
from meetings.tasks import conclusions, lifecycle, minutes
from meetings.tasks import services as tasks
from tests.dossiers import pdfs
from tests.factories import Factories
from tests.meetings.conftest import multipart

NOW = datetime(2026, 12, 2, 3, 0, tzinfo=timezone.utc)  # 10:00 in Hà Nội, Wednesday of 2026-W49
ROLES = ("admin", "secretary", "chair", "leader", "participant", "outsider", "deactivated", "anonymous")


class World:
    def __init__(self, app):
        self.app = app
        make = self.make = Factories(app)
        with app.app_context():
            ministry = directory.create_unit({"name": "Bộ Nông nghiệp và Môi trường", "place": "Hà Nội"}).id
            self.office_unit = directory.create_unit({"name": "Văn phòng Bộ", "short_name": "VP",
                                                      "parent_id": ministry}).id
            self.legal = directory.create_unit({"name": "Vụ Pháp chế", "short_name": "PC", "parent_id": ministry}).id
            self.planning = directory.create_unit({"name": "Vụ Kế hoạch", "parent_id": ministry}).id
            self.unit = directory.create_unit({"name": "Cục Trồng trọt", "parent_id": ministry}).id
        self.users = {
            "admin": make.user("admin", name="Quản trị hệ thống"),
            "secretary": make.user("secretary", name="Hoàng Thu Trang", unit_id=self.office_unit),
            "chair": make.user("leader", name="Nguyễn Văn Minh", title="Bộ trưởng"),
            "leader": make.user("leader", name="Lê Thị Hoa", title="Thứ trưởng"),
            "participant": make.user("member", name="Trần Thị Thu", unit_id=self.legal),
            "outsider": make.user("member", name="Phan Đức Long", unit_id=self.unit),
            "deactivated": make.user("member", name="Vũ Văn Cũ", unit_id=self.legal),
        }
        self.signer = make.user("member", name="Trịnh Quang Huy", title="Chánh Văn phòng", unit_id=self.office_unit)
        self.room = make.room("Phòng họp số 1")
        u = self.users
        with app.app_context():
            secretary = self.user("secretary")
            self.meeting = self.new_meeting()
            self.item = agenda.add_item(self.meeting, {"title": "Dự thảo Nghị định", "presenter_id": u["participant"].id},
                                        secretary, NOW).id
            self.conclusion = conclusions.record_conclusion(self.meeting, {"text": "Giao Vụ Kế hoạch rà soát."},
                                                            secretary, NOW).id
            self.task = tasks.create_task({"title": "Rà soát dự thảo", "unit_id": self.planning, "due": "2026-12-20",
                                           "meeting_id": self.meeting}, secretary, NOW).id
            # Reported done, with a report file, by a member of the unit (none of the roles is in it).
            reporter = directory.get_user(make.user("member", name="Ngô Thị Lan", unit_id=self.planning).id)
            lifecycle.change(self.task, {"status": "done", "note": "Đã rà soát xong."}, reporter, NOW,
                             upload=("Báo cáo kết quả.pdf", io.BytesIO(pdfs.text_pdf(1))))
            minutes.generate(self.meeting, {}, secretary, NOW)
            self._issue_notice(self.meeting)
            self.vote = votes.open_vote(self.meeting, {"question": "Thông qua dự thảo?"}, secretary, NOW).id
            # Asked by a member outside the roles: for the participant it is someone else's request.
            self.speaking = self._fresh_row("request_id")
            self.event = self.new_event()
            self.series = self.new_series()
            self.occurrence = "2026-12-14T01:00:00Z"
            mine = self.user("participant")
            self.notification = notify.notify(mine, "system", "Thông báo thử", NOW).id
            email = notify.queue_email(mine.email, "Thư thử", "Nội dung", NOW)
            db.session.flush()
            self.email = email.id
            self.api_token = auth_services.create_token(mine, "máy tính bảng", NOW)[0].id
            for role in self.users:  # each role's own feed, for the rows that revoke and rotate it
                feeds.ensure(self.user(role), "personal", 0, NOW)
            # Held by someone outside the roles: revoking one's own feed (a row of its own) cannot touch it.
            self.feed_token = feeds.token_of(feeds.ensure(directory.get_user(self.signer.id), "personal", 0, NOW))
            db.session.commit()
        self.document = self.new_document()
        self.annotation = self.new_annotation()
        with app.app_context():
            self.consultation = self.new_consultation()
        self.clients = {role: self._browser(role) for role in ROLES}
        # The deactivated person kept a token as well as a session: both doors must be shut.
        self.deactivated_token = make.token(u["deactivated"])
        with app.app_context():
            directory.update_user(u["deactivated"].id, {"active": False}, NOW)

    def versions(self) -> tuple:
        """The shared meeting's, entry's and task's version counters: a refused write moves none."""
        from meetings.calendar.models import Event
        from meetings.dossiers.models import Meeting
        from meetings.tasks.models import Task

        with self.app.app_context():
            return (db.session.get(Meeting, self.meeting).version, db.session.get(Event, self.event).version,
                    db.session.get(Event, self.meeting).version, db.session.get(Task, self.task).version)

    # Makers, also used by World.fresh ----------------------------------------------------------

    def user(self, role: str):
        return directory.get_user(self.users[role].id)

    def new_meeting(self) -> int:
        u = self.users
        people = [{"user_id": u["chair"].id, "role": "chair"}, {"user_id": u["participant"].id, "role": "member"},
                  {"user_id": u["deactivated"].id, "role": "member"}]
        return dossiers.create_meeting({"title": "Họp Ban cán sự Đảng", "start": "2026-12-01T14:00",
                                        "end": "2026-12-01T16:00", "status": "published", "room_id": self.room,
                                        "leader_ids": [u["chair"].id], "participants": people},
                                       self.user("secretary"), NOW).id

    def new_event(self) -> int:
        return calendar.create_event({"title": "Làm việc với tỉnh", "start": "2026-12-03T08:00", "end": "2026-12-03T09:00",
                                      "status": "published", "leader_ids": [self.users["chair"].id], "allow_conflict": True},
                                     self.user("secretary"), NOW)[0].id

    def new_series(self) -> int:
        return calendar.create_event({"title": "Giao ban tuần", "start": "2026-12-07T08:00", "end": "2026-12-07T09:00",
                                      "status": "published", "leader_ids": [self.users["chair"].id],
                                      "rrule": "FREQ=WEEKLY;COUNT=4", "allow_conflict": True},
                                     self.user("secretary"), NOW)[0].id

    def new_document(self) -> int:
        body, content_type = multipart(pdfs.text_pdf(2), "Báo cáo.pdf", {})
        with self.app.test_client() as client:
            response = client.post(f"/api/v1/meetings/{self.meeting}/documents", data=body, content_type=content_type,
                                   headers={"Authorization": f"Bearer {self.make.token(self.users['secretary'])}"})
        assert response.status_code == 202, response.json
        return response.json["id"]

    def new_consultation(self) -> int:
        """A sent request for opinions: the chair asked in person, the participant's unit as a unit."""
        from meetings.consultations import services as consultations

        secretary = self.user("secretary")
        made = consultations.create({"title": "Xin ý kiến dự thảo", "deadline": "2026-12-10T17:00",
                                     "questions": [{"kind": "choice", "text": "Đồng ý?", "options": ["Có", "Không"]}],
                                     "user_ids": [self.users["chair"].id], "unit_ids": [self.legal]}, secretary, NOW)
        consultations.send(made.id, secretary, NOW)
        from meetings.consultations import answers

        answers.answer(made.id, {"answers": [{"question": 1, "choice": "Có"}], "submit": True}, self.user("chair"), NOW,
                       upload=(pdfs.text_pdf(1), "Góp ý.pdf"))
        if not hasattr(self, "chair_answer"):  # the shared request's; fresh ones are made for one row each
            self.chair_answer = next(r.id for r in made.recipients if r.user_id == self.users["chair"].id)
        return made.id

    def new_annotation(self) -> str:
        id_ = str(uuid.uuid4())
        with self.app.test_client() as client:
            response = client.put(f"/api/v1/documents/{self.document}/annotations/{id_}", json={
                "id": id_, "page": 1, "kind": "note", "rect": [500, 40, 520, 60], "text": "Hỏi lại", "shared": True},
                headers={"Authorization": f"Bearer {self.make.token(self.users['participant'])}"})
        assert response.status_code in (200, 201), response.json
        return id_

    def _issue_notice(self, meeting_id: int) -> None:
        secretary = self.user("secretary")
        notice = notices.draft(meeting_id, secretary, NOW)
        notices.save(meeting_id, {"issuing_unit_id": self.office_unit, "signer_id": self.signer.id,
                                  "signer_capacity": "TL. Bộ trưởng\nChánh Văn phòng", "subtitle": notice.subtitle,
                                  "intro": notice.intro, "other_recipients": "", "recipient_unit_ids": [self.planning],
                                  "version": notice.version}, secretary, NOW)
        notices.issue(meeting_id, {}, secretary, NOW)

    def _browser(self, role: str):
        client = self.app.test_client()
        if role != "anonymous":
            info = self.users[role]
            response = client.post("/login", data={"email": info.email, "password": info.password})
            assert response.status_code == 302, (role, response.status_code)
        return client

    # What a row's placeholders stand for ------------------------------------------------------

    def values(self, fresh: tuple[str, ...] = ()) -> dict:
        """The URL arguments, by name; those named in `fresh` are new objects, made now for one request."""
        u = self.users
        values = {"meeting_id": self.meeting, "item_id": self.item, "document_id": self.document,
                  "annotation_id": self.annotation, "page": 1, "event_id": self.event, "leader_id": u["chair"].id,
                  "user_id": u["participant"].id, "unit_id": self.planning, "room_id": self.room,
                  "task_id": self.task, "vote_id": self.vote, "request_id": self.speaking,
                  "notification_id": self.notification, "email_id": self.email, "token_id": self.api_token,
                  "key": "2026-W49", "token": self.feed_token, "original_start": self.occurrence,
                  "original": self.occurrence, "upload_id": "0" * 32, "consultation_id": self.consultation,
                  "recipient_id": self.chair_answer}
        for spec in fresh:
            name, _sep, kind = spec.partition("=")
            values[name] = self._fresh(kind or name)
        return values

    def _fresh(self, kind: str):
        if kind == "document_id":
            return self.new_document()
        if kind == "annotation_id":
            return self.new_annotation()
        if kind == "room_id":
            return self.make.room()
        with self.app.app_context():
            made = self._fresh_row(kind)
            db.session.commit()
            return made

    def _fresh_row(self, kind: str):
        secretary = self.user("secretary")
        if kind == "event_id":
            return self.new_event()
        if kind == "series":
            return self.new_series()
        if kind == "unit_id":
            return directory.create_unit({"name": f"Đơn vị {uuid.uuid4().hex[:8]}"}).id
        if kind == "consultation_id":
            return self.new_consultation()
        if kind == "item_id":
            return agenda.add_item(self.meeting, {"title": "Mục dự phòng"}, secretary, NOW).id
        if kind == "vote_id":
            return votes.open_vote(self.meeting, {"question": "Dự phòng?"}, secretary, NOW).id
        if kind == "token_id":
            return auth_services.create_token(self.user("participant"), "dự phòng", NOW)[0].id
        if kind == "own_request":  # the participant's waiting request to speak
            mine = self.user("participant")
            waiting = next((r for r in speaking.queue(self.meeting) if r.user_id == mine.id), None)
            return waiting.id if waiting else speaking.ask(self.meeting, mine, NOW).id
        if kind in ("user_id", "request_id"):  # a spare participant, or the spare's request to speak
            # rank 200: the participant stays the head of the unit asked (consultations)
            spare = self.make.user("member", name="Người dự họp dự phòng", unit_id=self.legal, rank=200)
            dossiers.add_participants(self.meeting, {"participants": [{"user_id": spare.id, "role": "member"}]},
                                      secretary, NOW)
            return spare.id if kind == "user_id" else speaking.ask(self.meeting, directory.get_user(spare.id), NOW).id
        raise KeyError(kind)
