"""Who hears about an annotation change over the socket: the author's other devices always; the other
participants who may see the document only while it is shared. A private annotation's content is
never put into anyone else's room. Called inside the transaction; realtime sends after the commit."""
from meetings.dossiers.access import can_see_document
from meetings.realtime import publish, user_room
from meetings.reader.models import Annotation
from meetings.reader.present import annotation_json

SAVED, DELETED = "annotation.saved", "annotation.deleted"


def _others(annotation: Annotation) -> list[int]:
    document = annotation.document
    return [p.user_id for p in document.meeting.participants
            if p.user_id != annotation.user_id and can_see_document(p.user, document)]


def announce_saved(annotation: Annotation, was_shared: bool) -> None:
    payload = {"document_id": annotation.document_id, "annotation": annotation_json(annotation)}
    publish(SAVED, payload, user_room(annotation.user_id))
    if annotation.shared:
        for user_id in _others(annotation):
            publish(SAVED, payload, user_room(user_id))
    elif was_shared:  # made private again: the others drop it, and learn nothing but its id
        _announce_gone(annotation)


def announce_deleted(annotation: Annotation, was_shared: bool) -> None:
    publish(DELETED, {"document_id": annotation.document_id, "id": annotation.id}, user_room(annotation.user_id))
    if was_shared:
        _announce_gone(annotation)


def _announce_gone(annotation: Annotation) -> None:
    payload = {"document_id": annotation.document_id, "id": annotation.id}
    for user_id in _others(annotation):
        publish(DELETED, payload, user_room(user_id))
