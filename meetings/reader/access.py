"""Who may see and change an annotation: the one place, asked by the API, the export, the notes
summary and the socket fan-out. Seeing the document is decided by dossiers.access."""
from meetings.dossiers.access import can_download_document, can_see_document
from meetings.reader.models import Annotation


def can_see_annotation(user, annotation: Annotation) -> bool:
    """My own, or one its author shared, on a document I may see. Nobody else ever sees a private one."""
    if annotation.deleted_at is not None or not can_see_document(user, annotation.document):
        return False
    return annotation.user_id == user.id or annotation.shared


def can_edit_annotation(user, annotation: Annotation) -> bool:
    """Only the author: a shared annotation is shown to others with the author's name, never handed over."""
    return annotation.user_id == user.id and can_see_document(user, annotation.document)


def can_export_annotated(user, document) -> bool:
    """The annotated copy is a file to keep: a read-in-the-app-only document gives none."""
    return can_download_document(user, document)
