"""A search hit as people see it: a title, a snippet with the hits marked (escaped), a link that
opens the document at the page, the entry, the meeting at the conclusion, the task, the minutes."""
from dataclasses import asdict, dataclass

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import and_, select
from sqlalchemy.orm import selectinload

from meetings.calendar.models import Event
from meetings.dossiers.models import Document, DocumentPage, DocumentVersion, Meeting
from meetings.dossiers.textindex import marked_snippet
from meetings.extensions import db
from meetings.search.access import may_quote
from meetings.search.services import Found
from meetings.tasks.models import Conclusion, Minutes, Task


@dataclass(frozen=True)
class Hit:
    kind: str
    id: int
    title: str
    snippet: str  # HTML: escaped text, the hits in <mark>; "" where the text may not be quoted
    url: str
    meeting_id: int | None
    page: int | None
    score: int
    when: object = None  # the time the row is ranked by (for the page; not in the API)

    def to_json(self) -> dict:
        data = asdict(self)
        data.pop("when")
        return data


def _load_documents(rows) -> tuple[dict[int, Document], dict[tuple[int, int], str]]:
    """The page's documents with what their access rules read (meeting, its participants, chosen
    readers) in four statements, and their hit pages' texts in one: read hit by hit, they were four
    to six statements a hit. ({id: document}, {(document id, page): the current version's text})."""
    wanted = {(row.document_id, row.page) for row in rows if row.kind == "document"}
    if not wanted:
        return {}, {}
    ids = sorted({document_id for document_id, page in wanted})
    # Held in the dict: the session keeps no strong reference to what it loaded.
    documents = {d.id: d for d in db.session.scalars(select(Document).where(Document.id.in_(ids)).options(
        selectinload(Document.meeting).selectinload(Meeting.participants), selectinload(Document.readers)))}
    pages = db.session.execute(
        select(DocumentVersion.document_id, DocumentPage.page, DocumentPage.text)
        .join(DocumentVersion, DocumentVersion.id == DocumentPage.version_id)
        .join(Document, and_(Document.id == DocumentVersion.document_id, Document.current_version == DocumentVersion.number))
        .where(Document.id.in_(ids), DocumentPage.page.in_(sorted({page for document_id, page in wanted}))))
    return documents, {(document_id, page): text for document_id, page, text in pages if (document_id, page) in wanted}


def _load_others(rows) -> dict:
    """The page's entries, conclusions (with their meetings), tasks and minutes (with their meetings'
    entries), one statement a kind: read hit by hit, a page of twenty was up to forty statements.
    {(kind, id): the row}."""
    wanted = {kind: sorted({row.ref_id for row in rows if row.kind == kind})
              for kind in ("entry", "conclusion", "task", "minutes")}
    loaded = {}
    for kind, model, options in (("conclusion", Conclusion, (selectinload(Conclusion.meeting),)),
                                 ("task", Task, ()), ("minutes", Minutes, ())):
        if wanted[kind]:
            loaded.update(((kind, item.id), item) for item in db.session.scalars(
                select(model).where(model.id.in_(wanted[kind])).options(*options)))
    # An entry is its own hit, and the title of its minutes' hit.
    events = set(wanted["entry"]) | {item.meeting_id for (kind, ref_id), item in loaded.items() if kind == "minutes"}
    if events:
        loaded.update((("entry", event.id), event)
                      for event in db.session.scalars(select(Event).where(Event.id.in_(sorted(events)))))
    return loaded


def hits(found: Found, user) -> list[Hit]:
    needles = ([found.query.phrase] if " " in found.query.phrase else []) + sorted(found.query.terms, key=len,
                                                                                  reverse=True)
    rows = [row for row, _ in found.rows]
    documents, texts = _load_documents(rows)
    others = _load_others(rows)
    made = []
    for row, score in found.rows:
        title, text, url = _describe(row, user, documents, texts, others)
        snippet = marked_snippet(text, needles) if text else ""
        made.append(Hit(row.kind, row.ref_id, title, snippet, url, row.meeting_id, row.page, score, row.at))
    return made


def _describe(row, user, documents: dict, texts: dict, others: dict) -> tuple[str, str | None, str]:
    """Title, the original text to quote from (None: not to be quoted), and the link."""
    if row.kind == "document":
        document = documents[row.document_id]
        text = texts.get((document.id, row.page)) if may_quote(user, document) else None
        return (document.title, text,
                url_for("reader.read", document_id=document.id, _anchor=f"page={row.page}"))
    if row.kind == "entry":
        event = others[("entry", row.ref_id)]
        words = [event.description, event.location, event.preparing_unit, event.guests]
        return event.title, " · ".join(w for w in [event.title, *words] if w), url_for(
            "calendar.event", event_id=event.id)
    if row.kind == "conclusion":
        conclusion = others[("conclusion", row.ref_id)]
        return (_("Conclusion: %(meeting)s", meeting=conclusion.meeting.title), conclusion.text,
                url_for("tasks.meeting", meeting_id=conclusion.meeting_id,
                        _anchor=f"conclusion-{conclusion.id}"))
    if row.kind == "task":
        task = others[("task", row.ref_id)]
        return task.title, " · ".join(w for w in (task.title, task.report_text) if w), url_for(
            "tasks.task", task_id=task.id)
    minutes = others[("minutes", row.ref_id)]
    event = others[("entry", minutes.meeting_id)]
    return (_("Minutes: %(meeting)s", meeting=event.title), minutes.body,
            url_for("tasks.meeting_minutes", meeting_id=minutes.meeting_id))
