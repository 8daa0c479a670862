"""The word index behind a query of whole words (on both databases): the ranks asked one by one,
paging across them, the walk of a common query giving the answer the index gives, codes and parts
of words still found through the trigram index, and what a query means in words."""
import base64
import json

import pytest
from sqlalchemy import func, select

from meetings.directory.models import User
from meetings.extensions import db
from meetings.search import services, words
from meetings.search.models import SearchEntry
from meetings.search.query import parse
from tests.factories import Factories
from tests.search.test_ranking import _meeting
from tests.search.world import add_document


def _found(app, user, q, **criteria):
    with app.app_context():
        found = services.search(db.session.get(User, user.id), services.Criteria(q=q, kinds=("document",), **criteria))
        return [((row.document_id, row.page), score) for row, score in found.rows], found


@pytest.fixture
def ranked_office(app):
    """Two meetings a month apart, each with a document of every rank for "ke hoach ngan sach"."""
    secretary = Factories(app).user("secretary")
    old = _meeting(app, secretary, "Họp tháng mười", "2026-10-01T08:00")
    new = _meeting(app, secretary, "Họp tháng mười hai", "2026-12-01T08:00")
    docs = {}
    with app.app_context():
        for when, meeting in (("old", old), ("new", new)):
            docs[f"title_phrase_{when}"] = add_document(meeting, "Kế hoạch ngân sách", ["Lập kế hoạch ngân sách."])
            docs[f"title_{when}"] = add_document(meeting, "Ngân sách theo kế hoạch", ["Nội dung chung."])
            docs[f"phrase_{when}"] = add_document(meeting, "Tờ trình", ["Dự thảo KẾ HOẠCH NGÂN SÁCH năm tới.",
                                                                       "Phụ lục: ngân sách và kế hoạch"])
            # The pairs of the phrase, but not in one run: scattered words, not the phrase (words
            # side by side are one, whatever punctuation stands between them).
            docs[f"scattered_{when}"] = add_document(meeting, "Báo cáo", ["Kế hoạch ngân hàng; hoạch ngân; ngân sách."])
    return secretary, docs


# SQLite's plan by its word counts: as they are (in so few rows most words are common), every
# condition walked (each row checked on its own text), every condition listed by FTS5 (the phrase
# from its pairs in search_words_pairs).
@pytest.mark.parametrize("common", [None, -1, 2])
def test_ranks_title_and_phrase_then_title_then_phrase_then_words_recent_first(app, ranked_office, common,
                                                                               monkeypatch):
    if common is not None:
        monkeypatch.setattr(words, "COMMON_SHARE", common)
    secretary, d = ranked_office
    hits, found = _found(app, secretary, "ke hoach ngan sach", limit=50)
    assert _found(app, secretary, '"hoach, ngan"')[0] == _found(app, secretary, '"hoach ngan"')[0] != []
    expected = [((d["title_phrase_new"], 1), 7), ((d["title_phrase_old"], 1), 7), ((d["title_new"], 1), 5),
                ((d["title_old"], 1), 5), ((d["phrase_new"], 1), 3), ((d["phrase_old"], 1), 3),
                # Equal score and time (one meeting's): in the order they were indexed.
                ((d["phrase_new"], 2), 1), ((d["scattered_new"], 1), 1),
                ((d["phrase_old"], 2), 1), ((d["scattered_old"], 1), 1)]
    assert hits == expected
    assert (found.total, found.total_is_estimate) == (10, False)


def test_paging_across_the_ranks_gives_every_hit_once(app, ranked_office):
    secretary, _ = ranked_office
    everything, _ = _found(app, secretary, "ke hoach ngan sach", limit=50)
    for limit in (1, 3):
        walked, cursor = [], None
        while True:
            page, found = _found(app, secretary, "ke hoach ngan sach", limit=limit, cursor=cursor)
            walked += page
            cursor = found.next_cursor
            if cursor is None:
                break
        assert walked == everything


def test_words_are_whole_codes_and_parts_of_words_go_to_the_trigram_index(app):
    secretary = Factories(app).user("secretary")
    meeting = _meeting(app, secretary, "Họp kỹ thuật", "2026-11-01T08:00")
    with app.app_context():
        coded = add_document(meeting, "Hồ sơ", ["Thiết bị mã ZQ-58 đã kiểm tra.", "Ban hành quy chế",
                                                 "Trưởng ban an ninh"])
    # "an" is no word of "Ban hành": whole words find the page that has them as words...
    assert [h for h, _ in _found(app, secretary, "ban an")[0]] == [(coded, 3)]
    assert [h for h, _ in _found(app, secretary, "ban hanh")[0]] == [(coded, 2)]
    # ...while a code is two words side by side, and a part of a word falls back to substrings.
    for q in ("ZQ-58", "zq 58", '"zq 58"', "zq-5", "kiem tr", "anh"):
        assert [h for h, _ in _found(app, secretary, q)[0]] != [], q
    assert [h for h, _ in _found(app, secretary, '"58 zq"')[0]] == []


def test_a_cursor_keeps_the_way_its_search_matched(app):
    """Substring hits paged with a cursor stay substring hits (no switch to words half-way), and a
    cursor given before the word index (three fields) still pages."""
    secretary = Factories(app).user("secretary")
    meeting = _meeting(app, secretary, "Họp", "2026-11-01T08:00")
    with app.app_context():
        document = add_document(meeting, "Hồ sơ", ["Mã ZQ-581.", "Mã ZQ-582.", "Mã ZQ-583."])
    first, found = _found(app, secretary, "zq-58", limit=1)
    rest, _ = _found(app, secretary, "zq-58", limit=5, cursor=found.next_cursor)
    assert [h for h, _ in first + rest] == [(document, 1), (document, 2), (document, 3)]
    old_style = base64.urlsafe_b64encode(json.dumps([1, "2026-11-01T01:00:00+00:00", 1]).encode()).decode()
    assert services._decode(old_style)[3] == services.SUBSTRINGS


def test_a_query_in_words():
    assert words.of(parse("ban an")).terms == (("ban",), ("an",))  # no word is inside another here
    assert words.of(parse('ke "ke hoach" 2027')).terms == (("ke", "hoach"), ("2027",))
    assert words.of(parse("Kế hoạch ZQ-58")).terms == (("ke",), ("hoach",), ("zq", "58"))
    assert words.of(parse("Kế hoạch ZQ-58")).phrase == ("ke", "hoach", "zq", "58")
    assert words.of(parse("50% _")) is None  # "_" has no word: only substrings can answer
    assert not words.of(parse('"ke hoach"')).ranks_phrase and words.of(parse("ke hoach")).ranks_phrase
    assert words.pairs_of("ke hoach, ke hoach ngan") == "ke_hoach hoach_ke hoach_ngan"  # each pair once
    assert words.pairs_of("ke") == words.pairs_of("") == words.pairs_of(None) == ""


def test_a_phrase_is_found_from_its_pairs_on_one_page_never_across_two(app, monkeypatch):
    """A page ending in "kế hoạch" before one starting with "ngân sách" holds the words, not the phrase."""
    monkeypatch.setattr(words, "COMMON_SHARE", 2)  # SQLite: listed from the pairs, not walked
    secretary = Factories(app).user("secretary")
    meeting = _meeting(app, secretary, "Họp", "2026-11-01T08:00")
    with app.app_context():
        split = add_document(meeting, "Hồ sơ", ["Ngân sách theo kế hoạch", "ngân sách và kế hoạch"])
        whole = add_document(meeting, "Hồ sơ", ["Dự thảo kế hoạch ngân sách"])
        if db.engine.dialect.name == "sqlite":
            rank = dict(((t, p), narrow) for t, p, narrow in words.plan(db.session, "sqlite", words.of(
                parse("ke hoach ngan sach")))[0])[(False, True)]
            assert "search_words_pairs MATCH" in str(rank(select(SearchEntry)).compile(dialect=db.engine.dialect))
    hits, found = _found(app, secretary, "ke hoach ngan sach")
    assert hits == [((whole, 1), 3), ((split, 1), 1), ((split, 2), 1)] and found.total == 3
    assert _found(app, secretary, '"hoach ngan"')[0] == [((whole, 1), 1)]


@pytest.mark.only_on("sqlite")  # PostgreSQL's planner reads its own statistics of the words column
def test_the_sqlite_walk_is_chosen_from_the_word_counts_taken_as_independent(app):
    secretary = Factories(app).user("secretary")
    meeting = _meeting(app, secretary, "Họp", "2026-11-01T08:00")
    with app.app_context():
        add_document(meeting, "Kế hoạch", ["kế hoạch"] * 3)
        wq = words.of(parse("ke hoach"))
        rows = db.session.scalar(select(func.max(SearchEntry.id)))
        shares = {col: words.sqlite_share(db.session, wq, col) for col in ("content", "title")}
        assert shares == {"content": 9 / rows ** 2, "title": 9 / rows ** 2}  # 3 rows of `rows`, each word
        assert words.sqlite_share(db.session, words.of(parse("ke khong")), "content") == 0
