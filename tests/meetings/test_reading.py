"""Reading: personal stamped copies, page images, search, the view log, new and updated marks."""
import pymupdf
from sqlalchemy import select

from meetings.extensions import db
from meetings.notify.models import Notification
from tests.dossiers import pdfs


def test_a_personal_copy_is_stamped_for_the_reader_cached_and_never_stored_by_caches(board, app):
    meeting = board.meeting()["id"]
    doc = board.document(meeting, title="Tờ trình Đề án")["id"]
    first = board.get(board.member, f"/api/v1/documents/{doc}/file")
    assert first.status_code == 200 and first.mimetype == "application/pdf"
    assert first.headers["Cache-Control"] == "private, no-store"
    assert first.headers["X-Content-Type-Options"] == "nosniff"
    assert "filename*=UTF-8''T%E1%BB%9D%20tr%C3%ACnh%20%C4%90%E1%BB%81%20%C3%A1n.pdf" in first.headers["Content-Disposition"]
    with pymupdf.open(stream=first.data, filetype="pdf") as copy:
        text = copy[0].get_text()
    assert "Trần Thị Thu" in text and "Vụ Pháp chế" in text and "10:00 02/12/2026" in text
    assert board.get(board.member, f"/api/v1/documents/{doc}/file").data == first.data  # from the cache
    other = board.get(board.other_member, f"/api/v1/documents/{doc}/file").data
    assert other != first.data


def test_page_images_have_an_etag_a_long_cache_life_and_a_width_range(board):
    meeting = board.meeting()["id"]
    doc = board.document(meeting)["id"]
    url = f"/api/v1/documents/{doc}/pages/2?width=800"
    response = board.get(board.member, url)
    assert response.status_code == 200 and response.mimetype == "image/jpeg"
    assert "max-age=31536000" in response.headers["Cache-Control"]
    etag = response.headers["ETag"]
    again = board.client.get(url, headers={**board.headers(board.member), "If-None-Match": etag})
    assert again.status_code == 304
    from PIL import Image
    import io

    assert Image.open(io.BytesIO(response.data)).width == 800
    assert board.get(board.member, f"/api/v1/documents/{doc}/pages/1?width=100").status_code == 422
    assert board.get(board.member, f"/api/v1/documents/{doc}/pages/1?width=4000").status_code == 422
    assert board.get(board.member, f"/api/v1/documents/{doc}/pages/4").status_code == 404
    assert board.get(board.member, f"/api/v1/documents/{doc}/pages/1?format=png").mimetype == "image/png"
    thumb = board.get(board.member, f"/api/v1/documents/{doc}/thumbnails/1")
    assert thumb.status_code == 200 and Image.open(io.BytesIO(thumb.data)).width == 160


def test_search_ignores_diacritics_marks_the_hit_and_reads_the_original_not_a_stamped_copy(board):
    meeting = board.meeting()["id"]
    doc = board.document(meeting, data=pdfs.text_pdf(3))["id"]
    board.get(board.member, f"/api/v1/documents/{doc}/file")  # a stamped copy exists now
    hits = board.get(board.member, f"/api/v1/meetings/{meeting}/search?q=DANG UY").json["hits"]
    assert [(h["document_id"], h["page"]) for h in hits] == [(doc, 1), (doc, 2), (doc, 3)]
    assert "<mark>Đảng ủy</mark>" in hits[0]["snippet"]
    assert board.get(board.member, f"/api/v1/meetings/{meeting}/search?q=Trần Thị Thu").json["hits"] == []
    page = board.get(board.member, f"/meetings/search?q=dang uy&meeting_id={meeting}").get_data(as_text=True)
    assert "<mark>Đảng ủy</mark>" in page


def test_views_and_downloads_are_logged_and_the_secretary_sees_who_has_not_opened(board):
    meeting = board.meeting()["id"]
    doc = board.document(meeting)["id"]
    unread = board.get(board.secretary, f"/api/v1/meetings/{meeting}/unread").json["documents"]
    assert set(unread[0]["not_opened"]) == {board.chair.id, board.member.id, board.other_member.id}
    board.get(board.member, f"/api/v1/documents/{doc}/pages/1")
    board.get(board.chair, f"/api/v1/documents/{doc}/file")
    unread = board.get(board.secretary, f"/api/v1/meetings/{meeting}/unread").json["documents"]
    assert unread[0]["not_opened"] == [board.other_member.id]
    log = board.get(board.secretary, f"/api/v1/documents/{doc}/log").json["log"]
    assert {(row["user_id"], row["action"], row["version"]) for row in log} == {
        (board.member.id, "view", 1), (board.chair.id, "download", 1)}
    assert board.get(board.member, f"/api/v1/documents/{doc}/log").status_code == 403
    page = board.get(board.secretary, f"/meetings/documents/{doc}").get_data(as_text=True)
    assert "Đỗ Văn Khải" in page.split("data-not-opened")[1].split("</ul>")[0]


def test_a_new_version_keeps_the_old_marks_the_document_updated_and_tells_the_readers(board, app):
    meeting = board.meeting()["id"]
    doc = board.document(meeting, data=pdfs.text_pdf(2))["id"]
    board.get(board.member, f"/meetings/documents/{doc}")  # the member reads version 1
    page = board.get(board.member, f"/meetings/{meeting}").get_data(as_text=True)
    assert 'data-doc-state="new"' not in page
    response = board.new_version(doc, pdfs.text_pdf(5))
    assert response.status_code == 202 and response.json["version"] == 2 and response.json["pages"] == 5
    assert [v["number"] for v in response.json["versions"]] == [1, 2]
    page = board.get(board.member, f"/meetings/{meeting}").get_data(as_text=True)
    assert 'data-doc-state="updated"' in page
    assert 'data-doc-state="new"' in board.get(board.other_member, f"/meetings/{meeting}").get_data(as_text=True)
    old = board.get(board.secretary, f"/api/v1/documents/{doc}/file?version=1")
    assert pymupdf.open(stream=old.data, filetype="pdf").page_count == 2  # v1 kept: annotations stay anchored
    with app.app_context():
        titles = db.session.scalars(select(Notification.title).where(Notification.user_id == board.member.id)).all()
    assert any("Updated document" in t or "cập nhật" in t for t in titles)
    assert any("New document" in t or "mới" in t for t in titles)
