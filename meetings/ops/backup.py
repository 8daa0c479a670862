"""Backup and restore: the database (pg_dump, or SQLite's online backup API) and the documents folder,
with a manifest saying what is in it and what is deliberately not.

Consistency: the database copy is one snapshot (pg_dump reads in one transaction; SQLite's backup API
copies a consistent image while the app keeps writing). The files are copied after it: a document's
files are written before its row is committed and never rewritten (a new version is a new file), so
every file the snapshot names is already there; a file of a document added after the snapshot is
copied too and is harmless. Generated files (the cache) are left out: they are made again on demand.
"""
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from datetime import datetime
from pathlib import Path

from flask import current_app
from sqlalchemy import func, inspect, select, text

from meetings.extensions import db

FORMAT = 1
MANIFEST = "manifest.json"
PG_FILE = "database.pgdump"
SQLITE_FILE = "database.sqlite3"
FILES = "storage"
SKIPPED_DIRS = {"cache"}  # generated files, remade on demand
SKIPPED_PREFIXES = (".tmp-", ".upload-", ".readyz-")  # half-written files and probes
EXCLUDED = [
    "SECRET_KEY (the environment or instance/secret_key): keep it apart from the backups; the stored "
    "signing certificate is encrypted under it, so restore with the same key or upload the certificate again",
    "configuration and passwords (DATABASE_URL, SMTP_PASSWORD, REDIS_URL, METRICS_TOKEN)",
    "generated files (storage/cache): page images and stamped copies are made again on demand",
]


class BackupError(RuntimeError):
    """Why a backup or restore cannot be done; said to the operator as it is."""


def _libpq_env(url) -> dict[str, str]:
    """The connection as libpq variables: no password on a command line that `ps` shows."""
    env = dict(os.environ)
    for name, value in (("PGHOST", url.host), ("PGPORT", url.port), ("PGUSER", url.username),
                        ("PGPASSWORD", url.password), ("PGDATABASE", url.database)):
        if value is not None:
            env[name] = str(value)
    return env


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} is not installed (Debian: apt-get install postgresql-client)")
    return path


def _run(command: list[str], url) -> None:
    done = subprocess.run(command, env=_libpq_env(url), capture_output=True, text=True)
    if done.returncode:
        raise BackupError(f"{Path(command[0]).name} failed: {done.stderr.strip()[-2000:]}")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _kept_files(root: Path):
    """The files of the documents folder that a backup keeps, as paths relative to `root`."""
    if not root.exists():
        return
    for folder, dirs, names in os.walk(root):
        if Path(folder) == root:
            dirs[:] = [d for d in dirs if d not in SKIPPED_DIRS]
        for name in names:
            if not name.startswith(SKIPPED_PREFIXES):
                yield (Path(folder) / name).relative_to(root)


def _revision() -> str | None:
    try:
        return db.session.scalar(text("SELECT version_num FROM alembic_version"))
    except Exception:
        db.session.rollback()
        return None


def make_backup(directory: str | os.PathLike, now: datetime) -> dict:
    target = Path(directory)
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"{target} is not empty: back up into a new folder")
    target.mkdir(parents=True, exist_ok=True)
    url = db.engine.url
    revision = _revision()
    db.session.rollback()  # end this session's transaction before the copy takes its snapshot
    if url.get_backend_name() == "postgresql":
        _run([_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", f"--file={target / PG_FILE}"], url)
        database = {"engine": "postgresql", "file": PG_FILE}
    elif url.get_backend_name() == "sqlite":
        with sqlite3.connect(url.database) as source, sqlite3.connect(target / SQLITE_FILE) as copy:
            source.backup(copy)
        database = {"engine": "sqlite", "file": SQLITE_FILE}
    else:
        raise BackupError(f"no backup method for {url.get_backend_name()}")
    database.update(sha256=_sha256(target / database["file"]), revision=revision)
    root = Path(current_app.config["MEETINGS_STORAGE"])
    files = {}
    for relative in sorted(_kept_files(root)):
        destination = target / FILES / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(root / relative, destination)
        files[relative.as_posix()] = _sha256(destination)
    manifest = {"format": FORMAT, "app": "meetings", "created_at": now.isoformat(), "database": database,
                "files": files, "excluded": EXCLUDED}
    (target / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return manifest


def _read_manifest(source: Path) -> dict:
    try:
        manifest = json.loads((source / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BackupError(f"{source} holds no readable {MANIFEST}: is it a backup?") from exc
    if manifest.get("format") != FORMAT or manifest.get("app") != "meetings":
        raise BackupError(f"{source} is not a backup this version can restore")
    database = manifest["database"]
    if _sha256(source / database["file"]) != database["sha256"]:
        raise BackupError(f"{database['file']} does not match the manifest: the backup is damaged")
    for relative, digest in manifest["files"].items():
        path = source / FILES / relative
        if not path.is_file() or _sha256(path) != digest:
            raise BackupError(f"{relative} is missing or damaged in the backup")
    return manifest


def _installation_problems() -> str | None:
    """Why this installation is not empty (rows in any table, documents on disk), or None."""
    inspector = inspect(db.engine)
    existing = set(inspector.get_table_names())
    for table in db.metadata.sorted_tables:
        if table.name in existing and db.session.scalar(select(func.count()).select_from(table)):
            return f"the database already holds data (table {table.name})"
    root = Path(current_app.config["MEETINGS_STORAGE"])
    if next(_kept_files(root), None) is not None:
        return f"the documents folder {root} is not empty"
    return None


def restore_backup(directory: str | os.PathLike) -> dict:
    source = Path(directory)
    manifest = _read_manifest(source)
    url = db.engine.url
    if manifest["database"]["engine"] != url.get_backend_name():
        raise BackupError(f"the backup holds a {manifest['database']['engine']} database, "
                          f"this installation uses {url.get_backend_name()}")
    problem = _installation_problems()
    if problem:
        raise BackupError(f"restore only into an empty installation: {problem}")
    db.session.remove()
    db.engine.dispose()  # no connection of ours may hold a table the restore replaces
    dump = source / manifest["database"]["file"]
    if url.get_backend_name() == "postgresql":
        # --clean drops the empty tables a `flask db upgrade` may have made; one transaction: all or nothing.
        _run([_tool("pg_restore"), "--no-owner", "--no-privileges", "--clean", "--if-exists", "--single-transaction",
              f"--dbname={url.database}", str(dump)], url)
    else:
        with sqlite3.connect(dump) as backup, sqlite3.connect(url.database) as live:
            backup.backup(live)
    root = Path(current_app.config["MEETINGS_STORAGE"])
    for relative in manifest["files"]:
        destination = root / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source / FILES / relative, destination)
    return manifest
