"""Uploads: a good PDF is stored, sanitised and indexed; every bad file is refused with a 4xx JSON
error and a human message, and leaves no row and no file behind."""
import gc
import io

import pytest

from tests.dossiers import pdfs
from tests.meetings.conftest import LIMIT_BYTES, LIMIT_PAGES


def test_a_good_pdf_is_stored_with_its_pages_and_the_original_kept_apart(board):
    meeting_id = board.meeting()["id"]
    response = board.upload(meeting_id, pdfs.text_pdf(4), filename="Tờ trình số 12.pdf", title="Tờ trình")
    assert (response.status_code, response.json["state"]) == (202, "ready")
    assert {"id", "title", "pages", "version"} <= set(response.json)
    assert (response.json["title"], response.json["pages"], response.json["version"]) == ("Tờ trình", 4, 1)
    stored = board.stored()
    assert stored["meeting_document_pages"] == 4
    doc_id = response.json["id"]
    assert stored["files"] == [f"documents/{meeting_id}/{doc_id}/v1.pdf", f"originals/{meeting_id}/{doc_id}/v1.pdf"]


def test_the_title_defaults_to_the_file_name(board):
    meeting_id = board.meeting()["id"]
    assert board.document(meeting_id, filename="Du_thao_Nghi_quyet.pdf")["title"] == "Du thao Nghi quyet"


# Refused at once (no parsing needed): answered with the 4xx, nothing stored.
REFUSED_AT_ONCE = [
    ("empty", b"", "x.pdf", 422, "empty_pdf"),
    ("disguised html", b"<!DOCTYPE html><html><body>Report</body></html>", "bao-cao.pdf", 415, "not_pdf"),
    ("oversized", b"%PDF-1.7\n" + b"0" * (LIMIT_BYTES + 1), "x.pdf", 413, "too_large"),
]
# Refused by the worker, which opens the file: 202, then the document is "refused" with the reason.
REFUSED_BY_THE_WORKER = [
    ("broken", b"%PDF-1.7\n" + bytes(range(256)) * 40, "x.pdf", "broken_pdf"),
    ("encrypted", pdfs.encrypted_pdf(), "x.pdf", "encrypted"),
    ("html behind a pdf header", b"%PDF-1.4\n<html><body>" + b"<p>x</p>" * 50 + b"</body></html>", "x.pdf", None),
    ("too many pages", pdfs.text_pdf(LIMIT_PAGES + 1), "x.pdf", "too_many_pages"),
    ("a tiny file claiming 100,000 pages", pdfs.lying_page_tree_pdf(100_000), "x.pdf", None),
]


@pytest.mark.parametrize("name, data, filename, status, code", REFUSED_AT_ONCE, ids=[f[0] for f in REFUSED_AT_ONCE])
def test_a_bad_file_is_refused_at_once_and_nothing_is_stored(board, name, data, filename, status, code):
    meeting_id = board.meeting()["id"]
    before = board.stored()
    version = board.get(board.secretary, f"/api/v1/meetings/{meeting_id}").json["version"]
    response = board.upload(meeting_id, data, filename=filename)
    assert (response.status_code, response.json["error"]["code"]) == (status, code)
    assert response.json["error"]["message"]
    assert board.stored() == before
    assert board.get(board.secretary, f"/api/v1/meetings/{meeting_id}").json["version"] == version


@pytest.mark.parametrize("name, data, filename, code", REFUSED_BY_THE_WORKER,
                         ids=[f[0] for f in REFUSED_BY_THE_WORKER])
def test_a_bad_file_is_refused_by_the_worker_with_its_reason_and_nothing_readable(board, name, data, filename, code):
    meeting_id = board.meeting()["id"]
    before = board.stored()
    version = board.get(board.secretary, f"/api/v1/meetings/{meeting_id}").json["version"]
    response = board.upload(meeting_id, data, filename=filename)
    assert response.status_code == 202
    assert response.json["state"] == "refused" and response.json["refusal"]["message"]
    if code:
        assert response.json["refusal"]["code"] == code
    # The refused document stays, for its secretaries, with no version, page text or file.
    assert board.stored() == {**before, "meeting_documents": before["meeting_documents"] + 1}
    assert board.get(board.secretary, f"/api/v1/meetings/{meeting_id}").json["version"] == version
    page = board.get(board.secretary, f"/api/v1/documents/{response.json['id']}/pages/1")
    assert page.status_code == 409 and page.json["error"]["message"]


def test_a_refusal_speaks_vietnamese_to_the_vietnamese_ui(board, client):
    meeting_id = board.meeting()["id"]
    response = client.post(f"/api/v1/meetings/{meeting_id}/documents", data={"file": (io.BytesIO(b""), "x.pdf")},
                           headers={**board.headers(board.secretary), "Accept-Language": "vi"})
    assert response.status_code == 422
    assert response.json["error"]["message"] != "The file is empty or has no pages."


# Werkzeug drops the half-received part's SpooledTemporaryFile without closing it when the body
# ends early; collecting it raises a ResourceWarning that is Werkzeug's, not ours.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_an_upload_interrupted_half_way_leaves_nothing(board, client):
    meeting_id = board.meeting()["id"]
    before = board.stored()
    body = (b"--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\n"
            b"Content-Type: application/pdf\r\n\r\n" + pdfs.text_pdf(2)[:500])  # the connection dropped here
    response = client.post(f"/api/v1/meetings/{meeting_id}/documents", data=body,
                           headers={**board.headers(board.secretary), "Content-Length": str(len(body) + 5000)},
                           content_type="multipart/form-data; boundary=XyZ")
    assert 400 <= response.status_code < 500
    assert board.stored() == before
    gc.collect()  # let the abandoned part go inside this test, where the warning is expected


def test_a_failed_commit_in_the_worker_leaves_no_file_and_says_so(board, app, monkeypatch, caplog):
    from meetings.dossiers import announce

    meeting_id = board.meeting()["id"]
    before = board.stored()

    def broken_notify(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(announce, "document_added", broken_notify)
    response = board.upload(meeting_id)
    assert (response.status_code, response.json["state"]) == (202, "refused")
    assert response.json["refusal"]["code"] == "processing_failed"
    assert board.stored() == {**before, "meeting_documents": before["meeting_documents"] + 1}
    assert "the database went away" in caplog.text

