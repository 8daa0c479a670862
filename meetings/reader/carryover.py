"""Carrying my annotations over to a new version of a document: only to pages whose text did not
change (compared by the text extracted at upload, white space ignored) and whose size is the same,
so every annotation still lands on the same words. The rest stay on the old version, in "my notes".

The copy's id is derived from the original's id and the target version (uuid5), so carrying over
twice, from two devices at once or after a retry, never doubles an annotation.
"""
import uuid
from datetime import datetime

from sqlalchemy import select

from meetings.dossiers.models import Document, DocumentPage, DocumentVersion
from meetings.dossiers.reading import get_document
from meetings.extensions import db
from meetings.reader import sync
from meetings.reader.models import Annotation
from meetings.reader.services import layout

NAMESPACE = uuid.UUID("6f1d6c1e-4b0a-4d3e-9a57-3c1f0e2b7a10")


def _texts(version: DocumentVersion) -> dict[int, str]:
    rows = db.session.execute(select(DocumentPage.page, DocumentPage.text).where(DocumentPage.version_id == version.id))
    return {page: " ".join(text.split()) for page, text in rows}


def page_map(document: Document, old: DocumentVersion, new: DocumentVersion) -> dict[int, int]:
    """Old page -> new page for pages with the same non-empty text and size; the same number first
    (a page inserted earlier shifts the rest, so an equal text elsewhere counts too)."""
    old_texts, new_texts = _texts(old), _texts(new)
    old_boxes, new_boxes = layout(document, old).pages, layout(document, new).pages
    by_text: dict[str, list[int]] = {}
    for page, text in sorted(new_texts.items()):
        by_text.setdefault(text, []).append(page)
    mapping, used = {}, set()
    for page, text in sorted(old_texts.items()):
        if not text:
            continue  # a scanned page has no text to compare: it may have changed
        candidates = by_text.get(text, [])
        target = page if page in candidates else next((p for p in candidates if p not in used), None)
        if target is None or target in used:
            continue
        a, b = old_boxes[page - 1], new_boxes[target - 1]
        if (round(a.width, 1), round(a.height, 1)) == (round(b.width, 1), round(b.height, 1)):
            mapping[page] = target
            used.add(target)
    return mapping


def copy_id(annotation_id: str, version: DocumentVersion) -> str:
    return str(uuid.uuid5(NAMESPACE, f"{annotation_id}:{version.id}"))


def _pending(document: Document, user) -> tuple[list[Annotation], dict[int, dict[int, int]]]:
    """My annotations on older versions not yet carried to the current one, and each old version's page map."""
    current = document.latest
    rows = list(db.session.scalars(select(Annotation).join(DocumentVersion).where(
        Annotation.document_id == document.id, Annotation.user_id == user.id, Annotation.deleted_at.is_(None),
        DocumentVersion.number < current.number)))
    carried = set(db.session.scalars(select(Annotation.id).where(
        Annotation.id.in_([copy_id(a.id, current) for a in rows])))) if rows else set()
    rows = [a for a in rows if copy_id(a.id, current) not in carried]
    maps = {v.id: page_map(document, v, current) for v in {a.version for a in rows}}
    return rows, maps


def offer(document_id: int, user) -> dict:
    """What the reader offers when a new version arrived: how many can move and how many stay."""
    document = get_document(document_id, user)
    rows, maps = _pending(document, user)
    movable = [a for a in rows if a.page in maps[a.version_id]]
    return {"to_version": document.current_version, "movable": len(movable), "staying": len(rows) - len(movable),
            "pages": sorted({(a.version.number, a.page, maps[a.version_id][a.page]) for a in movable})}


def carry_over(document_id: int, user, now: datetime) -> dict:
    document = get_document(document_id, user)
    current = document.latest
    rows, maps = _pending(document, user)
    carried = 0
    for old in rows:
        target = maps[old.version_id].get(old.page)
        if target is None:
            continue
        copy = Annotation(id=copy_id(old.id, current), user_id=user.id, document_id=document.id,
                          version_id=current.id, page=target, kind=old.kind, geometry=old.geometry,
                          color=old.color, text=old.text, shared=old.shared, updated_at=now)
        db.session.add(copy)
        db.session.flush()
        sync.announce_saved(copy, False)
        carried += 1
    db.session.commit()
    return {"carried": carried, "staying": len(rows) - carried}
