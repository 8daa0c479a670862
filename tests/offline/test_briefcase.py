"""What a device may keep for offline reading (meetings/offline/briefcase.py) through its one door,
GET /api/v1/me/briefcase, and the rules around it: the profile's days ahead, access removed, the
admin's days after the end, the sign-out's wipe, the worker's version, and prefetches not logged as reads."""
import re
from datetime import timedelta

from meetings.directory.models import User
from meetings.dossiers.models import DocumentAccess
from meetings.extensions import db
from meetings.offline.briefcase import listing
from meetings.offline.shell import shell
from tests.meetings.conftest import NOW

BRIEFCASE = "/api/v1/me/briefcase"
AHEAD = {"X-Meetings-Briefcase": "1"}  # the worker filling the briefcase
PDFJS = {"X-Meetings-Reader": "pdfjs"}  # the personal copy, to be drawn by the reader


def kept(board, user, held=()):
    response = board.get(user, BRIEFCASE + (f"?held={','.join(map(str, held))}" if held else ""))
    assert response.status_code == 200, response.json
    return {m["id"]: m for m in response.json["meetings"]}


def test_my_coming_meeting_is_kept_with_what_the_reader_needs_offline(board):
    meeting = board.meeting()["id"]
    download = board.document(meeting, title="Tờ trình")
    app_only = board.document(meeting, title="Dự thảo trong ứng dụng", access="app")
    screen = board.document(meeting, title="Tài liệu mật", access="screen")
    later = board.meeting(title="Họp tháng sau", start="2027-01-20T08:00", end="2027-01-20T10:00")["id"]

    found = kept(board, board.member)
    assert set(found) == {meeting}  # next month is beyond the 7 days ahead
    entry = found[meeting]
    assert entry["reason"] == "coming" and entry["urls"] == [f"/meetings/{meeting}"]
    assert entry["remove_after"] == "2027-01-02T03:00:00+00:00"  # 30 days after 10:00 in Hà Nội
    docs = {d["id"]: d for d in entry["documents"]}
    assert {d["access"] for d in docs.values()} == {"download", "app"}  # never `screen`
    assert entry["online_only"] == [{"id": screen["id"], "title": "Tài liệu mật", "access": "screen"}]
    mine = docs[download["id"]]["urls"]
    assert f"/reader/documents/{download['id']}" in mine and f"/api/v1/documents/{download['id']}/file" in mine
    assert f"/api/v1/documents/{download['id']}/annotations?version=1" in mine
    assert f"/api/v1/documents/{download['id']}/pages/3/words" in mine
    restricted = docs[app_only["id"]]["urls"]
    assert f"/api/v1/documents/{app_only['id']}/file" in restricted  # drawn by pdf.js, from the kept copy
    assert f"/api/v1/documents/{app_only['id']}/thumbnails/1?stamped=1" in restricted
    # Each kind of listed address answers the member as the worker asks for it.
    kinds = {}
    for url in mine + restricted + entry["urls"]:
        kinds.setdefault(re.sub(r"/(pages|thumbnails)/\d+", r"/\1/N", url), url)
    for url in kinds.values():
        if url.startswith("/api/"):
            answer = board.client.get(url, headers={**board.headers(board.member), **AHEAD, **PDFJS})
        else:
            answer = board.page(board.member, url)
        assert answer.status_code == 200, url
    # A meeting the device holds because it was opened stays listed; an outsider's device keeps nothing.
    assert set(kept(board, board.member, held=[later])) == {meeting, later}
    assert kept(board, board.outsider, held=[meeting, later]) == {}


def test_access_removed_or_time_up_or_no_days_ahead_leaves_the_meeting_out(board, app):
    meeting = board.meeting()["id"]
    assert board.delete(board.secretary, f"/api/v1/meetings/{meeting}/participants/{board.member.id}").status_code == 204
    assert kept(board, board.member, held=[meeting]) == {}
    assert set(kept(board, board.other_member, held=[meeting])) == {meeting}
    with app.app_context():
        other = db.session.get(User, board.other_member.id)
        ended = NOW + timedelta(days=1, hours=1)
        assert [e.reason for e in listing(other, ended + timedelta(days=29), [meeting], 30)] == ["held"]
        assert listing(other, ended + timedelta(days=30), [meeting], 30) == []  # removed 30 days after the end
        other.offline_days = 0
        assert listing(other, NOW, [], 30) == [] and len(listing(other, NOW, [meeting], 30)) == 1


def test_the_device_names_what_it_holds_in_the_documented_form(board):
    assert board.get(board.member, BRIEFCASE + "?held=abc").status_code == 422
    assert board.get(board.member, BRIEFCASE + "?held=" + "1" * 11).status_code == 422
    assert board.get(board.member, BRIEFCASE + "?held=9999999999,0").json["meetings"] == []
    assert board.client.get(BRIEFCASE).status_code == 401


def test_the_profile_sets_the_days_ahead(board, app):
    browser = app.test_client()
    browser.post("/login", data={"email": board.member.email, "password": board.member.password})
    assert 'name="offline_days"' in browser.get("/profile").text
    assert browser.post("/profile/settings", data={"locale": "vi", "offline_days": "99"}).status_code == 422
    assert browser.post("/profile/settings", data={"locale": "vi", "offline_days": "3"}).status_code == 302
    with app.app_context():
        assert db.session.get(User, board.member.id).offline_days == 3


def test_every_sign_out_form_wipes_the_device_first_and_no_clear_site_data(board, app):
    browser = app.test_client()
    browser.post("/login", data={"email": board.member.email, "password": board.member.password})
    for page, forms in (("/", 2), ("/profile", 3)):  # the bar's and the menu's; the profile's "everywhere"
        assert browser.get(page).text.count("data-sign-out") == forms, page
    # Chromium held the redirect while it removed the worker that controlled the page (headers.py).
    assert "Clear-Site-Data" not in browser.post("/logout").headers


def test_the_worker_is_served_at_the_root_with_the_builds_version(board, app, tmp_path):
    response = app.test_client().get("/sw.js")
    assert response.status_code == 200 and response.mimetype == "text/javascript"
    assert response.headers["Cache-Control"] == "no-cache" and b"self.__BRIEFCASE__" not in response.data
    # The shell's addresses are the pages' own: under the build's version (meetings/assets.py).
    version = re.search(rb'"version": "([0-9a-f]+)"', response.data).group(1).decode()
    assert f'"/static/b/{version}/js/reader/main.js"'.encode() in response.data
    assert b"/js/offline/sw.js" not in response.data
    # A changed file anywhere in the shell is a new version, so the browser installs a new worker.
    (tmp_path / "js").mkdir()
    (tmp_path / "js" / "a.js").write_text("one")
    first, paths = shell(str(tmp_path))
    assert paths == ["js/a.js"] and shell(str(tmp_path))[0] == first
    (tmp_path / "js" / "a.js").write_text("two")
    assert shell(str(tmp_path))[0] != first


def test_what_the_worker_fetches_ahead_is_not_logged_as_read(board, app):
    meeting = board.meeting()["id"]
    doc = board.document(meeting, access="app")["id"]
    token = board.headers(board.member)
    assert board.client.get(f"/api/v1/documents/{doc}/file", headers={**token, **AHEAD, **PDFJS}).status_code == 200
    browser = app.test_client()
    browser.post("/login", data={"email": board.member.email, "password": board.member.password})
    assert browser.get(f"/reader/documents/{doc}", headers=AHEAD).status_code == 200
    with app.app_context():
        assert db.session.query(DocumentAccess).filter_by(user_id=board.member.id).count() == 0
    board.client.get(f"/api/v1/documents/{doc}/file", headers={**token, **PDFJS})  # the reader, reading
    with app.app_context():
        assert [a.action for a in db.session.query(DocumentAccess).filter_by(user_id=board.member.id)] == ["view"]
