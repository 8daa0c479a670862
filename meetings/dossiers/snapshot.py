"""One query per repeated read: who is asking (their token or session checked), the document, its meeting,
the reader's seat in it and the version asked for, as plain objects that access.py's rules read just
as they read the models (issue 18's cheap reads: a tablet turning pages asks this and nothing else).

Nothing here is remembered between requests: a revoked token, a user signed out everywhere or
deactivated, a participant removed or a document's access changed is refused on the very next request,
in every process. What is loaded is only what the rules ask about this reader, e.g. `reader_ids` holds
the reader (and whom they stand in for) when chosen, never the document's whole list.
"""
from dataclasses import dataclass, field
from datetime import datetime
from types import SimpleNamespace

from flask_babel import gettext as _
from sqlalchemy import and_, bindparam, exists, func, select

from meetings.auth.models import ApiToken
from meetings.auth.services import Credential, note_token_use, token_digest
from meetings.directory.models import Unit, User
from meetings.dossiers.models import (Document, DocumentAccess, DocumentReader, DocumentStamp, DocumentVersion, Meeting,
                                      MeetingParticipant)
from meetings.dossiers.personal import remember_issue
from meetings.dossiers.reading import remember_opened
from meetings.errors import ServiceError
from meetings.rawselect import RawSelect, current_reader_engine


class NotSignedIn(ServiceError):
    status = 401

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.code = code


@dataclass
class Reader:
    """The user as access.py and the stamp read them."""

    id: int
    name: str
    role: str
    active: bool
    unit: SimpleNamespace | None
    is_authenticated: bool = True


@dataclass
class VersionView:
    id: int
    number: int
    pages: int
    sha256: str


@dataclass
class MeetingView:
    id: int
    status: str
    confidential: bool
    participants: list = field(default_factory=list)  # the reader's own seat, if any


@dataclass
class DocumentView:
    id: int
    meeting_id: int
    meeting: MeetingView
    title: str
    audience: str
    access: str
    current_version: int
    state: str
    progress: int
    refusal_code: str | None
    refusal_reason: str | None
    reader_ids: list[int]
    versions: list[VersionView]
    # The version this reader has never opened, as the same query found (reading.log then asks no more).
    unopened_version: int | None = None

    @property
    def readable(self) -> bool:  # as Document.readable
        return self.current_version > 0

    @property
    def latest(self) -> VersionView | None:
        return next((v for v in self.versions if v.number == self.current_version), None)


def _statement(by_token: bool):
    """Built once per kind; SQLAlchemy caches its compiled form."""
    u, unit, d, m = User.__table__, Unit.__table__, Document.__table__, Meeting.__table__
    p, v, r = MeetingParticipant.__table__, DocumentVersion.__table__, DocumentReader.__table__
    stamp, log = DocumentStamp.__table__, DocumentAccess.__table__
    chosen = lambda who: exists().where(r.c.document_id == d.c.id, r.c.user_id == who)  # noqa: E731
    columns = [u.c.id, u.c.name, u.c.role, u.c.active, u.c.session_token, unit.c.name.label("unit_name"),
               d.c.id.label("document_id"), d.c.meeting_id, d.c.title, d.c.audience, d.c.access,
               d.c.current_version, d.c.state, d.c.progress, d.c.refusal_code, d.c.refusal_reason,
               m.c.status, m.c.confidential, p.c.role.label("seat_role"), p.c.delegate_for_id,
               p.c.user_id.label("seat_user_id"), chosen(u.c.id).label("chosen"),
               chosen(p.c.delegate_for_id).label("delegator_chosen"),
               v.c.id.label("version_id"), v.c.number, v.c.pages, v.c.sha256,
               # What a first read would look up next: the reader's stamp time and whether they opened it.
               select(stamp.c.issued_at).where(stamp.c.version_id == v.c.id, stamp.c.user_id == u.c.id)
               .scalar_subquery().label("issued_at"),
               exists().where(log.c.document_id == d.c.id, log.c.version == v.c.number, log.c.user_id == u.c.id)
               .label("opened")]
    if by_token:
        t = ApiToken.__table__
        columns += [t.c.id.label("token_id"), t.c.revoked_at, t.c.last_used_at]
        source = t.join(u, u.c.id == t.c.user_id)
        where = t.c.token_hash == bindparam("credential")
    else:
        source = u
        where = u.c.id == bindparam("credential")
    source = (source.outerjoin(unit, unit.c.id == u.c.unit_id)
              .outerjoin(d, d.c.id == bindparam("document_id"))
              .outerjoin(m, m.c.id == d.c.meeting_id)
              .outerjoin(p, and_(p.c.meeting_id == d.c.meeting_id, p.c.user_id == u.c.id))
              .outerjoin(v, and_(v.c.document_id == d.c.id,
                                 v.c.number == func.coalesce(bindparam("number", type_=v.c.number.type),
                                                             d.c.current_version))))
    return select(*columns).select_from(source).where(where)


# One per kind of credential, built on first use.
_QUERIES = {True: RawSelect(lambda: _statement(True)), False: RawSelect(lambda: _statement(False))}


def load(credential: Credential, document_id: int, number: int | None, now: datetime
         ) -> tuple[Reader, DocumentView | None]:
    """The reader behind `credential` and the document (None when there is no such document), from one
    query. Raises NotSignedIn for an unknown, revoked or stale credential or a deactivated user: the
    same rules as auth.services.user_for_token and auth.routes.load_user."""
    by_token = credential.token is not None
    # On the driver's cursor, not the ORM session's: no session transaction to begin and end for one
    # SELECT (the first read's log lines and stamps still go through the session).
    row = _QUERIES[by_token].first(current_reader_engine(), {
        "credential": token_digest(credential.token) if by_token else credential.user_id,
        "document_id": document_id, "number": number})
    if row is None or not row.active or (row.revoked_at is not None if by_token
                                         else row.session_token != credential.session_token):
        raise NotSignedIn(_("The API token is missing, unknown or revoked.") if by_token else _("Sign in first."),
                          code="invalid_token" if by_token else "unauthorized")
    if by_token:
        note_token_use(row.token_id, row.last_used_at, now)
    reader = Reader(row.id, row.name, row.role, row.active,
                    SimpleNamespace(name=row.unit_name) if row.unit_name is not None else None)
    if row.document_id is None:
        return reader, None
    seat = (SimpleNamespace(user_id=row.seat_user_id, role=row.seat_role, delegate_for_id=row.delegate_for_id)
            if row.seat_user_id is not None else None)
    meeting = MeetingView(row.meeting_id, row.status, row.confidential, [seat] if seat else [])
    reader_ids = ([reader.id] if row.chosen else []) + ([row.delegate_for_id] if row.delegator_chosen else [])
    versions = [VersionView(row.version_id, row.number, row.pages, row.sha256)] if row.version_id else []
    if versions:  # facts already in the database, so a first read asks nothing more before it writes
        if row.issued_at is not None:
            remember_issue(versions[0], reader.id, row.issued_at)
        if row.opened:
            remember_opened(row.document_id, row.number, reader.id)
    document = DocumentView(row.document_id, row.meeting_id, meeting, row.title, row.audience, row.access,
                            row.current_version, row.state, row.progress, row.refusal_code, row.refusal_reason,
                            reader_ids, versions,
                            None if row.opened or not versions else row.number)
    return reader, document
