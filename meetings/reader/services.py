"""Annotation rules as plain functions: the acting user and `now` come in, rows come out.

Last writer wins per annotation by `updated_at` (the time of the edit on the device, never later
than `now`), so an offline edit resent after a newer one changes nothing, and a resend of the same
edit is the same write: PUT is idempotent and nothing is ever doubled.
"""
import uuid
from datetime import datetime, timezone

from flask_babel import gettext as _
from sqlalchemy import or_, select

from meetings.dossiers.models import Document, DocumentVersion
from meetings.dossiers.reading import get_document, version_pdf
from meetings.errors import Forbidden, NotFound, ValidationFailed
from meetings.extensions import db
from meetings.reader import sync
from meetings.reader.access import can_edit_annotation, can_see_annotation
from meetings.reader.geometry import COLOR_RE, DEFAULT_COLORS, MAX_TEXT, geometry_for
from meetings.reader.layout import Layout, layout_of
from meetings.reader.models import KINDS, Annotation
from meetings.timeutil import in_range


def parse_id(value: str) -> str:
    try:
        return str(uuid.UUID(str(value)))
    except ValueError:
        raise ValidationFailed({"id": _("Not a UUID.")}) from None


def parse_time(value, now: datetime, field: str = "updated_at") -> datetime:
    """The device's time of the edit; none means now; a clock running ahead is held at now."""
    if value in (None, ""):
        return now
    try:
        moment = in_range(datetime.fromisoformat(str(value).replace("Z", "+00:00")))
        if moment is None:
            raise ValueError(value)
    except ValueError:
        raise ValidationFailed({field: _("Not an ISO date and time.")}) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return min(moment.astimezone(timezone.utc), now)


def version_of(document: Document, number: int | None) -> DocumentVersion:
    """The current version, or an older one: annotations made there stay there and remain the user's."""
    if number is None:
        return document.latest
    found = next((v for v in document.versions if v.number == number), None)
    if found is None:
        raise NotFound(_("No such version."))
    return found


def layout(document: Document, version: DocumentVersion) -> Layout:
    return layout_of(version.sha256, lambda: version_pdf(document, version))


def visible(document: Document, version: DocumentVersion, user) -> list[Annotation]:
    """My annotations and the shared ones of others on this version (the document is already visible)."""
    rows = db.session.scalars(
        select(Annotation).where(Annotation.version_id == version.id, Annotation.deleted_at.is_(None),
                                 or_(Annotation.user_id == user.id, Annotation.shared.is_(True)))
        .order_by(Annotation.page, Annotation.updated_at, Annotation.id))
    return list(rows)


def list_annotations(document_id: int, user, number: int | None = None) -> tuple[DocumentVersion, list[Annotation]]:
    document = get_document(document_id, user)
    version = version_of(document, number)
    return version, visible(document, version, user)


def _existing(annotation_id: str, document: Document, user) -> Annotation | None:
    """The row behind this id if it is the caller's; someone else's is refused (403 if they may see it)."""
    found = db.session.get(Annotation, annotation_id)
    if found is None:
        return None
    if found.document_id != document.id or not can_edit_annotation(user, found):
        if found.document_id == document.id and can_see_annotation(user, found):
            raise Forbidden(_("Only its author may change a shared annotation."))
        raise NotFound(_("No such annotation."))
    return found


def _read(data: dict, document: Document, current: Annotation | None, now: datetime) -> dict:
    errors: dict[str, str] = {}
    number = data.get("version")
    if number is not None and (isinstance(number, bool) or not isinstance(number, int)):
        raise ValidationFailed({"version": _("Expected a whole number.")})
    version = current.version if current is not None and number is None else version_of(document, number)
    kind = data.get("kind")
    if kind not in KINDS:
        errors["kind"] = _("Must be one of: %(choices)s.", choices=", ".join(KINDS))
    page = data.get("page")
    if isinstance(page, bool) or not isinstance(page, int) or not 1 <= page <= version.pages:
        errors["page"] = _("A page number from 1 to %(n)d.", n=version.pages)
    color = data.get("color") or DEFAULT_COLORS.get(kind, "#ffd400")
    if not isinstance(color, str) or not COLOR_RE.match(color):
        errors["color"] = _("A colour like #ffd400.")
    text = data.get("text") or ""
    if not isinstance(text, str) or len(text) > MAX_TEXT:
        errors["text"] = _("Text of at most %(n)d characters.", n=MAX_TEXT)
    shared = data.get("shared", False)
    if not isinstance(shared, bool):
        errors["shared"] = _("Expected true or false.")
    geometry = None
    if "kind" not in errors and "page" not in errors:
        geometry, shape_errors = geometry_for(kind, data, layout(document, version).pages[page - 1])
        errors.update(shape_errors)
    updated_at = parse_time(data.get("updated_at"), now)
    if errors:
        raise ValidationFailed(errors)
    return {"version_id": version.id, "kind": kind, "page": page, "color": color.lower(), "text": text,
            "shared": shared, "geometry": geometry, "updated_at": updated_at}


def save_annotation(document_id: int, annotation_id: str, data: dict, user, now: datetime) -> tuple[Annotation, bool]:
    """Create or replace one annotation; returns it as stored (the newer write wins) and whether it is new."""
    document = get_document(document_id, user)
    annotation_id = parse_id(annotation_id)
    current = _existing(annotation_id, document, user)
    values = _read(data, document, current, now)
    if current is not None and values["updated_at"] < current.updated_at:
        return current, False  # an older edit arriving late (or a resend): the stored one is newer
    created = current is None
    was_shared = bool(current is not None and current.shared and current.deleted_at is None)
    if created:
        current = Annotation(id=annotation_id, user_id=user.id, document_id=document.id)
        db.session.add(current)
    for key, value in values.items():
        setattr(current, key, value)
    current.deleted_at = None
    db.session.flush()
    sync.announce_saved(current, was_shared)
    db.session.commit()
    return current, created


def delete_annotation(document_id: int, annotation_id: str, user, now: datetime, updated_at=None) -> None:
    """Leave a tombstone; deleting what is already gone (a resend) is fine, an edit newer than the delete stays."""
    document = get_document(document_id, user)
    current = _existing(parse_id(annotation_id), document, user)
    when = parse_time(updated_at, now)
    if current is None or current.deleted_at is not None or when < current.updated_at:
        return
    was_shared = current.shared
    current.deleted_at, current.updated_at = when, when
    sync.announce_deleted(current, was_shared)
    db.session.commit()
