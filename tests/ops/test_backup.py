"""`flask backup DIR` and `flask restore DIR`: a backup restored into a new, empty installation reads
back byte for byte (documents, annotations, a feed, minutes, the notice), and a non-empty one is refused."""
import json
import re
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, select, text

from meetings import create_app
from meetings.dossiers import documents
from meetings.extensions import db
from meetings.feeds import tokens
from meetings.reader.services import save_annotation
from meetings.tasks import minutes
from tests.conftest import app_config
from tests.dossiers import pdfs
from tests.reader.conftest import ink
from tests.tasks.test_notice import NOW, NoticeOffice


@pytest.fixture
def empty_database(database_url, tmp_path):
    """A second, empty database beside the test one (a new SQLite file, or a new PostgreSQL database)."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        yield "sqlite:///" + str(tmp_path / "restored.db")
        return
    name = f"{url.database}_restore"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        if connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}) is None:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    # Emptied, never dropped: DROP DATABASE waits for a checkpoint, which costs seconds on a busy machine.
    restored = url.set(database=name)
    engine = create_engine(restored, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    yield restored.render_as_string(hide_password=False)


def without_file_id(data: bytes) -> bytes:
    """MuPDF gives every PDF it writes a fresh random file identifier (the trailer's /ID), so a PDF drawn
    on request (minutes, a stamped copy) differs there alone from one drawn a moment earlier. The two
    strings are hex or, now and then, literal ones of raw bytes with escapes (`(a\\262dE$...)`), in the
    trailer or in a cross-reference stream's dictionary."""
    one_string = rb"(?:<[0-9A-Fa-f]*>|\((?:\\.|[^\\])*?\))"
    return re.sub(rb"/ID\[" + one_string + rb"\s*" + one_string + rb"\]", b"/ID[]", data, flags=re.S)


def reads(app, doors: list[tuple[str, dict]]) -> dict[str, bytes]:
    client = app.test_client()
    found = {}
    for url, headers in doors:
        response = client.get(url, headers=headers)
        assert response.status_code == 200, (url, response.status_code)
        found[url] = without_file_id(response.data)
    return found


def rows(app) -> dict[str, list]:
    """Every table's rows, in primary-key order."""
    with app.app_context():
        return {table.name: [tuple(row) for row in db.session.execute(
            select(table).order_by(*table.primary_key.columns))] for table in db.metadata.sorted_tables}


def test_a_backup_restores_into_a_new_installation_byte_for_byte(make_app, empty_database, tmp_path):
    source = make_app(MEETINGS_FAKE_NOW=NOW)
    office = NoticeOffice(source)
    with source.app_context():
        clerk, reader = office.user(office.clerk), office.user(office.legal_head)
        document = documents.upload(office.board, pdfs.text_pdf(3, text="Báo cáo tổng kết"), "Báo cáo.pdf", {},
                                    clerk, NOW).id
        save_annotation(document, str(uuid.uuid4()), ink("x", page=1), reader, NOW)
        feed = tokens.token_of(tokens.ensure(reader, "personal", 0, NOW))
        minutes.generate(office.board, {}, clerk, NOW)
        db.session.commit()
    office.issue(office.board)
    clerk_key = {"Authorization": f"Bearer {office.factories.token(office.clerk)}"}
    reader_key = {"Authorization": f"Bearer {office.factories.token(office.legal_head)}"}
    admin_key = {"Authorization": f"Bearer {office.factories.token(office.admin)}"}
    doors = [(f"/api/v1/documents/{document}/original", admin_key),
             (f"/api/v1/documents/{document}/file", reader_key),
             (f"/api/v1/documents/{document}/pages/2", reader_key),
             (f"/api/v1/documents/{document}/annotations", reader_key),
             (f"/feeds/{feed}.ics", {}),
             (f"/api/v1/meetings/{office.board}/minutes.pdf", clerk_key),
             (f"/api/v1/meetings/{office.board}/notice.pdf", clerk_key)]
    before = reads(source, doors)

    folder = tmp_path / "backup"
    done = source.test_cli_runner().invoke(args=["backup", str(folder)])
    assert done.exit_code == 0, done.output
    manifest = json.loads((folder / "manifest.json").read_text())
    assert any("SECRET_KEY" in line for line in manifest["excluded"])
    assert not any(part == "cache" for name in manifest["files"] for part in Path(name).parts)
    assert source.test_cli_runner().invoke(args=["backup", str(folder)]).exit_code != 0  # never over a backup
    saved = rows(source)

    target = create_app(app_config(empty_database, tmp_path / "new", MEETINGS_FAKE_NOW=NOW))
    try:
        restored = target.test_cli_runner().invoke(args=["restore", str(folder)])
        assert restored.exit_code == 0, restored.output
        assert rows(target) == saved  # every row of every table
        assert reads(target, doors) == before
        again = target.test_cli_runner().invoke(args=["restore", str(folder)])  # no longer empty
        assert again.exit_code != 0 and "empty installation" in again.output
        kept = next(name for name in manifest["files"] if name.startswith("documents/"))
        (folder / "storage" / kept).write_bytes(b"%PDF-1.7 changed")
        damaged = target.test_cli_runner().invoke(args=["restore", str(folder)])
        assert damaged.exit_code != 0 and f"{kept} is missing or damaged" in damaged.output
    finally:
        with target.app_context():
            db.session.remove()
            db.engine.dispose()
