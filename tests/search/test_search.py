"""Search over the index, on both databases: access as the rules say (through hits, snippets and
counts), folding, phrases, ranking, paging; the same world serves every read-only test."""
import pytest
from sqlalchemy import func, select

from meetings import create_app
from meetings.calendar.access import can_see_entry
from meetings.calendar.models import Event
from meetings.directory.models import User
from meetings.dossiers.access import can_see_document
from meetings.dossiers.models import Document, Meeting
from meetings.extensions import db
from meetings.search import counts, present, services, words
from meetings.search.models import SearchEntry
from meetings.search.query import parse
from meetings.tasks.access import conclusion_rights, minutes_rights, task_rights
from meetings.tasks.models import Conclusion, Minutes, Task
from tests.conftest import app_config, clean_tables
from tests.search import world as office

ROLES = ("admin", "secretary", "chair", "leader", "member", "other", "outsider")


@pytest.fixture(scope="module")
def shared(database_url, tmp_path_factory):
    app = create_app(app_config(database_url, tmp_path_factory.mktemp("search"), MEETINGS_FAKE_NOW=office.NOW))
    made = office.build(app)
    yield app, made
    with app.app_context():
        db.session.remove()
        clean_tables()
        db.engine.dispose()


def find(user_id, q, **criteria):
    user = db.session.get(User, user_id)
    return services.search(user, services.Criteria(q=q, **criteria))


def readable(user) -> set:
    """What the Python rules of each kind let `user` read, object by object."""
    allowed = {("document", d.id) for d in db.session.scalars(select(Document)) if can_see_document(user, d)}
    allowed |= {("entry", e.id) for e in db.session.scalars(select(Event)) if can_see_entry(user, e)}
    allowed |= {("conclusion", c.id) for c in db.session.scalars(select(Conclusion))
                if conclusion_rights(user, c.meeting).see}
    allowed |= {("task", t.id) for t in db.session.scalars(select(Task)) if task_rights(user, t).see}
    allowed |= {("minutes", m.id) for m in db.session.scalars(select(Minutes))
                if minutes_rights(user, db.session.get(Meeting, m.meeting_id)).read}
    return allowed


# SQLite's plans (PostgreSQL's planner chooses its own: the same answer three times): as the word
# counts choose, every rank walked newest first (the access asked before the text of each row), every
# rank listed by FTS5.
@pytest.mark.parametrize("common", [None, -1, 2])
@pytest.mark.parametrize("role", ROLES)
def test_each_person_finds_exactly_what_the_rules_let_them_read(shared, role, common, monkeypatch):
    if common is not None:
        monkeypatch.setattr(words, "COMMON_SHARE", common)
    app, made = shared
    with app.app_context():
        user = db.session.get(User, made.people[role].id)
        found = find(user.id, "ngân sách", limit=100)
        hits = {(row.kind, row.ref_id if row.kind != "document" else row.document_id) for row, _ in found.rows}
        assert hits == readable(user)
        # The count is of the same rows: a hidden meeting's pages do not even add to it.
        assert found.total == len(found.rows) and not found.total_is_estimate


def test_the_rules_hide_what_they_should_in_this_world(shared):
    """The world is worth testing against: the member misses the draft, the confidential meeting, a
    chosen-readers document and a confidential entry; a delegate reads what they stand in for."""
    app, made = shared
    with app.app_context():
        member = db.session.get(User, made.people["member"].id)
        hits = {(row.kind, row.ref_id) for row, _ in find(member.id, "ngan sach", limit=100).rows}
        d, e = made.documents, made.entries
        assert ("document", d["all"]) in hits and ("document", d["delegated"]) in hits
        for hidden in (d["chosen"], d["draft"], d["confidential"]):
            assert ("document", hidden) not in hits
        assert ("entry", e["confidential"]) not in hits and ("entry", e["draft"]) not in hits
        assert ("minutes", made.minutes["draft"]) not in hits and ("minutes", made.minutes["published"]) in hits
        assert ("task", made.tasks["cooperating"]) in hits and ("task", made.tasks["outsider_unit"]) not in hits
        secretary = db.session.get(User, made.people["secretary"].id)
        assert ("document", d["confidential"]) not in {(r.kind, r.ref_id) for r, _ in find(secretary.id, "quoc phong").rows}


def test_a_read_in_the_app_only_document_is_found_without_its_words(shared):
    app, made = shared
    with app.app_context(), app.test_request_context():
        for role, quoted in (("member", False), ("secretary", True)):
            user = db.session.get(User, made.people[role].id)
            [hit] = present.hits(find(user.id, "du phong"), user)
            assert (hit.kind, hit.id, hit.page) == ("document", made.documents["read_only"], 1)
            assert bool(hit.snippet) is quoted
            assert hit.url.endswith(f"/reader/documents/{hit.id}#page=1")


def test_diacritics_and_capitals_do_not_matter(shared):
    app, made = shared
    with app.app_context():
        admin = made.people["admin"].id
        results = [[(r.kind, r.ref_id, r.page) for r, _ in find(admin, q, limit=100).rows]
                   for q in ("ngan sach quoc phong", "NGÂN SÁCH QUỐC PHÒNG", "ngân sách quốc phòng", "Ngan SACH quốc Phong")]
        assert results[0] and all(r == results[0] for r in results)
        assert find(admin, "Đoàn").rows == find(admin, "doan").rows != []


def test_a_snippet_marks_the_words_in_the_original_text_and_escapes_the_rest(shared):
    app, made = shared
    with app.app_context(), app.test_request_context():
        admin = db.session.get(User, made.people["admin"].id)
        [hit] = present.hits(find(admin.id, "tong hop"), admin)
        assert hit.snippet == "<mark>Tổng hợp</mark> ngân sách năm 2027."


@pytest.mark.parametrize("kind", ["document", "entry", "conclusion", "task", "minutes"])
def test_the_snippets_of_a_kinds_hits_take_the_same_statements_for_one_hit_as_for_all(shared, kind):
    """present.hits reads a page's rows one statement a kind (and one for what a kind's title or
    access rules need): read hit by hit, a page of twenty took up to forty statements."""
    from sqlalchemy import event

    app, made = shared
    with app.app_context(), app.test_request_context():
        def statements_for(limit: int) -> tuple[list, list]:
            db.session.expunge_all()  # nothing of an earlier search in the session
            admin = db.session.get(User, made.people["admin"].id)
            found = find(admin.id, "ngan sach", kinds=(kind,), limit=limit)
            seen = []
            record = lambda conn, cursor, statement, *args: seen.append(statement)  # noqa: E731
            event.listen(db.engine, "before_cursor_execute", record)
            try:
                made_hits = present.hits(found, admin)
            finally:
                event.remove(db.engine, "before_cursor_execute", record)
            assert all(hit.title and hit.url and "<mark>" in hit.snippet for hit in made_hits)
            return made_hits, seen

        (one, few), (every, many) = statements_for(1), statements_for(100)
        assert len(one) == 1 and len(every) >= 2 and {hit.kind for hit in every} == {kind}
        assert len(many) == len(few), "\n".join(" ".join(x.split())[:150] for x in many)


def test_paging_walks_every_hit_once_in_rank_order(shared):
    app, made = shared
    with app.app_context():
        admin = made.people["admin"].id
        everything = [r.id for r, _ in find(admin, "ngan sach", limit=100).rows]
        walked, cursor = [], None
        while True:
            page = find(admin, "ngan sach", limit=4, cursor=cursor)
            walked += [r.id for r, _ in page.rows]
            assert page.total == len(everything)
            cursor = page.next_cursor
            if cursor is None:
                break
        assert walked == everything and len(everything) > 8


@pytest.mark.parametrize("role", ROLES)
def test_a_count_that_stops_early_is_a_lower_bound_of_what_the_caller_may_read(shared, role, monkeypatch):
    """SQLite's count asks at most COUNT_CANDIDATES matches whether the caller may read them, and
    PostgreSQL's count of a common query at most COUNT_CANDIDATES rows (the first ids); when more
    rows remain, the total is what it found, flagged as a lower bound; a rare query is counted
    exactly on PostgreSQL."""
    monkeypatch.setattr(counts, "COUNT_CANDIDATES", 4)
    app, made = shared
    with app.app_context():
        user = db.session.get(User, made.people[role].id)
        readable_hits = find(user.id, "ngân sách", limit=100).total  # every one on one page: exact
        found = find(user.id, "ngân sách", limit=1)
        if db.engine.dialect.name == "postgresql" and readable_hits > 1:
            # The words on few rows: GIN lists them, the count is exact.
            monkeypatch.setattr(words, "pg_frequencies", lambda session, wanted: {w: 0.0001 for w in wanted})
            found = find(user.id, "ngân sách", limit=1)
            assert (found.total, found.total_is_estimate) == (readable_hits, False)
            # The words on most rows (as after ANALYZE at scale): a common query, counted within the rows.
            monkeypatch.setattr(words, "pg_frequencies", lambda session, wanted: {w: 0.9 for w in wanted})
            found = find(user.id, "ngân sách", limit=1)
            assert found.total_is_estimate and 1 <= found.total <= min(readable_hits, 4)
            return
        if readable_hits <= 1:  # one page holds them all: nothing to count
            assert (found.total, found.total_is_estimate) == (readable_hits, False)
        elif db.engine.dialect.name == "sqlite":
            matches = db.session.scalar(select(func.count()).select_from(SearchEntry).where(
                SearchEntry.content.regexp_match("(^|[^a-z0-9])ngan[^a-z0-9]+sach([^a-z0-9]|$)")))
            assert matches > 4  # the world holds more matches than the budget, readable or not
            assert found.total_is_estimate and 2 <= found.total <= min(readable_hits, 4)


def test_a_large_total_is_given_as_more_than(shared, monkeypatch):
    app, made = shared
    monkeypatch.setattr(services, "COUNT_BOUND", 3)
    with app.app_context():
        found = find(made.people["admin"].id, "ngan sach", limit=2)
        assert (found.total, found.total_is_estimate, len(found.rows)) == (3, True, 2)


def test_filters_narrow_by_kind_meeting_and_date(shared):
    app, made = shared
    with app.app_context():
        admin = made.people["admin"].id
        only = find(admin, "ngan sach", kinds=("conclusion",), limit=100)
        assert {r.kind for r, _ in only.rows} == {"conclusion"} and len(only.rows) == 5
        meeting = made.meetings["published"]
        assert {r.meeting_id for r, _ in find(admin, "ngan sach", meeting_id=meeting, limit=100).rows} == {meeting}
        from datetime import date
        late = find(admin, "ngan sach", date_from=date(2026, 12, 7), date_to=date(2026, 12, 7), limit=100)
        assert {r.kind for r, _ in late.rows} == {"entry"}


def test_quotes_make_a_phrase_and_several_words_mean_all_of_them():
    assert parse('"kế hoạch" năm  NĂM "ZQ-58"').terms == ("ke hoach", "zq-58", "nam")
    assert parse('ke "ke hoach"').terms == ("ke hoach",)  # a word inside a phrase adds nothing
    assert not parse('  "" ')
