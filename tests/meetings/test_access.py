"""Every access rule through every door: meeting JSON, document JSON, personal file, page images,
thumbnails, search hits, the merged dossier and the HTML pages."""
import io

import pytest
from pypdf import PdfReader

from tests.dossiers import pdfs

SECRET = "Phương án nhân sự tuyệt mật"
OPEN = "Báo cáo công khai"


@pytest.fixture
def setup(board):
    """One meeting with an open document, a chair-only one and a read-only one; a second meeting."""
    meeting = board.meeting()["id"]
    open_doc = board.document(meeting, data=pdfs.text_pdf(2, text=f"{OPEN} về ngân sách"), title="Báo cáo")["id"]
    chair_doc = board.document(meeting, data=pdfs.text_pdf(1, text=f"{SECRET} về ngân sách"), title="Nhân sự",
                               audience="chosen", reader_ids=str(board.chair.id))["id"]
    read_only = board.document(meeting, data=pdfs.text_pdf(1, text="Dự thảo chỉ đọc về ngân sách"),
                               title="Dự thảo", access="screen")["id"]
    other = board.meeting(title="Họp khác", participants=[{"user_id": board.outsider.id, "role": "member"}])["id"]
    other_doc = board.document(other, data=pdfs.text_pdf(1, text="Tài liệu họp khác về ngân sách"))["id"]
    return {"meeting": meeting, "open": open_doc, "chair": chair_doc, "read_only": read_only, "other": other,
            "other_doc": other_doc}


def doors(document_id: int) -> list[str]:
    return [f"/api/v1/documents/{document_id}", f"/api/v1/documents/{document_id}/pages/1",
            f"/api/v1/documents/{document_id}/thumbnails/1", f"/meetings/documents/{document_id}"]


def test_a_chair_only_document_is_invisible_to_members_through_every_door(board, setup):
    data = board.get(board.member, f"/api/v1/meetings/{setup['meeting']}").json
    assert {d["id"] for d in data["documents"]} == {setup["open"], setup["read_only"]}
    for url in doors(setup["chair"]) + [f"/api/v1/documents/{setup['chair']}/file"]:
        assert board.get(board.member, url).status_code == 404, url
        assert board.get(board.chair, url).status_code == 200, url
    hits = board.get(board.member, f"/api/v1/meetings/{setup['meeting']}/search?q=ngan sach").json["hits"]
    assert {h["document_id"] for h in hits} == {setup["open"], setup["read_only"]}
    everywhere = board.get(board.member, "/api/v1/documents/search?q=tuyet mat").json["hits"]
    assert everywhere == []
    chair_hits = board.get(board.chair, "/api/v1/documents/search?q=tuyet mat").json["hits"]
    assert [h["document_id"] for h in chair_hits] == [setup["chair"]]


def test_a_participant_never_reaches_another_meetings_documents_by_changing_an_id(board, setup):
    for url in doors(setup["other_doc"]) + [f"/api/v1/documents/{setup['other_doc']}/file",
                                            f"/api/v1/meetings/{setup['other']}", f"/meetings/{setup['other']}",
                                            f"/api/v1/meetings/{setup['other']}/search?q=ngan",
                                            f"/api/v1/meetings/{setup['other']}/dossier"]:
        assert board.get(board.member, url).status_code == 404, url
    hits = board.get(board.member, "/api/v1/documents/search?q=ngan sach").json["hits"]
    assert setup["other_doc"] not in {h["document_id"] for h in hits}


def test_a_screen_document_is_read_as_images_but_never_leaves_as_a_file(board, setup):
    for headers in ({}, {"X-Meetings-Reader": "pdfjs"}):  # not even to the reader's pdf.js
        response = board.get(board.member, f"/api/v1/documents/{setup['read_only']}/file", headers=headers)
        assert response.status_code == 403
        assert response.json["error"]["message"]
    assert board.get(board.member, f"/api/v1/documents/{setup['read_only']}/pages/1").status_code == 200
    page = board.get(board.member, f"/meetings/documents/{setup['read_only']}").get_data(as_text=True)
    assert "data-download" not in page and "data-print" not in page
    assert board.get(board.secretary, f"/api/v1/documents/{setup['read_only']}/file").status_code == 200


def test_an_app_document_goes_to_the_readers_pdfjs_only_never_as_a_file_to_keep(board, setup):
    doc = board.document(setup["meeting"], data=pdfs.text_pdf(2), title="Dự thảo trong ứng dụng", access="app")
    url = f"/api/v1/documents/{doc['id']}/file"
    seen = board.get(board.member, f"/api/v1/documents/{doc['id']}").json
    assert (seen["access"], seen["read_only"], seen["can_download"]) == ("app", True, False)
    kept = board.get(board.member, url)  # a link, a typed address, an API client
    assert kept.status_code == 403 and kept.json["error"]["message"]
    drawn = board.get(board.member, url, headers={"X-Meetings-Reader": "pdfjs"})
    assert drawn.status_code == 200 and drawn.headers["Content-Disposition"].startswith("inline")
    assert drawn.headers["Cache-Control"] == "private, no-store"
    assert len(PdfReader(io.BytesIO(drawn.data)).pages) == 2
    page = board.get(board.member, f"/meetings/documents/{doc['id']}").get_data(as_text=True)
    assert "data-download" not in page


def test_the_secretary_chooses_the_access_level_and_old_clients_read_only_still_works(board, setup):
    url = f"/api/v1/documents/{setup['open']}"
    version = board.get(board.secretary, f"/api/v1/meetings/{setup['meeting']}").json["version"]
    changed = board.patch(board.secretary, url, {"access": "app", "version": version})
    assert changed.status_code == 200 and changed.json["access"] == "app" and changed.json["read_only"] is True
    version = board.get(board.secretary, f"/api/v1/meetings/{setup['meeting']}").json["version"]
    assert board.patch(board.secretary, url, {"read_only": False, "version": version}).json["access"] == "download"
    version = board.get(board.secretary, f"/api/v1/meetings/{setup['meeting']}").json["version"]
    refused = board.patch(board.secretary, url, {"access": "print", "version": version})
    assert refused.status_code == 422 and "access" in refused.json["error"]["fields"]
    assert board.patch(board.member, url, {"access": "download", "version": version}).status_code == 403


def test_the_merged_dossier_holds_exactly_what_the_reader_may_download(board, setup):
    def text_of(user) -> str:
        response = board.get(user, f"/api/v1/meetings/{setup['meeting']}/dossier")
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "private, no-store"
        return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)

    member_text, chair_text = text_of(board.member), text_of(board.chair)
    assert "ngân sách" in member_text and "Trần Thị Thu" in member_text  # stamped for the reader
    assert SECRET not in member_text and "chỉ đọc" not in member_text
    assert SECRET in chair_text and "Nguyễn Văn Minh" in chair_text


def test_the_meeting_page_lists_only_the_readers_documents(board, setup):
    page = board.get(board.member, f"/meetings/{setup['meeting']}").get_data(as_text=True)
    assert "Báo cáo" in page and "Dự thảo" in page and "Nhân sự" not in page
    assert "data-upload" not in page  # no secretary's tools for a member
    assert board.get(board.outsider, f"/meetings/{setup['meeting']}").status_code == 404


def test_old_versions_and_originals_are_for_secretaries_and_admins(board, setup):
    board.new_version(setup["open"], pdfs.text_pdf(3))
    v1 = f"/api/v1/documents/{setup['open']}/file?version=1"
    assert board.get(board.member, v1).status_code == 404
    assert board.get(board.secretary, v1).status_code == 200
    original = f"/api/v1/documents/{setup['open']}/original?version=1"
    assert board.get(board.secretary, original).status_code == 404
    assert board.get(board.admin, original).status_code == 200


class SendsFiles:
    """A server's wsgi.file_wrapper as gunicorn's: it sends from the file's position for Content-Length
    bytes (sendfile(2)), as PEP 3333 has servers honour Content-Length; here read again, to look."""

    def __init__(self):
        self.sent = []

    def __call__(self, file, block_size=8192):
        self.sent.append((file.name, file.tell()))
        return _Handed(file)

    def body(self, response) -> bytes:
        name, position = self.sent[-1]
        with open(name, "rb") as file:
            file.seek(position)
            return file.read(int(response.headers["Content-Length"]))


class _Handed(list):  # what the app returns as its body: nothing for Python to iterate, the file to close
    def __init__(self, file):
        super().__init__()
        self.file = file

    def close(self):
        self.file.close()


def test_a_plain_range_is_left_to_the_servers_sendfile(board, setup):
    """pdf.js's chunks (a Range, nothing else): the file is handed to the server at the range's start,
    not read through Python; anything more (If-Range, a bad range) goes Werkzeug's way as above."""
    url, reader = f"/api/v1/documents/{setup['open']}/file", {"X-Meetings-Reader": "pdfjs"}
    whole = board.get(board.member, url, headers=reader).data
    server = SendsFiles()
    part = board.get(board.member, url, headers={**reader, "Range": "bytes=100-199"},
                     environ_overrides={"wsgi.file_wrapper": server})
    assert part.status_code == 206 and part.headers["Content-Range"] == f"bytes 100-199/{len(whole)}"
    assert part.headers["Accept-Ranges"] == "bytes" and server.body(part) == whole[100:200]
    tail = board.get(board.member, url, headers={**reader, "Range": "bytes=-50"},
                     environ_overrides={"wsgi.file_wrapper": server})
    assert tail.status_code == 206 and server.body(tail) == whole[-50:]
    beyond = board.get(board.member, url, headers={**reader, "Range": f"bytes={len(whole)}-"},
                       environ_overrides={"wsgi.file_wrapper": server})
    assert beyond.status_code == 416 and beyond.headers["Content-Range"] == f"bytes */{len(whole)}"
    first = board.get(board.member, url, headers={**reader, "Range": "bytes=0-65535"},
                      environ_overrides={"wsgi.file_wrapper": server})
    assert first.status_code == 206 and server.body(first) == whole[:65536]


def test_a_confidential_meeting_is_hidden_from_secretaries_who_do_not_take_part(board):
    other_secretary = board.make.user("secretary", name="Bùi Văn Nam")
    meeting = board.meeting(confidential=True)["id"]
    assert board.get(other_secretary, f"/api/v1/meetings/{meeting}").status_code == 404
    assert board.get(board.member, f"/api/v1/meetings/{meeting}").status_code == 200


def test_the_personal_copy_is_served_in_byte_ranges_for_pdfjs(board, setup):
    url, reader = f"/api/v1/documents/{setup['open']}/file", {"X-Meetings-Reader": "pdfjs"}
    whole = board.get(board.member, url, headers=reader)
    size, etag = len(whole.data), whole.headers["ETag"]
    assert whole.headers["Accept-Ranges"] == "bytes" and not etag.startswith("W/")
    part = board.get(board.member, url, headers={**reader, "Range": "bytes=100-199"})
    assert part.status_code == 206 and part.data == whole.data[100:200]
    assert part.headers["Content-Range"] == f"bytes 100-199/{size}" and part.headers["ETag"] == etag
    tail = board.get(board.member, url, headers={**reader, "Range": "bytes=-50", "If-Range": etag})
    assert tail.status_code == 206 and tail.data == whole.data[-50:]
    stale = board.get(board.member, url, headers={**reader, "Range": "bytes=0-9", "If-Range": '"another"'})
    assert stale.status_code == 200 and stale.data == whole.data  # changed since: the whole file again
    for bad in (f"bytes={size}-", "bytes=abc", "bytes=500-100"):
        refused = board.get(board.member, url, headers={**reader, "Range": bad})
        assert refused.status_code == 416, bad
        assert refused.headers["Content-Range"] == f"bytes */{size}" and refused.json["error"]["message"]
    log = board.get(board.secretary, f"/api/v1/documents/{setup['open']}/log").json["log"]
    mine = [row for row in log if row["user_id"] == board.member.id]
    assert [row["action"] for row in mine] == ["view"]  # one reading, however many ranges
