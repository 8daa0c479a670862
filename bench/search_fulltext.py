"""Search at scale: PAGES pages of Vietnamese text (100,000 by default; BENCH_SEARCH_PAGES to change),
with entries and conclusions in proportion (50,000 and 20,000 at a million pages), as a secretary and
as a member; the new search beside today's LIKE path, on the same data in the same run.

    python -m bench search_fulltext                                   # SQLite, thrown away
    BENCH_DATABASE_URL=postgresql+psycopg://... python -m bench search_fulltext

BENCH_SEARCH_KEEP=1 keeps the data: on SQLite in BENCH_SEARCH_FILE (default
/tmp/meetings-bench-search-PAGES.db), on PostgreSQL in the database of BENCH_DATABASE_URL (not
dropped); a second run with the same PAGES finds it and only times the queries.

Each role's queries are timed through the API's search (all kinds, first page of 20) and as the
search page asks them with no kind chosen: each kind on its own, five hits a group.

Data goes in with bulk inserts (COPY on PostgreSQL; the text drawn from pre-folded syllables, so
nothing is folded page by page), then `reindex()` builds the index: its time is printed, and so is
the time to index a new 200-page version, three times in turn (each rolled back, so kept data stays
as it was; the first cold). The LIKE
path runs for a user whose meetings hold up to BENCH_SEARCH_LIKE_PAGES pages (200,000), the pages it
reads: beyond, one call takes minutes (the secretary's at a million pages; the member's runs there).
"""
import os
import random
import time
from datetime import datetime, timedelta, timezone

import contextlib

from sqlalchemy import func, insert, inspect, select

from bench.common import median, percentile, report, timed
from meetings import create_app
from meetings.calendar.models import Event, EventLeader
from meetings.directory import services as directory
from meetings.directory.models import User
from meetings.dossiers.access import can_see_document
from meetings.dossiers.models import Document, DocumentPage, DocumentVersion, Meeting, MeetingParticipant
from meetings.dossiers.services import my_meetings
from meetings.dossiers.textindex import search_pages
from meetings.extensions import db
from meetings.search import indexing, present, services, words
from meetings.search.models import KINDS, SearchEntry, SearchWordCount
from meetings.search.query import like_pattern
from meetings.search.reindex import reindex
from meetings.search.routes import PER_GROUP
from meetings.tasks.models import Conclusion
from meetings.text import fold_vietnamese

PAGES = int(os.environ.get("BENCH_SEARCH_PAGES", "100000"))
LIKE_PAGES = int(os.environ.get("BENCH_SEARCH_LIKE_PAGES", "200000"))
KEEP = bool(os.environ.get("BENCH_SEARCH_KEEP"))
PAGES_PER_DOCUMENT, DOCUMENTS_PER_MEETING = 10, 5
ENTRIES, CONCLUSIONS = PAGES // 20, PAGES // 50
RARE = "ZQ-58"
# The common query: two words each on most pages (kế, hoạch: the 16th and 17th syllables of the draw),
# side by side on a few: ranked title, phrase, scattered. Neither is inside another syllable of WORDS,
# so today's substring LIKE finds the same pages as the new search's whole words (the bench checks).
COMMON = "ke hoach"
# Off: the hit sets of the two paths are not compared (the secretary's common query has some 70,000
# hits at 100,000 pages: listing them on both paths takes a minute or two).
CHECK = os.environ.get("BENCH_SEARCH_CHECK", "1") != "0"
START = datetime(2024, 1, 1, 1, 0, tzinfo=timezone.utc)
# Syllables of administrative Vietnamese; the first ones come far more often (a Zipf-like draw).
WORDS = ("của và các trong được cho với về theo này đã có những là năm kế hoạch ngân sách thực hiện báo cáo "
         "đơn vị bộ ngành tỉnh thành phố quản lý nhà nước dự án đầu tư công tác chỉ đạo điều hành phát triển "
         "kinh tế xã hội chương trình đề án triển khai nhiệm vụ giải pháp tổ chức cán bộ kiểm tra giám sát "
         "thẩm định kiểm định hồ sơ văn bản quy định nghị định thông tư quyết định chính phủ thủ tướng "
         "bộ trưởng thứ trưởng vụ cục viện trung tâm hợp tác quốc tế khoa học công nghệ chuyển đổi số dữ liệu "
         "hạ tầng giao thông nông nghiệp môi trường tài nguyên đất đai khoáng sản năng lượng điện than dầu khí "
         "y tế giáo dục đào tạo lao động việc làm an sinh bảo hiểm tài chính thuế hải quan kho bạc ngân hàng "
         "thị trường doanh nghiệp đổi mới sáng tạo thủ tục hành chính cải cách pháp luật thanh tra khiếu nại "
         "tố cáo phòng chống tham nhũng lãng phí biên giới biển đảo quốc phòng an ninh trật tự").split()
FOLDED = [fold_vietnamese(w) for w in WORDS]
CUMULATIVE = list(__import__("itertools").accumulate(1 / (rank + 5) for rank in range(len(WORDS))))
RANKS = range(len(WORDS))


def page_text(rng: random.Random, words: int = 150) -> tuple[str, str]:
    """(text, its fold_vietnamese), drawn together: folding the syllables once is what makes a
    million pages quick to make."""
    drawn = rng.choices(RANKS, cum_weights=CUMULATIVE, k=words)
    text, folded = " ".join(WORDS[i] for i in drawn), " ".join(FOLDED[i] for i in drawn)
    return text[0].upper() + text[1:] + ".", folded + "."


def make_app():
    url = os.environ.get("BENCH_DATABASE_URL") or "sqlite:///" + os.environ.get(
        "BENCH_SEARCH_FILE", f"/tmp/meetings-bench-search-{PAGES}.db")
    if not KEEP and url.startswith("sqlite") and os.path.exists(url[len("sqlite:///"):]):
        os.remove(url[len("sqlite:///"):])
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench" * 8,
                      "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False,
                      "MEETINGS_STORAGE": "/tmp/meetings-bench-search-storage", "REDIS_URL": None})
    with app.app_context():
        if KEEP and _kept(app):
            print(f"kept data found ({PAGES:,} pages): only the queries are timed", flush=True)
            return app, False
        db.session.remove()  # its read would hold the tables against the drop below
        db.drop_all()
        db.create_all()
    return app, True


def _kept(app) -> bool:
    try:
        # Data kept before the word pairs (no search_index.pairs), or on SQLite before the word
        # counts and the marked title words, is built again.
        marked = SearchWordCount.term.like("\\_%", escape="\\")  # a title word counted ("_ke")
        sqlite_counted = db.engine.dialect.name != "sqlite" or bool(
            db.session.scalar(select(func.count()).select_from(SearchWordCount).where(marked)))
        return db.session.scalar(select(func.count()).select_from(DocumentPage)) == PAGES and bool(
            db.session.scalar(select(func.count()).select_from(SearchEntry))) and "pairs" in {
            c["name"] for c in inspect(db.engine).get_columns("search_index")} and sqlite_counted
    except Exception:  # no tables yet
        db.session.rollback()
        return False


def _bulk(table, columns: list[str], rows: list[tuple]) -> None:
    """COPY on PostgreSQL, executemany on SQLite: a million rows in seconds, not minutes."""
    raw = db.session.connection().connection.dbapi_connection
    if db.engine.dialect.name == "postgresql":
        with raw.cursor() as cursor, cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    else:
        raw.cursor().executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES "
                                 f"({', '.join('?' * len(columns))})", rows)


def populate(app) -> None:
    rng = random.Random(20)
    started = time.perf_counter()
    with app.app_context():
        directory.create_user({"email": "thuky@bench.vn", "name": "Thư ký", "role": "secretary"})
        member = directory.create_user({"email": "chuyenvien@bench.vn", "name": "Chuyên viên", "role": "member"}).id
        leader = directory.create_user({"email": "lanhdao@bench.vn", "name": "Lãnh đạo", "role": "leader"}).id
        meetings = PAGES // (PAGES_PER_DOCUMENT * DOCUMENTS_PER_MEETING)
        events, links, rows, parts = [], [], [], []
        # Meetings and plain entries take turns in time, as in an office's calendar: the plain entries
        # all after the meetings (as before) made the newest 10,000 rows entries dated decades ahead,
        # which no office has, and a count of the newest rows found no page among them.
        total = meetings + ENTRIES
        meeting_slot = {m: (m - 1) * total // meetings + 1 for m in range(1, meetings + 1)}
        taken = set(meeting_slot.values())
        entry_slots = iter(slot for slot in range(1, total + 1) if slot not in taken)
        for n in range(1, meetings + ENTRIES + 1):
            start = START + timedelta(hours=4 * (meeting_slot[n] if n <= meetings else next(entry_slots)))
            title = f"{'Họp' if n <= meetings else 'Làm việc'} về {page_text(rng, 4)[0]}"
            events.append({"id": n, "title": title, "start_at": start, "end_at": start + timedelta(hours=2),
                           "span_start": start, "span_end": start + timedelta(hours=2), "status": "published",
                           "visibility": "internal", "kind": "meeting", "search_folded": fold_vietnamese(title),
                           "sequence": 0, "version": 1, "all_day": False, "has_conflict": False,
                           "created_at": start, "updated_at": start})
            links.append({"event_id": n, "user_id": leader, "role": "chair", "position": 0})
            if n <= meetings:
                rows.append({"id": n, "status": "published", "confidential": False, "version": 1, "created_at": start})
                if n % 20 == 0:  # the member takes part in one meeting in twenty
                    parts.append({"meeting_id": n, "user_id": member, "role": "member", "attendance": "invited",
                                  "by_delegation": False})
        db.session.execute(insert(Event), events)
        db.session.execute(insert(EventLeader), links)
        db.session.execute(insert(Meeting), rows)
        db.session.execute(insert(MeetingParticipant), parts)
        documents, versions, pages, rare_pages = [], [], [], set(rng.sample(range(PAGES), 25))
        page_id = 0
        for d in range(1, meetings * DOCUMENTS_PER_MEETING + 1):
            meeting = (d - 1) // DOCUMENTS_PER_MEETING + 1
            documents.append({"id": d, "meeting_id": meeting, "title": f"Tài liệu {d}: {page_text(rng, 6)[0]}",
                              "position": d, "audience": "all", "read_only": False, "current_version": 1,
                              "pages": PAGES_PER_DOCUMENT, "created_at": START})
            versions.append({"id": d, "document_id": d, "number": 1, "pages": PAGES_PER_DOCUMENT, "size": 1,
                             "sha256": "0" * 64, "filename": "x.pdf", "original_ext": "pdf", "created_at": START})
            for p in range(1, PAGES_PER_DOCUMENT + 1):
                text, folded = page_text(rng)
                if page_id in rare_pages:
                    extra = f" Thiết bị mã {RARE} đã kiểm định."
                    text, folded = text + extra, folded + fold_vietnamese(extra)
                pages.append((d, p, text, folded))
                page_id += 1
            if len(pages) >= 50000:
                _flush(documents, versions, pages)
                documents, versions, pages = [], [], []
        if documents:
            _flush(documents, versions, pages)
        # Each conclusion written down on its meeting's day (the search dates it so): all dated at
        # START, they were the oldest rows, and a search of conclusions alone walked every other row
        # first (2.4 s for a member's common query at a million pages).
        concluded = [rng.randrange(1, meetings + 1) for _ in range(CONCLUSIONS)]
        db.session.execute(insert(Conclusion), [
            {"meeting_id": m, "text": page_text(rng, 40)[0],
             "created_at": START + timedelta(hours=4 * meeting_slot[m] + 3)} for m in concluded])
        db.session.commit()
        print(f"data: {PAGES:,} pages, {meetings:,} meetings, {ENTRIES:,} entries, {CONCLUSIONS:,} conclusions "
              f"in {time.perf_counter() - started:.1f} s", flush=True)
        started = time.perf_counter()
        rows_indexed = reindex()
        print(f"index build (reindex): {rows_indexed:,} rows in {time.perf_counter() - started:.1f} s "
              f"(load average {_load()})", flush=True)


def _flush(documents, versions, pages) -> None:
    db.session.execute(insert(Document), documents)
    db.session.execute(insert(DocumentVersion), versions)
    _bulk("meeting_document_pages", ["version_id", "page", "text", "folded"], pages)


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def legacy_like_search(user, terms: tuple[str, ...], limit: int | None = 200) -> list[tuple[int, int]]:
    """Today's path before this change (dossiers.reading.search as it was): LIKE over the folded pages of
    every meeting the user may see, access checked in Python row by row, in meeting order, each hit's
    snippet made (search_pages), at most 200 hits. It took a query as one substring: given several
    `terms` it asks each as it asked one (a LIKE each, search_pages each), so that it answers "both
    words" with the same pages as the new search. (document id, page) of each hit."""
    meetings = my_meetings(user)
    likes = [DocumentPage.folded.like(like_pattern(fold_vietnamese(t)), escape="\\") for t in terms]
    rows = db.session.execute(
        select(DocumentPage, Document).join(DocumentVersion, DocumentVersion.id == DocumentPage.version_id)
        .join(Document, Document.id == DocumentVersion.document_id)
        .where(Document.meeting_id.in_([m.id for m in meetings]), DocumentVersion.number == Document.current_version,
               *likes)
        .order_by(Document.meeting_id, Document.position, DocumentPage.page))
    hits = []
    for page, document in rows:
        if can_see_document(user, document) and all(search_pages([page.text], t) for t in terms):
            hits.append((document.id, page.page))
        if limit and len(hits) >= limit:
            break
    return hits


def pages_of_meetings(user) -> int:
    """How many pages legacy_like_search reads for `user`: the current versions' pages of his meetings."""
    return db.session.scalar(
        select(func.count()).select_from(DocumentPage)
        .join(DocumentVersion, DocumentVersion.id == DocumentPage.version_id)
        .join(Document, Document.id == DocumentVersion.document_id)
        .where(Document.meeting_id.in_([m.id for m in my_meetings(user)]),
               DocumentVersion.number == Document.current_version))


def _title_holds(document_id: int, terms) -> bool:
    title = fold_vietnamese(db.session.get(Document, document_id).title)
    return any(fold_vietnamese(t) in title for t in terms)


def new_document_hits(user, q: str) -> set[tuple[int, int]]:
    """Every document hit of the new search, page after page (untimed: for the comparison of hit sets)."""
    found, hits = None, set()
    while found is None or found.next_cursor:
        found = services.search(user, services.Criteria(q=q, kinds=("document",), limit=services.MAX_LIMIT,
                                                        cursor=found.next_cursor if found else None))
        hits |= {(row.document_id, row.page) for row, _ in found.rows}
    return hits


@contextlib.contextmanager
def phrase_from_positions():
    """SQLite before the word pairs: the phrase rank asked of FTS5's position lists of its words."""
    saved = words.pairs_join, words.pair_share
    words.pairs_join = lambda st, ws: words.fts_join(st, 'content : "' + " ".join(ws) + '"')
    words.pair_share = lambda session, ws, known=None: 0.0
    try:
        yield
    finally:
        words.pairs_join, words.pair_share = saved


def main() -> None:
    app, fresh = make_app()
    print(f"database: {app.config['SQLALCHEMY_DATABASE_URI'].split(':')[0]}; load average {_load()}", flush=True)
    if fresh:
        populate(app)
    # (label, the new search's query, the terms today's path is given for the same hits)
    queries = [("rare code", RARE, (RARE,)), ("common two words", COMMON, tuple(COMMON.split()))]
    with app.app_context(), app.test_request_context():
        people = {role: db.session.scalar(select(User.id).where(User.email == email))
                  for role, email in (("secretary", "thuky@bench.vn"), ("member", "chuyenvien@bench.vn"))}
        pages_read = {role: pages_of_meetings(db.session.get(User, people[role])) for role in people}
        print("pages the LIKE path reads: " + ", ".join(f"{role} {n:,}" for role, n in pages_read.items()), flush=True)
        for role in ("secretary", "member"):
            user = db.session.get(User, people[role])
            for label, q, terms in queries:
                def new(q=q):
                    db.session.expire_all()
                    return services.search(user, services.Criteria(q=q, limit=20))

                def shown(q=q):
                    # What the API answers: the page of 20 with its snippets and links (today's path
                    # made a snippet for each of its hits too).
                    return present.hits(new(q), user)

                def old(terms=terms):
                    db.session.expire_all()
                    return legacy_like_search(user, terms)

                found = new()
                fast = timed(new, repeat=20)
                target = 100 if label == "rare code" else 300  # the issue's, at p95
                report(f"new  {role:<9} {label} ({found.total}{'+' if found.total_is_estimate else ''} hits)", fast,
                       target, judged_at=95)
                # The search page with no kind chosen: each kind asked on its own, five hits a group
                # (search/routes.py), the way a person meets the search.
                def page(q=q):
                    db.session.expire_all()
                    return [services.search(user, services.Criteria(q=q, kinds=(kind,), limit=PER_GROUP))
                            for kind in KINDS]

                report(f"page {role:<9} {label} (each kind on its own)", timed(page, repeat=10), 300, judged_at=95)
                if label != "rare code" and db.engine.dialect.name == "sqlite":
                    with phrase_from_positions():
                        before = timed(new, repeat=20)
                    report(f"positions {role:<9} {label} (the phrase without pairs)", before)
                    print(f"     pairs against positions at p95: {percentile(before, 95) / percentile(fast, 95):.1f}x "
                          f"(load average {_load()})", flush=True)
                # The old path reads the pages of the user's own meetings: a member's are one meeting
                # in twenty, so at a million pages his finishes where the secretary's takes minutes.
                if pages_read[role] > LIKE_PAGES:
                    continue
                with_snippets = timed(shown, repeat=20)
                report(f"new+snippets {role:<9} {label}", with_snippets, target, judged_at=95)
                slow = timed(old, repeat=2, warmup=0)
                report(f"LIKE {role:<9} {label} ({len(old())} hits shown, at most 200)", slow)
                print(f"     speed-up at p95: {percentile(slow, 95) / percentile(fast, 95):.0f}x, with the snippets "
                      f"{percentile(slow, 95) / percentile(with_snippets, 95):.0f}x; at the median "
                      f"{median(slow) / median(fast):.0f}x (load average {_load()})", flush=True)
                if CHECK:
                    started = time.perf_counter()
                    before_hits, after_hits = set(legacy_like_search(user, terms, limit=None)), new_document_hits(user, q)
                    # The new search reads a document's title with its page 1: a page 1 whose text
                    # lacks a word its title holds is a hit today's path never had.
                    titled = {hit for hit in after_hits - before_hits if hit[1] == 1 and _title_holds(hit[0], terms)}
                    print(f"     same document hits on both paths: {before_hits == after_hits - titled} "
                          f"({len(before_hits):,} and {len(after_hits):,}, of which {len(titled)} page 1s found "
                          f"by their document's title; checked in {time.perf_counter() - started:.0f} s)", flush=True)
        # A new 200-page version of a document: its pages written, then indexed in the same transaction;
        # rolled back, so that kept data stays as it was for the next run. Three times, on three
        # documents: the first finds the indexes' pages as the searches above left the database's
        # buffers (after the secretary's LIKE read every page, cold), the next two warmer.
        for round_, document_id in enumerate((1, 2, 3)):
            rng = random.Random(7 + round_)
            version_id = db.session.scalar(select(DocumentVersion.id).order_by(DocumentVersion.id.desc())) + 1
            db.session.execute(insert(DocumentVersion), [{"id": version_id, "document_id": document_id, "number": 2,
                                                          "pages": 200, "size": 1, "sha256": "1" * 64,
                                                          "filename": "v2.pdf", "original_ext": "pdf",
                                                          "created_at": START}])
            texts = [page_text(rng) for _ in range(200)]
            db.session.execute(insert(DocumentPage), [{"version_id": version_id, "page": n, "text": t,
                                                       "folded": f} for n, (t, f) in enumerate(texts, 1)])
            db.session.execute(Document.__table__.update().where(Document.id == document_id)
                               .values(current_version=2, pages=200))
            started = time.perf_counter()
            indexing.index_documents(db.session.connection(), [document_id])
            db.session.flush()
            written = time.perf_counter()
            # On PostgreSQL the job queued at the commit merges the GIN pending lists: part of the
            # version's processing, off its transaction (here before the rollback, so it has rows to merge).
            merged = indexing.merge_pending(db.session.connection())
            done = time.perf_counter()
            print(f"indexing a new 200-page version ({('first', 'second', 'third')[round_]}): "
                  f"{(done - started) * 1000:.0f} ms (target < 1000 ms): {(written - started) * 1000:.0f} ms in its "
                  f"transaction, {(done - written) * 1000:.0f} ms merging {merged} pages of GIN lists after it", flush=True)
            db.session.rollback()


if __name__ == "__main__":
    main()
