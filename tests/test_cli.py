"""The command-line contract: users create, users token, rooms create, demo."""
from sqlalchemy import func, select

from meetings.directory.models import Room, Unit, User
from meetings.extensions import db


def test_users_create_prints_the_id_and_creates_the_unit(runner, app):
    result = runner.invoke(args=["users", "create", "an@example.gov.vn", "--name", "Nguyễn Văn An",
                                 "--role", "secretary", "--password", "mat-khau-123", "--unit", "Văn phòng Bộ",
                                 "--title", "Chuyên viên"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.get(User, int(result.output.strip()))
        assert (user.name, user.role, user.unit.name, user.title) == (
            "Nguyễn Văn An", "secretary", "Văn phòng Bộ", "Chuyên viên")
    again = runner.invoke(args=["users", "create", "binh@example.gov.vn", "--name", "Bình", "--role", "member",
                                "--password", "mat-khau-123", "--unit", "Văn phòng Bộ"])
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Unit)) == 1  # the unit was reused
    assert again.exit_code == 0


def test_users_create_refuses_bad_input_clearly(runner, app):
    result = runner.invoke(args=["users", "create", "not-an-email", "--name", "X", "--role", "member",
                                 "--password", "123"])
    assert result.exit_code != 0
    assert "email" in result.output and "password" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_rooms_create_prints_the_id(runner, app):
    result = runner.invoke(args=["rooms", "create", "Phòng họp số 9", "--capacity", "12"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        room = db.session.get(Room, int(result.output.strip()))
        assert (room.name, room.capacity) == ("Phòng họp số 9", 12)


def test_demo_loads_once(runner, app):
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0 and "thuky@demo.gov.vn" in first.output
    with app.app_context():
        users = db.session.scalar(select(func.count()).select_from(User))
        ministry = db.session.scalar(select(Unit.name).where(Unit.parent_id.is_(None)))
    assert users > 10 and ministry == "Bộ Nông nghiệp và Môi trường"
    second = runner.invoke(args=["demo"])
    assert second.exit_code == 0 and "not empty" in second.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == users


def test_demo_does_nothing_on_a_database_in_use(runner, factories, app):
    factories.user()
    runner.invoke(args=["demo"])
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 1
