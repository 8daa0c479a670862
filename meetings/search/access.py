"""Who may find what, as SQL: the same rules as dossiers.access, calendar.access and tasks.access,
written as WHERE clauses so that access is a condition of the search query (nothing is fetched only
to be dropped, and a secretary's search costs what a member's does). tests/search/test_access.py
holds each clause to its Python rule over a world of meetings, documents, entries and tasks.

Snippets: a hit's text is shown only to whoever may keep the document's text (can_download_document);
a document read in the app or on screen only (`app`, `screen`) gives its readers the
hit, the page and the link, never its words outside the stamped reader.
"""
from sqlalchemy import and_, exists, false, literal, or_, select, true

from meetings.calendar.models import Event, EventLeader, EventParticipant
from meetings.dossiers.access import can_download_document
from meetings.dossiers.models import Document, DocumentReader, Meeting, MeetingParticipant
from meetings.search.models import SearchEntry
from meetings.tasks.access import visible_tasks
from meetings.tasks.models import Task


def _signed_in(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.active)


def _my_meetings(user, role: str | None = None):
    query = select(MeetingParticipant.meeting_id).where(MeetingParticipant.user_id == user.id)
    return query.where(MeetingParticipant.role == role) if role else query


def managed_meetings(user):
    """dossiers.access.can_manage_meeting as a clause over Meeting."""
    if user.role == "admin":
        return true()
    own = Meeting.id.in_(_my_meetings(user, "secretary"))
    if user.role == "secretary":
        return or_(Meeting.confidential.is_(False), Meeting.id.in_(_my_meetings(user)), own)
    return own


def seen_meetings(user):
    """dossiers.access.can_see_meeting as a clause over Meeting."""
    taking_part = and_(Meeting.id.in_(_my_meetings(user)),
                       or_(Meeting.status != "draft", Meeting.id.in_(_my_meetings(user, "chair"))))
    return or_(managed_meetings(user), taking_part)


def _manager(user) -> bool:
    """Admins and the office's secretaries: they read every calendar entry and task, and may manage
    meetings they do not take part in (dossiers.access.can_manage_meeting); the role, asked in one place."""
    return user.role in ("admin", "secretary")


def visible_meeting_ids(user):
    query = select(Meeting.id).where(seen_meetings(user))
    # Whoever manages no meeting but their own sees only meetings they take part in: the subquery
    # starts from their few participations, not from every meeting.
    return query if _manager(user) else query.where(Meeting.id.in_(_my_meetings(user)))


def _document_rule(user):
    """dossiers.access.can_see_document as a clause over Document joined to its Meeting."""
    chosen = exists().where(DocumentReader.document_id == Document.id, DocumentReader.user_id == user.id)
    # A delegate reads what the person they stand in for may read.
    delegated = exists().where(DocumentReader.document_id == Document.id,
                               MeetingParticipant.meeting_id == Document.meeting_id,
                               MeetingParticipant.user_id == user.id,
                               MeetingParticipant.delegate_for_id == DocumentReader.user_id)
    readable = and_(seen_meetings(user), or_(Document.audience == "all", chosen, delegated))
    return or_(managed_meetings(user), readable)


def visible_document_ids(user):
    """dossiers.access.can_see_document as a subquery of document ids."""
    query = select(Document.id).join(Meeting, Meeting.id == Document.meeting_id).where(_document_rule(user))
    # As visible_meeting_ids: a member's documents are in the meetings he takes part in.
    return query if _manager(user) else query.where(Document.meeting_id.in_(_my_meetings(user)))


def _document_rows(user, by_key: bool):
    """visible_document_ids as a clause over SearchEntry. A manager reads every document of the
    meetings he manages, and sees no other meeting (taking part makes a secretary a manager of a
    confidential meeting): his clause is over the meetings (one row a meeting), not over every
    document, the subquery a search pays once per statement. A member's documents are in the
    meetings he takes part in (the row says its meeting); `by_key`, each of those rows' own document
    is then asked (see visible_rows), not a list of every document he may read."""
    if user.role == "admin":
        return true()
    if _manager(user):
        return SearchEntry.meeting_id.in_(select(Meeting.id).where(managed_meetings(user)))
    if by_key:
        own = exists().where(Document.id == SearchEntry.document_id, Meeting.id == Document.meeting_id,
                             _document_rule(user))
        return and_(SearchEntry.meeting_id.in_(_my_meetings(user)), own)
    return SearchEntry.document_id.in_(visible_document_ids(user))


def _takes_part(user):
    clauses = [Event.id.in_(select(EventLeader.event_id).where(EventLeader.user_id == user.id)),
               Event.id.in_(select(EventParticipant.event_id).where(EventParticipant.user_id == user.id))]
    if user.unit_id is not None:
        clauses.append(Event.id.in_(select(EventParticipant.event_id).where(EventParticipant.unit_id == user.unit_id)))
    return or_(*clauses)


def full_entries(user):
    """calendar.access.entry_access(user, event) is FULL, as a clause over Event (a busy block
    is no hit: finding it would tell that its hidden content holds the words)."""
    if _manager(user):
        return true()
    # The rule (a draft: taking part or its author; otherwise: not confidential, or taking part)
    # with "taking part" asked once: it is three subqueries, and PostgreSQL plans each copy again in
    # every statement of a search (a member's were 1-3 ms of planning each).
    return or_(and_(Event.status != "draft", Event.visibility != "confidential"), _takes_part(user),
               and_(Event.status == "draft", Event.created_by_id == user.id))


def _hidden_entries(user):
    """The entries `user` may not read in full: few (drafts and confidential ones he takes no part
    in), where those he may read are nearly all of them."""
    return select(Event.id).where(or_(Event.status == "draft", Event.visibility == "confidential"),
                                  ~full_entries(user))


def _entry_read_in_full(user, entry_id, by_key: bool):
    """The calendar entry `entry_id` (a column of the row) is one `user` reads in full: looked up by
    its key, or not in the list of entries hidden from him (few; the list of those he may read is
    nearly all 70,000 at a million pages, 14 ms a statement on PostgreSQL)."""
    if by_key:
        return exists().where(Event.id == entry_id, full_entries(user))
    return entry_id.not_in(_hidden_entries(user))


def _conclusions_seen(user, by_key: bool):
    """tasks.access.conclusion_rights(user, entry).see as a clause over a conclusion's row (its
    `meeting_id` is the entry's id): a meeting's conclusions follow the meeting, and its leaders,
    who take part and so see the entry; a plain entry's follow the entry. Each part a small list, or
    a lookup by key: the one list over every entry cost PostgreSQL 32 ms a statement."""
    entry_id = SearchEntry.meeting_id
    leads = select(EventLeader.event_id).where(EventLeader.user_id == user.id)
    plain_entry = ~exists().where(Meeting.id == entry_id) if by_key else entry_id.not_in(select(Meeting.id))
    return or_(entry_id.in_(visible_meeting_ids(user)), entry_id.in_(leads),
               and_(plain_entry, _entry_read_in_full(user, entry_id, by_key)))


def visible_task_ids(user):
    return select(Task.id).where(visible_tasks(user))


def visible_rows(user, kinds: tuple[str, ...], dialect: str = "postgresql"):
    """A WHERE clause over SearchEntry: the rows of `kinds` the user may find, for `dialect`."""
    if not _signed_in(user):
        return false()
    # A member's documents, entries and conclusions: SQLite made the list of those he may read anew
    # in each statement that met one such row, at a million pages 4 ms for his 5,000 documents, 9 ms
    # for the entries (nearly all of them), 40 ms for the conclusions. Each row's own document or
    # entry is looked up by its key instead: his rare code went from 11 ms to 6 ms, his common query
    # from 72 ms to 40 ms. PostgreSQL hashes each list once per statement, and the lookup by key,
    # asked row by row inside the access CASE, cost it 7x more.
    by_key = dialect == "sqlite"
    by_kind = {
        "document": lambda: _document_rows(user, by_key),
        # Managers read every entry (full_entries is true): no subquery listing them all.
        "entry": lambda: true() if _manager(user) else _entry_read_in_full(user, SearchEntry.ref_id, by_key),
        "conclusion": lambda: _conclusions_seen(user, by_key),
        "task": lambda: true() if _manager(user) else SearchEntry.ref_id.in_(visible_task_ids(user)),
        "minutes": lambda: SearchEntry.meeting_id.in_(visible_meeting_ids(user)),
    }
    # `kind || ''`: no index on kind for this clause, or SQLite gathers each kind's rows through the
    # (kind, ref_id) index and sorts them all, where a search walks the time index or a text index.
    kind_of = SearchEntry.kind.op("||")(literal(""))
    return or_(*(and_(kind_of == kind, by_kind[kind]()) for kind in kinds))


def may_quote(user, document: Document | None) -> bool:
    """May the hit show the words around it? Only for whoever may keep the document as a file."""
    return document is None or can_download_document(user, document)
