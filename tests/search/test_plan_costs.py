"""What a plan costs to choose and to run, on both databases: SQLite's word counts follow every change
of the index (and a reindex counts them again), a title rank is read from the title's own lists, and
the answers stay those of the rules whatever the plan."""
from datetime import timedelta

import pytest
from sqlalchemy import event, func, select, text

from meetings.calendar import services as calendar
from meetings.directory.models import User
from meetings.dossiers import documents
from meetings.dossiers.models import Document
from meetings.extensions import db
from meetings.search import indexing, words
from meetings.search.access import visible_rows
from meetings.search.models import KINDS, SearchEntry, SearchWordCount
from meetings.search.query import parse
from meetings.search.reindex import reindex
from meetings.tasks.models import Conclusion
from tests.dossiers import pdfs
from tests.factories import Factories
from tests.search.test_ranking import _meeting
from tests.search.world import NOW, add_document


def _counts() -> dict[str, int]:
    return {term: n for term, n in db.session.execute(select(SearchWordCount.term, SearchWordCount.doc)) if n}


def _counted_by_fts5() -> dict[str, int]:
    """What the FTS5 tables themselves say (their fts5vocab views read every list)."""
    counts = dict(db.session.execute(text("SELECT term, doc FROM search_words_vocab WHERE col = 'content'")).all())
    counts.update(db.session.execute(text("SELECT term, doc FROM search_words_pairs_vocab")).all())
    return counts


def test_the_word_counts_follow_every_change_of_the_index(app):
    make = Factories(app)
    secretary = make.user("secretary")
    meeting = _meeting(app, secretary, "Họp điều hành", "2026-11-10T08:00")
    with app.app_context():
        document_id = add_document(meeting, "Báo cáo đê điều", ["Phương án cũ về đê điều.", "Kế hoạch 2027"])
        add_document(meeting, "Tờ trình", ["Kế hoạch ngân sách."])
        sqlite = db.engine.dialect.name == "sqlite"
        if not sqlite:  # PostgreSQL's planner keeps statistics of the words column itself
            assert _counts() == {}
        else:
            assert _counts() == _counted_by_fts5() and _counts()["_de"] == 2 and _counts()["ke_hoach"] == 2
        actor = db.session.get(User, secretary.id)
        documents.add_version(document_id, pdfs.text_pdf(2, text="Phương án mới về thủy lợi."), "v2.pdf", actor, NOW)
        calendar.update_event(meeting, {"title": "Họp phòng chống lụt bão"}, actor, NOW + timedelta(minutes=1))
        conclusion = Conclusion(meeting_id=meeting, text="Giao Vụ A chuẩn bị kế hoạch", created_at=NOW)
        db.session.add(conclusion)
        db.session.commit()
        conclusion.text = "Giao Vụ A hoàn thiện đề án"
        db.session.commit()
        if sqlite:
            assert _counts() == _counted_by_fts5()
            # The old version's words are gone (only page 1 still holds the title's), the new ones in.
            assert _counts()["dieu"] == 1 and _counts()["thuy"] == 2 and _counts()["ke_hoach"] == 1
        db.session.delete(db.session.get(Document, document_id))
        db.session.commit()
        if sqlite:
            assert _counts() == _counted_by_fts5() and "thuy" not in _counts()
        # A rolled-back change leaves the counts as they were.
        before = _counts()
        db.session.add(Conclusion(meeting_id=meeting, text="Thủy lợi nội đồng", created_at=NOW))
        db.session.flush()
        db.session.rollback()
        assert _counts() == before
        # Counts left behind by rows written outside the app are counted again by a reindex.
        db.session.execute(text("UPDATE search_word_counts SET doc = doc + 7"))
        db.session.commit()
        reindex()
        if sqlite:
            assert _counts() == _counted_by_fts5() and _counts()["_hop"] == 1
        else:
            assert _counts() == {}


@pytest.mark.only_on("sqlite")  # PostgreSQL's planner reads its own statistics
def test_the_share_of_a_query_is_read_from_the_counts_in_a_few_lookups(app):
    secretary = Factories(app).user("secretary")
    meeting = _meeting(app, secretary, "Họp", "2026-11-01T08:00")
    with app.app_context():
        add_document(meeting, "Kế hoạch", ["kế hoạch ngân sách"] * 3)
        rows = db.session.scalar(select(SearchEntry.id).order_by(SearchEntry.id.desc()).limit(1))
        wq = words.of(parse("ke hoach ngan"))
        assert words.sqlite_share(db.session, wq, "content") == (3 / rows) ** 3
        assert words.sqlite_share(db.session, wq, "title") == 0  # "ngan" is in no title
        assert words.pair_share(db.session, wq.phrase) == (3 / rows) ** 2
        # A plan reads them once, whatever columns it asks: two lookups, the same shares.
        known = words.known_counts(db.session, wq)
        assert words.sqlite_share(db.session, wq, "content", known) == (3 / rows) ** 3
        assert words.pair_share(db.session, wq.phrase, known) == (3 / rows) ** 2
        statements = []
        record = lambda conn, cursor, statement, *args: statements.append(statement)  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", record)
        try:
            words.plan(db.session, "sqlite", wq, list)
        finally:
            event.remove(db.engine, "before_cursor_execute", record)
        assert len(statements) == 2


def test_a_title_rank_is_read_from_the_titles_own_lists(app, monkeypatch):
    """On SQLite a title rank with few titles is asked of the marked title words in search_words_pairs
    (short lists), not of search_words's title column (whose positions live in the content's long
    lists); the answer is the walk's, on both databases."""
    secretary = Factories(app).user("secretary")
    meeting = _meeting(app, secretary, "Họp", "2026-11-01T08:00")
    with app.app_context():
        titled = add_document(meeting, "Kế hoạch ngân sách", ["Nội dung: ngân sách theo kế hoạch."])
        text_only = add_document(meeting, "Tờ trình", ["Kế hoạch và ngân sách."])
        user = db.session.get(User, secretary.id)
        from meetings.search import services

        def ranked():
            found = services.search(user, services.Criteria(q="ngan sach ke hoach", kinds=("document",)))
            return [(row.document_id, score) for row, score in found.rows]

        expected = [(titled, 5), (text_only, 1)]
        for share in (2, -1):  # every rank listed by the index, every rank walked
            monkeypatch.setattr(words, "COMMON_SHARE", share)
            assert ranked() == expected
        if db.engine.dialect.name == "sqlite":
            monkeypatch.setattr(words, "COMMON_SHARE", 2)
            ranks = {(t, p): narrow for t, p, narrow in words.plan(db.session, "sqlite", words.of(
                parse("ngan sach ke hoach")))[0]}
            sql = str(ranks[(True, False)](select(SearchEntry)).compile(dialect=db.engine.dialect))
            assert "search_words_pairs MATCH" in sql and "search_words MATCH" not in sql
        assert indexing.COUNTS_LATER not in db.session.connection().info


def test_postgresql_chooses_from_its_statistics_and_every_choice_gives_the_same_answer(app, monkeypatch):
    """PostgreSQL reads its statistics of the words column (pg_stats) to tell a common query, walked
    newest first with the access asked before the words in one CASE, from a rare one left to GIN,
    and a title rank whose titles are rare from GIN's title lists alone; SQLite its word counts."""
    secretary = Factories(app).user("secretary")
    meeting = _meeting(app, secretary, "Họp", "2026-11-01T08:00")
    with app.app_context():
        titled = add_document(meeting, "Kế hoạch ngân sách", ["Nội dung: ngân sách theo kế hoạch."])
        phrase = add_document(meeting, "Tờ trình", ["Dự thảo kế hoạch ngân sách năm tới."])
        scattered = add_document(meeting, "Báo cáo", ["Kế hoạch và ngân sách."])
        reindex()  # on PostgreSQL it runs ANALYZE: statistics to read
        user = db.session.get(User, secretary.id)
        from meetings.search import services

        def ranked():
            found = services.search(user, services.Criteria(q="ke hoach ngan sach", kinds=("document",)))
            return [(row.document_id, score) for row, score in found.rows], found.total

        expected = ([(titled, 7), (phrase, 3), (scattered, 1)], 3)  # page 1 holds its title too
        assert ranked() == expected
        if db.engine.dialect.name != "postgresql":
            return
        assert words.pg_frequencies(db.session, ["ke", "zzz"])["ke"] >= 0.5  # on every row of the index
        lexemes = ["ke", "hoach", "ngan", "sach"]
        for content, title, pairs in ((0.9, 0.9, 0.9), (0.9, 0.001, 0.001), (0.001, 0.001, 0.001)):
            frequencies = {w: content for w in lexemes} | {f"t:{w}": title for w in lexemes} | {
                p: pairs for p in ("ke_hoach", "hoach_ngan", "ngan_sach")}
            monkeypatch.setattr(words, "pg_frequencies", lambda session, wanted, f=frequencies: f)
            assert ranked() == expected
            ranks = {(t, p): narrow for t, p, narrow in words.plan(db.session, "postgresql", words.of(
                parse("ke hoach ngan sach")), list)[0]}
            sql = {key: str(narrow(select(SearchEntry)).compile(dialect=db.engine.dialect)) for key, narrow in ranks.items()}
            text_share, title_share, common = content ** 4, title ** 4, words.COMMON_SHARE
            walked = {key: LISTED not in statement for key, statement in sql.items()}  # else listed, then sorted
            assert walked[(False, False)] == ("CASE WHEN" in sql[(False, False)]) == (text_share > common)
            # A title rank: walked when titles and texts are common, from the title lists when only
            # the texts are (the text checked in a CASE), from GIN alone when neither is.
            assert walked[(True, False)] == (title_share * text_share > common)
            assert ("CASE WHEN" in sql[(True, False)]) == (title_share * text_share > common or
                                                           title_share <= common < text_share)
            # A listed rank asks the caller's access of the rows GIN gives before their text: the
            # order of a phrase (a regular expression) and the ranks above it (the words again).
            guarded = words.plan(db.session, "postgresql", words.of(parse("ke hoach ngan sach")),
                                 lambda: [visible_rows(user, KINDS)])[0]
            for t, p, narrow in guarded:
                if not walked[(t, p)]:
                    statement = str(narrow(select(SearchEntry)).compile(dialect=db.engine.dialect))
                    case = statement.index("CASE WHEN")
                    assert statement.index("search_index.kind", case) < statement.index(" ~ ", case)


LISTED = "interval '0 s'"  # words._listed_order: newest first, in a form the time index cannot answer


def gin_options(engine) -> dict:
    """The storage options of search_index's GIN indexes on PostgreSQL (what compare_metadata does not read)."""
    with engine.connect() as connection:
        return dict(connection.execute(text(
            "SELECT relname, reloptions FROM pg_class WHERE relname IN "
            "('ix_search_index_content_trgm', 'ix_search_index_words')")).all())


GIN_PENDING_LISTS = {name: ["fastupdate=on", "gin_pending_list_limit=16384"]
                     for name in ("ix_search_index_content_trgm", "ix_search_index_words")}


def test_a_new_versions_rows_wait_in_the_gin_pending_lists_until_the_job_after_the_commit_merges_them(app, monkeypatch):
    """A new version's words and trigrams go to the GIN indexes' pending lists (0.10-0.16 s for 200
    pages at a million) and a job queued at the commit merges them in bulk (0.3-0.9 s warm, off the
    transaction): written straight in, each row's words were looked up one by one in the transaction
    (0.6-1.1 s, 1.2-2 s cold). The list
    is searched too: a row is found before it is merged."""
    with app.app_context():
        if db.engine.dialect.name != "postgresql":  # SQLite's FTS5 has no such list
            assert "fts5" in db.session.scalar(text("SELECT sql FROM sqlite_master WHERE name = 'search_words'"))
            assert indexing.merge_pending(db.session.connection()) == 0
            return
        assert gin_options(db.engine) == GIN_PENDING_LISTS
        secretary = Factories(app).user("secretary")
        meeting = _meeting(app, secretary, "Họp thủy lợi", "2026-11-10T08:00")
        merged = []
        from meetings.search import jobs as search_jobs
        real = search_jobs.merge_pending
        monkeypatch.setattr(search_jobs, "merge_pending", lambda conn: merged.append(real(conn)) or merged[-1])
        add_document(meeting, "Đề án", [f"Trang {n}: phương án đê điều {n}" for n in range(1, 41)])
        assert merged and merged[0] > 0, "the job after the commit merged the new rows"
        assert indexing.merge_pending(db.session.connection()) == 0, "nothing was left waiting"
        # Rows that no commit's job merges (a bulk write beside the hook) wait in the list, and are found.
        db.session.execute(SearchEntry.__table__.insert(), [
            {"kind": "entry", "ref_id": 10**6 + n, "meeting_id": None, "title": "", "content": f"ma so zx-{n}",
             "at": NOW} for n in range(200)])
        db.session.commit()
        db.session.execute(text("SET LOCAL enable_seqscan = off"))  # asked of the trigram index and its list
        assert db.session.scalar(select(func.count()).select_from(SearchEntry).where(SearchEntry.content.like("%zx-17"))) == 1
        db.session.commit()
        assert indexing.merge_pending(db.session.connection()) > 0
        db.session.rollback()


def test_a_documents_progress_or_audience_leaves_its_rows_as_they_are(app):
    """Only what a document's rows are made of (its title, current version, meeting) re-writes them:
    its processing commits its progress every few percent, and each commit re-wrote every page's row."""
    secretary = Factories(app).user("secretary")
    meeting = _meeting(app, secretary, "Họp thủy lợi", "2026-11-10T08:00")
    with app.app_context():
        document_id = add_document(meeting, "Đề án", ["Trang một.", "Trang hai."])
        written = []
        record = lambda conn, cursor, statement, *args: written.append(statement)  # noqa: E731

        def rows_written_by(change) -> list[str]:
            written.clear()
            event.listen(db.engine, "before_cursor_execute", record)
            try:
                change(db.session.get(Document, document_id))
                db.session.commit()
            finally:
                event.remove(db.engine, "before_cursor_execute", record)
            return [s for s in written if "search_index" in s and s.split()[0] in ("INSERT", "DELETE")]

        assert rows_written_by(lambda d: setattr(d, "progress", 40)) == []
        assert rows_written_by(lambda d: setattr(d, "audience", "chosen")) == []
        assert rows_written_by(lambda d: setattr(d, "title", "Đề án thủy lợi")) != []
        assert set(db.session.scalars(select(SearchEntry.title).where(SearchEntry.document_id == document_id))) == {
            "de an thuy loi"}


@pytest.mark.only_on("postgresql")  # psycopg is PostgreSQL's driver
def test_postgresql_remembers_the_conversion_of_a_search_statement(app, monkeypatch):
    """psycopg converts a statement's placeholders in Python and remembered it only under 4 KB: a
    search's statements (6-12 KB, the caller's access to five kinds of rows) were converted again on
    every search, 3.4 ms each. config.cache_long_statements raises the limits; a psycopg that renamed
    them fails here rather than going slow unnoticed."""
    with app.app_context():
        from psycopg import _queries

        from meetings.config import PSYCOPG_CACHED_LENGTH, PSYCOPG_CACHED_PARAMS
        assert _queries.MAX_CACHED_STATEMENT_LENGTH >= PSYCOPG_CACHED_LENGTH
        assert _queries.MAX_CACHED_STATEMENT_PARAMS >= PSYCOPG_CACHED_PARAMS
        member = Factories(app).user("member")
        user = db.session.get(User, member.id)
        from meetings.search import services
        services.search(user, services.Criteria(q="ke hoach ngan sach"))
        converted, lengths = [], []
        uncached = _queries._query2pg_nocache

        def converting(query, encoding):
            converted.append(len(query))
            return uncached(query, encoding)
        record = lambda conn, cursor, statement, *args: lengths.append(len(statement.encode()))  # noqa: E731
        monkeypatch.setattr(_queries, "_query2pg_nocache", converting)
        event.listen(db.engine, "before_cursor_execute", record)
        try:
            services.search(user, services.Criteria(q="ke hoach ngan sach"))
        finally:
            event.remove(db.engine, "before_cursor_execute", record)
        assert max(lengths) > 4096 and converted == []  # long statements, none converted again


def test_a_common_count_reads_a_bounded_number_of_rows_of_its_filter_too(app, monkeypatch):
    """A common query's count reads at most COUNT_CANDIDATES rows (SQLite: matches), past them the
    total is a lower bound; on PostgreSQL they are the newest rows the filter lets through: a filter
    with fewer (here a reader's search inside one document) is counted exactly, one with more (the
    search page's group of one kind: all 70,000 entries were read at a million pages) is bounded."""
    from meetings.search import counts, services
    secretary = Factories(app).user("secretary")
    meeting = _meeting(app, secretary, "Họp", "2026-11-01T08:00")
    with app.app_context():
        add_document(meeting, "Tờ trình", ["Kế hoạch năm."] * 6)
        late = add_document(meeting, "Báo cáo", ["Kế hoạch quý."] * 3)
        reindex()
        monkeypatch.setattr(counts, "COUNT_CANDIDATES", 4)
        monkeypatch.setattr(words, "pg_frequencies", lambda session, wanted: {w: 0.9 for w in wanted})
        user = db.session.get(User, secretary.id)
        everything = services.search(user, services.Criteria(q="ke hoach", limit=1))
        assert everything.total_is_estimate and 1 <= everything.total <= 4  # 9 hits, 4 rows or matches read
        one = services.search(user, services.Criteria(q="ke hoach", limit=1, document_id=late))
        if db.engine.dialect.name == "postgresql":
            assert (one.total, one.total_is_estimate) == (3, False)
        else:  # SQLite's first candidates are taken before the filter: a lower bound
            assert 1 <= one.total <= 3 and (one.total_is_estimate or one.total == 3)
        documents = services.search(user, services.Criteria(q="ke hoach", limit=1, kinds=("document",)))
        assert documents.total_is_estimate and 1 <= documents.total <= 4  # 9 pages, at most 4 read


@pytest.mark.only_on("postgresql")
def test_a_common_count_reads_the_newest_rows_whatever_order_they_were_written_in(app, monkeypatch):
    """A reindex writes every calendar entry before the documents: the first ids of a large index
    are entries. A common query's count reads the newest rows, the order the results are walked in,
    not the first ids (which at a million pages gave "more than 21" for 730,000 pages)."""
    from meetings.search import counts, services
    secretary = Factories(app).user("secretary")
    for day in range(1, 7):  # older entries, without the words
        _meeting(app, secretary, f"Giao ban tuần {day}", f"2026-10-0{day}T08:00")
    meeting = _meeting(app, secretary, "Họp", "2026-11-01T08:00")
    with app.app_context():
        add_document(meeting, "Tờ trình", ["Kế hoạch năm."] * 8)
        reindex()  # entries first: the six old ones and the meeting take the first ids
        monkeypatch.setattr(counts, "COUNT_CANDIDATES", 6)
        monkeypatch.setattr(words, "pg_frequencies", lambda session, wanted: {w: 0.9 for w in wanted})
        newest = db.session.scalars(select(SearchEntry.content).order_by(SearchEntry.at.desc(), SearchEntry.id)
                                    .limit(6)).all()
        holding = sum("ke hoach" in content for content in newest)
        assert holding >= 5  # the meeting's entry row (its title lacks the words) and its first pages
        found = services.search(db.session.get(User, secretary.id), services.Criteria(q="ke hoach", limit=1))
        assert (found.total, found.total_is_estimate) == (holding, True)


@pytest.mark.only_on("sqlite")
def test_a_search_of_one_kind_walks_that_kinds_rows_only(app, monkeypatch):
    """The search page asks each kind on its own. The filter on kind is a plain condition beside the
    access CASE, so SQLite walks that kind's rows newest first (ix_search_index_kind_at): inside the
    CASE it walked every row of every kind, 2.3 s to find that no task held the words at a million
    pages. Every rank walked here (the answer checked, then each walk's plan)."""
    from meetings.search import services
    secretary = Factories(app).user("secretary")
    meeting = _meeting(app, secretary, "Họp", "2026-11-01T08:00")
    with app.app_context():
        add_document(meeting, "Tờ trình", ["Kế hoạch năm."] * 5)
        db.session.add(Conclusion(meeting_id=meeting, text="Giao Vụ A lập kế hoạch", created_at=NOW))
        db.session.commit()
        monkeypatch.setattr(words, "COMMON_SHARE", -1)
        statements = []
        listen = lambda conn, cursor, sql, params, context, many: statements.append((sql, params))  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listen)
        try:
            found = services.search(db.session.get(User, secretary.id),
                                    services.Criteria(q="ke hoach", kinds=("conclusion",)))
        finally:
            event.remove(db.engine, "before_cursor_execute", listen)
        assert [row.kind for row, _ in found.rows] == ["conclusion"]
        raw = db.session.connection().connection.dbapi_connection
        walks = [" ".join(r[3] for r in raw.execute("EXPLAIN QUERY PLAN " + sql, params))
                 for sql, params in statements if sql.startswith("SELECT search_index.id") and "ORDER BY" in sql]
        assert walks and all("ix_search_index_kind_at (kind=?)" in plan for plan in walks), walks


@pytest.mark.only_on("sqlite")
def test_a_substring_query_is_common_when_each_trigram_is_on_more_rows_than_the_bound(app, monkeypatch):
    """engine.is_common counts each trigram's matches up to COMMON_ROWS + 1 and stops at the first
    rare one (the fts5vocab view it read before counted each whole list)."""
    from meetings.search import engine
    secretary = Factories(app).user("secretary")
    meeting = _meeting(app, secretary, "Họp", "2026-11-01T08:00")
    with app.app_context():
        add_document(meeting, "Tờ trình", ["Kế hoạch năm."] * 4 + ["Mã ZQ-58."])
        monkeypatch.setattr(engine, "COMMON_ROWS", 3)
        assert engine.is_common(db.session, "sqlite", ("hoach",))  # each of its trigrams on the 4 pages
        assert not engine.is_common(db.session, "sqlite", ("hoach", "zq-58"))  # "zq-" on one page
        assert not engine.is_common(db.session, "sqlite", ('"ho',))  # a quote in a trigram: on no row, no error
        monkeypatch.setattr(engine, "COMMON_ROWS", 4)
        assert not engine.is_common(db.session, "sqlite", ("hoach",))  # 4 is not more than 4
        assert engine.is_common(db.session, "sqlite", ("ke",))  # under three letters: no index can help
