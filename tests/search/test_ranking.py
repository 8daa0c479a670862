"""Ranking (title over body, the exact phrase over scattered words, recent first among equals),
phrases, codes, and the index kept current in the same transaction as each change."""
from datetime import timedelta

import pytest
from sqlalchemy import delete, select

from meetings.calendar import services as calendar
from meetings.directory.models import User
from meetings.dossiers import documents
from meetings.dossiers.models import Document
from meetings.extensions import db
from meetings.search import engine, services
from meetings.search.models import SearchEntry
from meetings.tasks.models import Conclusion
from tests.dossiers import pdfs
from tests.factories import Factories
from tests.search.world import NOW, add_document


def _meeting(app, secretary, title, start):
    from meetings.dossiers import services as dossiers

    with app.app_context():
        actor = db.session.get(User, secretary.id)
        return dossiers.create_meeting({"title": title, "start": start, "end": start.replace("T08", "T09"),
                                        "status": "published", "participants": []}, actor, NOW).id


def _ranked(app, user, q, **criteria):
    with app.app_context():
        found = services.search(db.session.get(User, user.id), services.Criteria(q=q, kinds=("document",), **criteria))
        return [(row.document_id, row.page) for row, _ in found.rows]


@pytest.mark.parametrize("common", [False, True])
def test_title_then_exact_phrase_then_scattered_words_recent_first_among_equals(app, common, monkeypatch):
    if common:  # SQLite walks the rows newest first instead of asking FTS5: the same answer
        monkeypatch.setattr(engine, "COMMON_ROWS", -1)
    secretary = Factories(app).user("secretary")
    old = _meeting(app, secretary, "Họp tháng mười", "2026-10-01T08:00")
    new = _meeting(app, secretary, "Họp tháng mười hai", "2026-12-01T08:00")
    with app.app_context():
        scattered = add_document(new, "Tờ trình", ["Kiểm tra thiết bị theo định mức."])
        phrase_old = add_document(old, "Báo cáo cũ", ["Việc kiểm định thiết bị đo."])
        phrase_new = add_document(new, "Báo cáo mới", ["Kết quả KIỂM ĐỊNH thiết bị."])
        titled = add_document(old, "Quy trình kiểm định", ["Nội dung chung."])
    order = [(titled, 1), (phrase_new, 1), (phrase_old, 1), (scattered, 1)]
    assert _ranked(app, secretary, "kiem dinh") == order
    assert _ranked(app, secretary, '"kiểm định"') == order[:3]  # in quotes, scattered words are no match


def test_a_code_with_a_dash_and_a_short_word_are_found(app):
    secretary = Factories(app).user("secretary")
    meeting = _meeting(app, secretary, "Họp kỹ thuật", "2026-11-01T08:00")
    with app.app_context():
        coded = add_document(meeting, "Hồ sơ", ["Thiết bị mã ZQ-58 đã kiểm tra.", "Hà Nội, ngày 5"])
    assert _ranked(app, secretary, "zq-58") == [(coded, 1)]
    assert _ranked(app, secretary, "zq 58") == [(coded, 1)]
    assert _ranked(app, secretary, "hà ngày") == [(coded, 2)]  # words under three letters still count
    assert _ranked(app, secretary, "50%") == [] and _ranked(app, secretary, "_") == []


def test_the_index_follows_each_change_in_its_transaction(app):
    make = Factories(app)
    secretary = make.user("secretary")
    meeting = _meeting(app, secretary, "Họp điều hành", "2026-11-10T08:00")
    with app.app_context():
        actor = db.session.get(User, secretary.id)
        document_id = add_document(meeting, "Báo cáo", ["Phương án cũ về đê điều."])
    assert _ranked(app, secretary, "de dieu") == [(document_id, 1)]
    with app.app_context():  # a new version: its pages replace the old ones in the index
        documents.add_version(document_id, pdfs.text_pdf(2, text="Phương án mới về thủy lợi."), "v2.pdf",
                              db.session.get(User, secretary.id), NOW)
    assert _ranked(app, secretary, "de dieu") == []
    assert _ranked(app, secretary, "thuy loi") == [(document_id, 1), (document_id, 2)]

    def kinds_found(q):
        with app.app_context():
            found = services.search(db.session.get(User, secretary.id), services.Criteria(q=q))
            return sorted((row.kind, row.ref_id) for row, _ in found.rows)

    with app.app_context():  # a renamed entry is found by its new title only
        actor = db.session.get(User, secretary.id)
        calendar.update_event(meeting, {"title": "Họp phòng chống lụt bão"}, actor, NOW + timedelta(minutes=1))
    assert kinds_found("dieu hanh") == [] and kinds_found("lut bao") == [("entry", meeting)]
    with app.app_context():  # an edited conclusion, then a removed document
        conclusion = Conclusion(meeting_id=meeting, text="Giao Vụ A chuẩn bị", created_at=NOW)
        db.session.add(conclusion)
        db.session.commit()
        conclusion.text = "Giao Vụ A hoàn thiện đề án"
        db.session.commit()
        conclusion_id = conclusion.id
        db.session.delete(db.session.get(Document, document_id))
        db.session.commit()
    assert kinds_found("chuan bi") == [] and kinds_found("hoan thien de an") == [("conclusion", conclusion_id)]
    assert kinds_found("thuy loi") == []


def test_reindex_rebuilds_the_index_from_the_stored_texts_with_progress(app, runner):
    secretary = Factories(app).user("secretary")
    meeting = _meeting(app, secretary, "Họp tổng kết", "2026-11-12T08:00")
    with app.app_context():
        document_id = add_document(meeting, "Tổng kết", ["Thành tựu năm 2026."] * 3)
        db.session.execute(delete(SearchEntry))
        db.session.commit()
    assert _ranked(app, secretary, "thanh tuu") == []
    result = runner.invoke(args=["search", "reindex"])
    assert result.exit_code == 0, result.output
    assert "document: 1/1" in result.output and "entry: 1/1" in result.output and "rebuilt: 4 rows" in result.output
    assert _ranked(app, secretary, "thanh tuu") == [(document_id, 1), (document_id, 2), (document_id, 3)]
    with app.app_context():
        assert db.session.scalar(select(SearchEntry.title).where(SearchEntry.page == 1)) == "tong ket"
        # SQLite's word pairs and marked title words are written again too (PostgreSQL's tsvector
        # computes its own).
        pairs = set(db.session.scalars(select(SearchEntry.pairs).where(SearchEntry.kind == "document")))
        sqlite = db.engine.dialect.name == "sqlite"
        assert pairs == ({"tong_ket ket_thanh thanh_tuu tuu_nam nam_2026 _tong _ket",
                          "thanh_tuu tuu_nam nam_2026 _tong _ket"} if sqlite else {None})
