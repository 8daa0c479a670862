"""`flask demo`: realistic demo data for an empty database. Every name here is data, not code."""
import click
from flask import Flask
from flask.cli import with_appcontext
from sqlalchemy import func, select

from meetings.directory import services as directory
from meetings.directory.models import User
from meetings.extensions import db

DEMO_PASSWORD = "demo-2026"
DOMAIN = "demo.gov.vn"

MINISTRY = "Bộ Nông nghiệp và Môi trường"
PLACE = "Hà Nội"  # địa danh on the documents the ministry's units issue
UNITS = [
    ("Văn phòng Bộ", "VP"),
    ("Vụ Kế hoạch - Tài chính", "KHTC"),
    ("Vụ Pháp chế", "PC"),
    ("Vụ Tổ chức cán bộ", "TCCB"),
    ("Cục Trồng trọt và Bảo vệ thực vật", "TTBVTV"),
    ("Cục Biến đổi khí hậu", "BĐKH"),
]
# (e-mail local part, name, title, role, unit short name or None for the ministry, rank)
PEOPLE = [
    ("admin", "Quản trị hệ thống", None, "admin", "VP", 900),
    ("bo.truong", "Nguyễn Văn Minh", "Bộ trưởng", "leader", None, 1),
    ("tt.hoa", "Lê Thị Hoa", "Thứ trưởng", "leader", None, 2),
    ("tt.hung", "Phạm Quốc Hùng", "Thứ trưởng", "leader", None, 3),
    ("tt.son", "Võ Thanh Sơn", "Thứ trưởng", "leader", None, 4),
    ("tt.tuan", "Đặng Minh Tuấn", "Thứ trưởng", "leader", None, 5),
    ("thuky", "Hoàng Thu Trang", "Chuyên viên chính", "secretary", "VP", 200),
    ("thuky2", "Bùi Văn Nam", "Chuyên viên", "secretary", "VP", 201),
    ("cvp", "Trịnh Quang Huy", "Chánh Văn phòng", "member", "VP", 100),
    ("vu.khtc", "Ngô Thị Lan", "Vụ trưởng", "member", "KHTC", 110),
    ("vu.pc", "Đỗ Văn Khải", "Vụ trưởng", "member", "PC", 110),
    ("vu.tccb", "Lý Thị Mai", "Vụ trưởng", "member", "TCCB", 110),
    ("cuc.ttbvtv", "Phan Đức Long", "Cục trưởng", "member", "TTBVTV", 110),
    ("cuc.bdkh", "Vũ Ngọc Ánh", "Cục trưởng", "member", "BĐKH", 110),
    ("chuyenvien", "Trần Thị Thu", "Chuyên viên", "member", "PC", 300),
]
ROOMS = [
    ("Phòng họp số 1 (tầng 3, nhà A)", 40, "Tầng 3, nhà A", None),
    ("Phòng họp số 2 (tầng 5, nhà A)", 20, "Tầng 5, nhà A", None),
    ("Phòng họp trực tuyến 201", 30, "Tầng 2, nhà B", "https://hop.demo.gov.vn/phong-201"),
    ("Hội trường lớn", 300, "Tầng 1, nhà C", None),
]


def database_is_empty() -> bool:
    return not db.session.scalar(select(func.count()).select_from(User))


def load_demo() -> None:
    ministry = directory.create_unit({"name": MINISTRY, "place": PLACE})
    units = {None: ministry}
    for position, (name, short) in enumerate(UNITS):
        units[short] = directory.create_unit({"name": name, "short_name": short, "parent_id": ministry.id,
                                              "position": position})
    for local, name, title, role, unit, rank in PEOPLE:
        directory.create_user({"email": f"{local}@{DOMAIN}", "name": name, "title": title, "role": role,
                               "unit_id": units[unit].id, "rank": rank, "password": DEMO_PASSWORD})
    for name, capacity, location, url in ROOMS:
        directory.create_room({"name": name, "capacity": capacity, "location": location, "online_url": url})


def demo_logins() -> list[tuple[str, str]]:
    wanted = {"admin": "admin", "thuky": "secretary", "bo.truong": "leader", "chuyenvien": "member"}
    found = []
    for local, label in wanted.items():
        if directory.user_by_email(f"{local}@{DOMAIN}"):
            found.append((label, f"{local}@{DOMAIN}"))
    return found


@click.command("demo")
@with_appcontext
def demo_command():
    """Load demo data into an empty database; do nothing otherwise."""
    if database_is_empty():
        from meetings.calendar.demo import load_calendar_demo
        from meetings.consultations.demo import load_consultations_demo, load_periodic_demo
        from meetings.dossiers.demo import load_meetings_demo
        from meetings.tasks.demo import load_tasks_demo
        from meetings.timeutil import now_utc

        now = now_utc()  # the command is the edge: the loaders receive the time
        load_demo()
        load_calendar_demo(now)
        load_meetings_demo(now)
        load_tasks_demo(now)
        load_consultations_demo(now)
        load_periodic_demo(now)
        click.echo("Demo data loaded.")
    else:
        click.echo("The database is not empty: demo data not loaded.")
    logins = demo_logins()
    if logins:
        click.echo(f"Demo logins (password: {DEMO_PASSWORD}):")
        for label, email in logins:
            click.echo(f"  {label:<10} {email}")


def init_app(app: Flask) -> None:
    app.cli.add_command(demo_command)
