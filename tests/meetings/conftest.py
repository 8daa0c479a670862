"""Meeting fixtures: a fixed "now", the people of one meeting (and an outsider), and helpers that go
through the JSON API with each person's token, as a tablet app would."""
from datetime import datetime, timezone
from pathlib import Path

import pytest
from sqlalchemy import func, select

from meetings.dossiers.models import Document, DocumentPage, DocumentVersion
from meetings.extensions import db
from tests.dossiers import pdfs
from tests.factories import Factories

NOW = datetime(2026, 12, 2, 3, 0, tzinfo=timezone.utc)  # 10:00 in Hà Nội, Wednesday
LIMIT_BYTES = 2_000_000  # small limits, so that "too large" needs no 100 MB file
LIMIT_PAGES = 40


@pytest.fixture
def app(make_app):
    return make_app(MEETINGS_FAKE_NOW=NOW, DOSSIER_MAX_BYTES=LIMIT_BYTES, DOSSIER_MAX_PAGES=LIMIT_PAGES)


class Board:
    """A ministry meeting: a secretary sets it up; a chair, two members and a guest take part."""

    def __init__(self, app, client):
        self.app, self.client = app, client
        make = Factories(app)
        self.make = make
        self.admin = make.user("admin", name="Quản trị hệ thống")
        self.secretary = make.user("secretary", name="Hoàng Thu Trang", unit="Văn phòng Bộ")
        self.chair = make.user("leader", name="Nguyễn Văn Minh", title="Bộ trưởng")
        self.member = make.user("member", name="Trần Thị Thu", unit="Vụ Pháp chế")
        self.other_member = make.user("member", name="Đỗ Văn Khải", unit="Vụ Pháp chế")
        self.outsider = make.user("member", name="Phan Đức Long", unit="Cục Trồng trọt")
        self._tokens = {}

    def headers(self, user) -> dict:
        if user.id not in self._tokens:
            self._tokens[user.id] = {"Authorization": f"Bearer {self.make.token(user)}"}
        return self._tokens[user.id]

    def page(self, user, url):
        """An HTML page as `user` sees it in the browser (signed in with a session, not a token)."""
        if ("page", user.id) not in self._tokens:
            browser = self.app.test_client()
            browser.post("/login", data={"email": user.email, "password": user.password})
            self._tokens[("page", user.id)] = browser
        return self._tokens[("page", user.id)].get(url)

    def get(self, user, url, headers=None, **kw):
        if url.startswith("/meetings"):
            return self.page(user, url)
        return self.client.get(url, headers={**self.headers(user), **(headers or {})}, **kw)

    def post(self, user, url, json=None, **kw):
        return self.client.post(url, headers=self.headers(user), json=json, **kw)

    def patch(self, user, url, json):
        return self.client.patch(url, headers=self.headers(user), json=json)

    def put(self, user, url, json):
        return self.client.put(url, headers=self.headers(user), json=json)

    def delete(self, user, url):
        return self.client.delete(url, headers=self.headers(user))

    def meeting(self, title="Họp Ban cán sự Đảng", status="published", participants=None, **extra) -> dict:
        people = participants if participants is not None else [
            {"user_id": self.chair.id, "role": "chair"}, {"user_id": self.member.id, "role": "member"},
            {"user_id": self.other_member.id, "role": "member"}]
        body = {"title": title, "start": "2026-12-03T08:00", "end": "2026-12-03T10:00", "status": status,
                "participants": people, **extra}
        response = self.post(self.secretary, "/api/v1/meetings", body)
        assert response.status_code == 201, response.json
        return response.json

    def upload(self, meeting_id: int, data: bytes | None = None, filename="Báo cáo.pdf", user=None, **form):
        body, content_type = multipart(data if data is not None else pdfs.text_pdf(3), filename, form)
        return self.client.post(f"/api/v1/meetings/{meeting_id}/documents", data=body,
                                headers=self.headers(user or self.secretary), content_type=content_type)

    def new_version(self, document_id: int, data: bytes, filename="Báo cáo (sửa).pdf", user=None):
        body, content_type = multipart(data, filename, {})
        return self.client.post(f"/api/v1/documents/{document_id}/versions", data=body,
                                headers=self.headers(user or self.secretary), content_type=content_type)

    def document(self, meeting_id: int, **form) -> dict:
        response = self.upload(meeting_id, **form)
        # 202: the worker checks the file (inline under the tests' immediate job queue).
        assert response.status_code == 202 and response.json["state"] == "ready", response.json
        return response.json

    def stored(self) -> dict:
        """What exists: rows in the document tables and files under the storage folder."""
        with self.app.app_context():
            counts = {model.__tablename__: db.session.scalar(select(func.count()).select_from(model))
                      for model in (Document, DocumentVersion, DocumentPage)}
        root = Path(self.app.config["MEETINGS_STORAGE"])
        files = sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()
                       and "cache" not in p.parts) if root.exists() else []
        return {**counts, "files": files}


def multipart(data: bytes, filename: str, form: dict) -> tuple[bytes, str]:
    """A multipart body built here: the test client would spool a large one to a file it never closes."""
    boundary = "----meetings-test-boundary"
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
             for k, v in form.items()]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
                 f"Content-Type: application/octet-stream\r\n\r\n".encode() + data + b"\r\n")
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


@pytest.fixture
def board(app, client):
    return Board(app, client)
