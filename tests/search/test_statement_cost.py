"""What a search costs in Python, on both databases: the caller's access clause is built once per
search, and searches made again find their statements in SQLAlchemy's cache (none compiled anew)."""
from meetings.directory.models import User
from meetings.extensions import db
from meetings.search import services
from meetings.search.access import visible_rows
from tests.factories import Factories

QUERIES = ("ke hoach ngan sach", "ZQ-58", "zq-5", '"ke hoach"')


def _search_all(user) -> None:
    for q in QUERIES:
        services.search(user, services.Criteria(q=q))
        db.session.rollback()


def test_the_access_clause_is_built_once_per_search(app, monkeypatch):
    with app.app_context():
        user = db.session.get(User, Factories(app).user("member").id)
        built = []
        real = services.visible_rows
        monkeypatch.setattr(services, "visible_rows", lambda *args: built.append(args) or real(*args))
        for q in QUERIES:
            built.clear()
            services.search(user, services.Criteria(q=q))
            assert len(built) == 1, q


def test_searches_made_again_compile_no_statement(app):
    """A clause shared by a search's statements gives SQLAlchemy a few more cache keys for the same
    statement over its first searches (the ORM's compile options of a shared subquery differ between
    its first compilations: one key more per round of these queries, seven rounds here); they must
    settle, for this user and for the next of his role, or every search would compile its statements
    again (tens of ms)."""
    with app.app_context():
        factories = Factories(app)
        for role in ("member", "secretary"):
            user = db.session.get(User, factories.user(role).id)
            for _ in range(10):
                _search_all(user)
            settled = len(db.engine._compiled_cache)
            for _ in range(3):
                _search_all(user)
            _search_all(db.session.get(User, factories.user(role).id))
            assert len(db.engine._compiled_cache) == settled, role


def test_a_members_entry_rule_asks_taking_part_once(app):
    """full_entries asks "taking part" (leader, participant, participant's unit: three subqueries)
    once, and the conclusions' rule does not repeat the entry's rule for a leader: each copy was
    planned again by PostgreSQL in every statement of a search. test_search holds the clauses to the
    Python rules."""
    with app.app_context():
        user = db.session.get(User, Factories(app).user("member", unit="Vụ Kế hoạch").id)
        entries = str(visible_rows(user, ("entry",)).compile(db.engine))
        assert entries.count("FROM calendar_event_participants") == 2  # as a participant, through his unit
        assert entries.count("FROM calendar_event_leaders") == 1
        conclusions = str(visible_rows(user, ("conclusion",)).compile(db.engine))
        assert conclusions.count("FROM calendar_event_leaders") == 2  # the entry's rule once, "leads" once


def test_a_members_rows_are_asked_of_their_own_document_or_entry_on_sqlite(app):
    """The lists of a member's documents and entries (nearly all entries), made in every statement
    that met one such row, cost SQLite 4 ms (documents), 9 ms (entries) and 40 ms (conclusions) at a
    million pages. There each row's own document or entry is looked up by its key; PostgreSQL hashes
    the lists once (the lookup, row by row inside the access CASE, cost it 7x more), and lists the
    few entries he may not read instead."""
    with app.app_context():
        user = db.session.get(User, Factories(app).user("member").id)
        dialect = db.engine.dialect.name

        def clause(kind):
            return " ".join(str(visible_rows(user, (kind,), dialect).compile(db.engine)).split())
        by_key = dialect == "sqlite"
        assert ("WHERE calendar_events.id = search_index.ref_id AND" in clause("entry")) is by_key
        # PostgreSQL: the entries he may not read (few), not the ones he may (nearly all).
        assert ("search_index.ref_id NOT IN" in clause("entry")) is not by_key
        assert ("WHERE calendar_events.id = search_index.meeting_id AND" in clause("conclusion")) is by_key
        assert ("search_index.meeting_id NOT IN" in clause("conclusion")) is not by_key
        assert ("WHERE meeting_documents.id = search_index.document_id AND" in clause("document")) is by_key
        assert ("search_index.document_id IN" in clause("document")) is not by_key
