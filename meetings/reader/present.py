"""An annotation as JSON: the contract of /api/v1/documents/ID/annotations, plus who wrote it."""
from meetings.reader.models import Annotation


def annotation_json(annotation: Annotation) -> dict:
    data = {"id": annotation.id, "page": annotation.page, "kind": annotation.kind, "color": annotation.color,
            "text": annotation.text or "", "shared": annotation.shared,
            "updated_at": annotation.updated_at.isoformat().replace("+00:00", "Z"),
            "version": annotation.version.number, "author_id": annotation.user_id,
            "author": annotation.user.name}
    data.update(annotation.geometry)
    if annotation.deleted_at is not None:  # a late, older resend answered with the tombstone
        data["deleted"] = True
    return data
