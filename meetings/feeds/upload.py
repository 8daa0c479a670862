"""The import pages: upload an .ics file, see the plan, confirm it (secretaries and admins).

The uploaded file waits in storage between preview and confirmation under a random name that
includes its uploader, so one secretary cannot confirm another's upload.
"""
import secrets
from pathlib import Path

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from meetings.calendar.access import can_manage_calendar
from meetings.directory import services as directory
from meetings.extensions import db
from meetings.feeds import bp, imports
from meetings.timeutil import app_zone, now_utc


def _folder() -> Path:
    folder = Path(current_app.config["MEETINGS_STORAGE"]) / "ics-imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _check() -> None:
    if not can_manage_calendar(current_user):
        abort(403)


def _leaders() -> list:
    return list(db.session.scalars(directory.search_users(role="leader", active=True)))


def _leader_ids() -> list[int]:
    value = request.form.get("leader_id", type=int)
    return [value] if value and any(u.id == value for u in _leaders()) else []


def _page(status=200, **values):
    return render_template("feeds/import.html", leaders=_leaders(), zone=app_zone(),
                           max_kb=imports.MAX_BYTES // 1000, **values), status


@bp.get("/feeds/import")
@login_required
def import_form():
    _check()
    return _page()


@bp.post("/feeds/import")
@login_required
def import_preview():
    _check()
    upload = request.files.get("file")
    data = b""
    if upload:
        try:
            data = upload.stream.read(imports.MAX_BYTES + 1)
        finally:
            upload.close()  # a large upload is spooled to a temporary file: close it now, not at collection
    leader_ids = _leader_ids()
    try:
        if not data:
            raise imports.ImportRefused(_("Choose an .ics file."))
        entries = imports.plan(data, leader_ids)
    except imports.ImportRefused as exc:
        return _page(422, error=exc.message)
    upload_id = f"{current_user.id}-{secrets.token_hex(16)}"
    (_folder() / f"{upload_id}.ics").write_bytes(data)
    return _page(entries=entries, upload_id=upload_id, leader_id=leader_ids[0] if leader_ids else None)


@bp.post("/feeds/import/<upload_id>/confirm")
@login_required
def import_confirm(upload_id: str):
    _check()
    owner, _sep, rest = upload_id.partition("-")
    path = _folder() / f"{upload_id}.ics"
    if owner != str(current_user.id) or not rest.isalnum() or not path.is_file():
        abort(404)
    try:
        created, updated = imports.confirm(path.read_bytes(), _leader_ids(), current_user, now_utc())
    except imports.ImportRefused as exc:
        return _page(422, error=exc.message)
    path.unlink(missing_ok=True)
    flash(_("%(created)d entries created as drafts, %(updated)d updated.", created=created, updated=updated),
          "success")
    return redirect(url_for("calendar.week"))
