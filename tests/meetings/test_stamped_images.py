"""Page images of a document its readers may not keep carry each reader's stamp in their pixels.

Tried as a participant would: the image a tablet receives (and could save with a long-press) must
show who it was given to, exactly as the stamped copy would; documents one may download keep the
shared images, since their file is stamped instead.
"""
import io
from datetime import timedelta
from pathlib import Path

import pytest
from PIL import Image, ImageChops
from sqlalchemy import select

from meetings.directory.models import User
from meetings.dossiers import background, jobs, reading
from meetings.dossiers.models import Document, DocumentAccess, DocumentStamp, DocumentVersion
from meetings.dossiers.pages import page_image, thumbnail
from meetings.dossiers.personal import PREPARED_PAGES, PREPARED_WIDTHS, stamp_lines
from meetings.dossiers.stamping import personal_copy
from meetings.extensions import db
from tests.dossiers import pdfs
from tests.meetings.conftest import NOW

SOURCE = pdfs.text_pdf(4, text="Dự thảo Nghị định về quản lý đầu tư công, bản chỉ đọc trên ứng dụng.")


def pixels(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image.convert("RGB")


def difference(a: bytes, b: bytes) -> float:
    """Mean absolute difference per channel, 0-255: JPEG noise is well under 1 here, a stamp well over."""
    first, second = pixels(a), pixels(b)
    assert first.size == second.size
    histogram = ImageChops.difference(first, second).convert("L").histogram()
    return sum(value * count for value, count in enumerate(histogram)) / sum(histogram)


@pytest.fixture
def restricted(board):
    meeting = board.meeting()["id"]
    document = board.document(meeting, data=SOURCE, title="Dự thảo Nghị định", access="screen")["id"]
    return {"meeting": meeting, "document": document}


def lines_of(app, user, document_id) -> list[str]:
    """The reader's stamp as the server fixed it at first issue."""
    with app.app_context():
        issued = db.session.scalar(select(DocumentStamp.issued_at).join(DocumentVersion).where(
            DocumentVersion.document_id == document_id, DocumentStamp.user_id == user.id))
        return stamp_lines(db.session.get(User, user.id), issued)


def test_each_reader_gets_the_page_with_their_own_stamp_drawn_in(app, board, restricted):
    url = f"/api/v1/documents/{restricted['document']}/pages/2"
    for width in (1024, 2048):
        member = board.get(board.member, f"{url}?width={width}")
        other = board.get(board.other_member, f"{url}?width={width}")
        assert member.status_code == other.status_code == 200
        shared = page_image(SOURCE, 2, width)
        expected = {who: page_image(personal_copy(SOURCE, lines_of(app, who, restricted["document"])), 2, width)
                    for who in (board.member, board.other_member)}
        # Each differs from the clean page and from the other reader's, and is their own stamped page.
        assert difference(member.data, shared) > 0.8
        assert difference(member.data, other.data) > 0.3
        assert difference(member.data, expected[board.member]) < 0.3
        assert difference(other.data, expected[board.other_member]) < 0.3
        assert difference(member.data, expected[board.other_member]) > 2 * difference(member.data,
                                                                                      expected[board.member])
        assert member.headers["ETag"] != other.headers["ETag"]
        assert member.headers["Cache-Control"] == "private, no-cache"


def test_thumbnails_carry_the_stamp_too(app, board, restricted):
    url = f"/api/v1/documents/{restricted['document']}/thumbnails/1"
    member, other = board.get(board.member, url), board.get(board.other_member, url)
    assert member.status_code == other.status_code == 200
    assert member.data != other.data
    assert difference(member.data, thumbnail(SOURCE, 1)) > 0.5
    expected = thumbnail(personal_copy(SOURCE, lines_of(app, board.member, restricted["document"])), 1)
    assert difference(member.data, expected) < 0.6


def test_the_same_reader_gets_the_same_stamp_every_time_and_a_304_for_it(app, board, restricted):
    url = f"/api/v1/documents/{restricted['document']}/pages/1?stamped=1"
    first = board.get(board.member, url)
    again = board.client.get(url, headers={**board.headers(board.member), "If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    # Another reader's tag is no key to this reader's image, nor the reverse.
    other = board.client.get(url, headers={**board.headers(board.other_member), "If-None-Match": first.headers["ETag"]})
    assert other.status_code == 200 and other.data != first.data


def test_a_downloadable_document_keeps_shared_unstamped_images(board):
    meeting = board.meeting()["id"]
    document = board.document(meeting, data=SOURCE, title="Báo cáo")["id"]
    url = f"/api/v1/documents/{document}/pages/1"
    member, other = board.get(board.member, url), board.get(board.other_member, url)
    assert member.data == other.data == page_image(SOURCE, 1, 1024)
    assert member.headers["Cache-Control"] == "private, max-age=31536000, immutable"
    thumbs = {board.get(who, f"/api/v1/documents/{document}/thumbnails/1").data
              for who in (board.member, board.other_member)}
    assert thumbs == {thumbnail(SOURCE, 1)}


def test_the_secretary_who_may_download_it_sees_the_shared_images(board, restricted):
    url = f"/api/v1/documents/{restricted['document']}/pages/1"
    assert board.get(board.secretary, url).data == page_image(SOURCE, 1, 1024)


def picture(document_id: int, user, now) -> tuple[bytes, str]:
    """Page 1 as the page route reads it (the checked document in, the cached file out): bytes and ETag."""
    image = reading.page_picture(reading.checked(db.session.get(Document, document_id), user), 1, user, now)
    path, _stat = image.locate()
    return Path(path).read_bytes(), image.etag


def test_image_views_are_logged_per_reader_page_and_day(app, board, restricted):
    document = restricted["document"]
    for page in (1, 1, 2, 1):
        board.get(board.member, f"/api/v1/documents/{document}/pages/{page}")
    board.get(board.member, f"/api/v1/documents/{document}/thumbnails/3")  # the strip is not reading
    log = board.get(board.secretary, f"/api/v1/documents/{document}/log").json["log"]
    views = sorted((row["name"], row["page"]) for row in log if row["action"] == "page_view")
    assert views == [(board.member.name, 1), (board.member.name, 2)]
    page = board.page(board.secretary, f"/meetings/documents/{document}").get_data(as_text=True)
    assert "Đã xem trang 2" in page
    # The next office day (from midnight in Hà Nội) counts again.
    with app.app_context():
        user = db.session.get(User, board.member.id)
        tomorrow = NOW.replace(hour=17, minute=0) + timedelta(minutes=1)  # 00:01 on 3 December in Hà Nội
        late_today = NOW.replace(hour=16, minute=59)  # 23:59 on 2 December in Hà Nội
        picture(document, user, late_today)
        picture(document, user, tomorrow)
        rows = db.session.scalars(select(DocumentAccess.at).where(
            DocumentAccess.action == "page_view", DocumentAccess.page == 1)).all()
        assert len(rows) == 2


def test_the_stamp_keeps_the_time_of_first_issue(app, board, restricted):
    document = restricted["document"]
    with app.app_context():
        user = db.session.get(User, board.member.id)
        first, first_etag = picture(document, user, NOW)
        later, later_etag = picture(document, user, NOW + timedelta(days=3))
        assert first == later and first_etag == later_etag
        assert lines_of(app, board.member, document)[2] == "10:00 02/12/2026"


def test_a_meetings_readers_get_their_first_pages_and_copies_made_before_it_starts(app, board, restricted):
    readers = 3  # chair and two members (the secretary is no participant here)
    downloadable = board.document(restricted["meeting"], data=pdfs.text_pdf(2), title="Báo cáo")["id"]
    soon = NOW  # the meeting starts 22 hours later
    cache = Path(app.config["MEETINGS_CACHE"])
    made = {p.name for p in cache.rglob("*") if p.is_file() and ".locks" not in p.parts}
    with app.app_context():
        # The sweep only queues, one job per document, which the worker runs (inline under TESTING).
        assert jobs.prepare_stamped_pages(soon) == 2
        made = {p.name for p in cache.rglob("*") if p.is_file() and ".locks" not in p.parts} - made
        # Their stamped first pages of the restricted document, and their stamped copies of the other;
        # the shared first pages and thumbnails of both (for readers who keep the file).
        shared = (min(PREPARED_PAGES, 4) + min(PREPARED_PAGES, 2)) * (len(PREPARED_WIDTHS) + 1)
        assert len(made) == readers * min(PREPARED_PAGES, 4) * (len(PREPARED_WIDTHS) + 1) + readers + shared
        assert jobs.prepare_stamped_pages(soon) == 0  # queued once per version and set of readers
        assert background.prepare_document(downloadable, soon.isoformat()) == 0  # run again: only looks
        assert jobs.prepare_stamped_pages(soon - timedelta(days=2)) == 0  # not yet due: nothing looked at
    before = {p.name for p in cache.rglob("*") if p.is_file()}
    response = board.get(board.member, f"/api/v1/documents/{restricted['document']}/pages/1?width=2048")
    assert response.status_code == 200
    copy = board.get(board.member, f"/api/v1/documents/{downloadable}/file")
    assert copy.status_code == 200
    after = {p.name for p in cache.rglob("*") if p.is_file()}
    assert after == before  # both served from what was made ahead
    assert lines_of(app, board.member, restricted["document"])[2] == "10:00 02/12/2026"
