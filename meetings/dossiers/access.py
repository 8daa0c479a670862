"""Who may see and manage a meeting and see or download its documents: one function per object kind.

Every page, API route, page image, search hit, personal copy and merged dossier asks here, so a
participant cannot reach another meeting's documents by changing an id anywhere.
"""
from meetings.dossiers.models import Document, Meeting, MeetingParticipant


def _signed_in(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.active)


def participation(user, meeting: Meeting) -> MeetingParticipant | None:
    if not _signed_in(user):
        return None
    return next((p for p in meeting.participants if p.user_id == user.id), None)


def is_admin(user) -> bool:
    return _signed_in(user) and user.role == "admin"


def can_create_meeting(user) -> bool:
    """The office's secretaries (and admins) set meetings up."""
    return _signed_in(user) and user.role in ("admin", "secretary")


def can_manage_meeting(user, meeting: Meeting) -> bool:
    """Agenda, participants, documents: admins, the office's secretaries (a confidential meeting only
    if they take part in it), and whoever is the meeting's own secretary."""
    if is_admin(user):
        return True
    part = participation(user, meeting)
    if part is not None and part.role == "secretary":
        return True
    return _signed_in(user) and user.role == "secretary" and (not meeting.confidential or part is not None)


def can_see_meeting(user, meeting: Meeting) -> bool:
    """Managers always; participants once the meeting is published (the chair sees the draft too)."""
    if can_manage_meeting(user, meeting):
        return True
    part = participation(user, meeting)
    if part is None:
        # The hidden meeting that carries a request for opinions' drafts: those asked read them.
        from meetings.consultations.access import reads_carrier

        return reads_carrier(user, meeting)
    return meeting.status != "draft" or part.role == "chair"


def can_see_document(user, document: Document) -> bool:
    """Managers see every document, also one still being checked (with its progress or refusal);
    a reader only one with a finished version: nothing half-made is ever readable."""
    meeting = document.meeting
    if can_manage_meeting(user, meeting):
        return True
    if not document.readable or not can_see_meeting(user, meeting):
        return False
    if document.audience == "all" or user.id in document.reader_ids:
        return True
    # A delegate (người dự thay) has the rights of whom they stand in for, for as long as they do.
    part = participation(user, meeting)
    return part is not None and part.delegate_for_id is not None and part.delegate_for_id in document.reader_ids


def can_download_document(user, document: Document) -> bool:
    """May keep the personal copy as a file: a download button, an attachment, the browser's own PDF
    viewer (with its print button). Only `download` documents; the meeting's secretaries always."""
    return can_see_document(user, document) and _may_keep(user, document)


def _may_keep(user, document: Document) -> bool:
    """Of those who may see it: who may keep it as a file."""
    return document.access == "download" or can_manage_meeting(user, document.meeting)


def can_fetch_personal_copy(user, document: Document) -> bool:
    """May the reader's browser receive the stamped copy's bytes to draw them (pdf.js)? `download` and
    `app` documents; a `screen` document never leaves the server as a file, except to its managers."""
    if not can_see_document(user, document):
        return False
    return document.access != "screen" or can_manage_meeting(user, document.meeting)


def reads_as_images(user, document: Document) -> bool:
    """The reader shows server page images with their text layer instead of drawing the PDF."""
    return can_see_document(user, document) and not can_fetch_personal_copy(user, document)


def gets_stamped_images(user, document: Document) -> bool:
    """Whoever may read a document but not keep it as a file gets page images with their own stamp in
    the pixels (`screen`, and `app` on devices that fall back to images, and thumbnails); everyone
    else gets the shared, unstamped images (their file is stamped instead)."""
    return can_see_document(user, document) and not _may_keep(user, document)


def can_see_old_versions(user, document: Document) -> bool:
    return can_manage_meeting(user, document.meeting)


def can_get_original(user, document: Document) -> bool:
    """The unsanitised upload is kept for the record and served to admins only."""
    return is_admin(user)
