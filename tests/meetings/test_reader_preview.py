"""Page 1's image shown while pdf.js starts (issue 17, the cold first page): the reader's page names it
(and asks for it in a Link header) only where pdf.js draws the document and the browser has not said it
holds this build's pdf.js; an `app` reader's is their own stamped image, a `download` reader's the shared
one; the image route decides access as for any page; the worker makes both ahead; and a static file
never varies on the cookies (the hint cookie would otherwise make the browser fetch pdf.js again)."""
import re

from flask import url_for

from meetings.assets import build_version
from meetings.dossiers import storage
from meetings.dossiers.cache import cache_key
from meetings.dossiers.models import Document
from meetings.dossiers.personal import _key, personal_stamp, prepare_document
from meetings.directory.models import User
from meetings.extensions import db
from meetings.reader.routes import PDFJS_COOKIE
from tests.dossiers import pdfs
from tests.meetings.conftest import NOW


def reader(board, user, document_id: int, cookie: str | None = None):
    """The reader's page as `user`'s browser gets it, with or without the cookie saying pdf.js is kept."""
    board.page(user, "/")  # signs in once
    browser = board._tokens[("page", user.id)]
    if cookie is None:
        browser.delete_cookie(PDFJS_COOKIE)
    else:
        browser.set_cookie(PDFJS_COOKIE, cookie)
    response = browser.get(f"/reader/documents/{document_id}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    found = re.search(r'data-preview="([^"]+)"', html)
    return response, (found.group(1).replace("&amp;", "&") if found else None)


def test_a_tablet_without_pdfjs_is_shown_page_ones_image_first_the_right_one_for_its_access(board):
    meeting = board.meeting()["id"]
    docs = {access: board.document(meeting, data=pdfs.text_pdf(2), title=access, access=access)["id"]
            for access in ("download", "app", "screen")}
    _, shared = reader(board, board.member, docs["download"])
    assert shared == f"/api/v1/documents/{docs['download']}/pages/1?width=1024"
    response, own = reader(board, board.member, docs["app"])
    assert own == f"/api/v1/documents/{docs['app']}/pages/1?width=1024&stamped=1"
    links = response.headers.getlist("Link")
    assert f"<{own}>; rel=preload; as=image; fetchpriority=high" in links
    assert f"</api/v1/documents/{docs['app']}/layout>; rel=preload; as=fetch; crossorigin" in links
    # `screen` is read as images anyway: no second image on top.
    assert reader(board, board.member, docs["screen"])[1] is None
    # The browser says it holds this build's pdf.js: nothing extra; another build's: the image again.
    with board.app.test_request_context():
        build = build_version()
    assert reader(board, board.member, docs["app"], cookie=build)[1] is None
    assert reader(board, board.member, docs["app"], cookie="0123456789abcdef")[1] == own
    # The image behind the address: the member's own stamp for `app` (revalidated, never kept), the
    # shared one for `download`; the image route checks access as for every page.
    mine = board.get(board.member, own)
    assert mine.status_code == 200 and mine.mimetype == "image/jpeg" and "no-cache" in mine.headers["Cache-Control"]
    theirs = board.get(board.other_member, own)
    assert theirs.status_code == 200 and theirs.headers["ETag"] != mine.headers["ETag"]
    assert "immutable" in board.get(board.member, shared).headers["Cache-Control"]
    assert board.get(board.outsider, own).status_code == 404
    assert board.get(board.outsider, shared).status_code == 404


def test_the_worker_makes_page_ones_image_ahead_for_each_reader_of_a_document_pdfjs_draws(board):
    meeting = board.meeting()["id"]
    app_doc = board.document(meeting, data=pdfs.text_pdf(2), title="app", access="app")["id"]
    download_doc = board.document(meeting, data=pdfs.text_pdf(2), title="download", access="download")["id"]
    with board.app.app_context():
        app_document, download_document = db.session.get(Document, app_doc), db.session.get(Document, download_doc)
        prepare_document(app_document, NOW)
        prepare_document(download_document, NOW)
        version = app_document.latest
        for info in (board.member, board.other_member, board.chair):
            user = db.session.get(User, info.id)
            key = _key(version, 1, personal_stamp(version, user, NOW), user.id, 1024, "jpeg", False)
            assert storage.cache().has(key), user.name
        assert storage.cache().has(cache_key("page", download_document.latest.sha256, 1, 1024, "jpeg"))
        made_again = prepare_document(app_document, NOW) + prepare_document(download_document, NOW)
    assert made_again == 0  # only looked at


def test_a_static_file_does_not_vary_on_the_cookies(board):
    board.page(board.member, "/")
    browser = board._tokens[("page", board.member.id)]
    with board.app.test_request_context():
        library = url_for("static", filename="vendor/pdfjs/pdf.min.mjs")
        script = url_for("static", filename="js/reader/view.js")
    for address in (library, script):
        with browser.get(address, headers={"Accept-Encoding": "gzip"}) as response:
            assert response.status_code == 200
            assert "Cookie" not in response.headers.get("Vary", ""), address
    page = browser.get("/")
    assert "Cookie" in page.headers.get("Vary", "")  # pages do depend on who is signed in
