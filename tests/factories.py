"""Test data made through the app's own services, returned as plain snapshots.

Snapshots (not ORM objects) because each request in a test runs in its own app context and session.
"""
import itertools
from dataclasses import dataclass

from meetings.auth import services as auth_services
from meetings.directory import services as directory
from meetings.timeutil import now_utc

_counter = itertools.count(1)


@dataclass(frozen=True)
class UserInfo:
    id: int
    email: str
    name: str
    role: str
    password: str
    unit_id: int | None


class Factories:
    def __init__(self, app):
        self.app = app

    def user(self, role: str = "member", name: str | None = None, email: str | None = None,
             password: str = "mat-khau-dung", unit: str | None = None, **extra) -> UserInfo:
        n = next(_counter)
        with self.app.app_context():
            unit_id = directory.unit_by_name(unit, create=True).id if unit else None
            user = directory.create_user({"email": email or f"user{n}@example.gov.vn",
                                          "name": name or f"Người dùng {n}", "role": role,
                                          "password": password, "unit_id": unit_id, **extra})
            return UserInfo(user.id, user.email, user.name, user.role, password, user.unit_id)

    def token(self, user: UserInfo, name: str = "test") -> str:
        with self.app.app_context():
            _token, plain = auth_services.create_token(directory.get_user(user.id), name, now_utc())
            return plain

    def room(self, name: str | None = None, **extra) -> int:
        with self.app.app_context():
            return directory.create_room({"name": name or f"Phòng họp {next(_counter)}", **extra}).id

    def unit(self, name: str, parent_id: int | None = None) -> int:
        with self.app.app_context():
            return directory.create_unit({"name": name, "parent_id": parent_id}).id
