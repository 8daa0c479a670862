"""The annotated copy, read back with PyMuPDF and with pypdf (an independent parser): real PDF
annotations at the coordinates given, our UUID in /NM, the author in /T; read-only documents refuse."""
import io
import uuid

import pymupdf
import pypdf

from tests.dossiers import pdfs
from tests.reader.conftest import ink, url

A4_HEIGHT = 842


def annotate_all(board, doc_id):
    ids = {kind: str(uuid.uuid4()) for kind in ("highlight", "ink", "note", "freetext", "shared_other", "private_other")}
    board.put(board.member, url(doc_id, ids["highlight"]),
              {"page": 3, "kind": "highlight", "rects": [[50, 60, 200, 75]], "color": "#ffd400"})
    board.put(board.member, url(doc_id, ids["ink"]), ink(ids["ink"], points=((100, 300), (150, 320), (200, 310))))
    board.put(board.member, url(doc_id, ids["note"]),
              {"page": 1, "kind": "note", "rect": [500, 40, 520, 60], "text": "Hỏi lại Vụ Pháp chế"})
    board.put(board.member, url(doc_id, ids["freetext"]),
              {"page": 2, "kind": "freetext", "rect": [60, 700, 300, 730], "text": "Đề nghị sửa Điều 5",
               "color": "#1565c0"})
    board.put(board.other_member, url(doc_id, ids["shared_other"]), ink(ids["shared_other"], page=1, shared=True))
    board.put(board.other_member, url(doc_id, ids["private_other"]), ink(ids["private_other"], page=1))
    return ids


def test_annotated_copy_holds_real_annotations_where_they_were_drawn(board, doc):
    ids = annotate_all(board, doc["id"])
    response = board.get(board.member, f"/api/v1/documents/{doc['id']}/annotated")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "private, no-store"

    with pymupdf.open(stream=response.data, filetype="pdf") as copy:
        found = {}
        for number, page in enumerate(copy, start=1):
            for a in page.annots():  # read inside the loop: an annotation lives as long as its page
                found[a.info["id"]] = {"page": number, "type": a.type[1], "title": a.info["title"],
                                       "content": a.info["content"], "stroke": a.colors["stroke"],
                                       "vertices": a.vertices, "shown": page.get_text(clip=a.rect)}
        stamped = copy[0].get_text()
    assert set(found) == {ids["highlight"], ids["ink"], ids["note"], ids["freetext"]}
    highlight = found[ids["highlight"]]
    assert (highlight["page"], highlight["type"], highlight["title"]) == (3, "Highlight", "Trần Thị Thu")
    assert [round(c * 255) for c in highlight["stroke"]] == [255, 212, 0]
    corners = [[round(v) for v in point] for point in highlight["vertices"]]
    assert corners[0] == [50, 60] and corners[3] == [200, 75]
    drawing = found[ids["ink"]]
    assert (drawing["page"], drawing["type"]) == (3, "Ink")
    assert [[round(x), round(y)] for x, y in drawing["vertices"][0]] == [[100, 300], [150, 320], [200, 310]]
    note = found[ids["note"]]
    assert (note["page"], note["type"], note["content"]) == (1, "Text", "Hỏi lại Vụ Pháp chế")
    box = found[ids["freetext"]]
    assert (box["page"], box["type"], box["content"]) == (2, "FreeText", "Đề nghị sửa Điều 5")
    assert "Đề nghị sửa Điều 5" in box["shown"]  # the appearance writes Vietnamese
    assert "Trần Thị Thu" in stamped  # still the personal stamped copy

    reader = pypdf.PdfReader(io.BytesIO(response.data))
    by_nm = {}
    for number, page in enumerate(reader.pages, start=1):
        for ref in page.get("/Annots") or []:
            annot = ref.get_object()
            if annot["/Subtype"] != "/Popup":  # the sticky note's popup window is not an annotation of ours
                by_nm[str(annot["/NM"])] = (number, annot)
    number, highlight = by_nm[ids["highlight"]]
    assert number == 3 and highlight["/Subtype"] == "/Highlight" and highlight["/T"] == "Trần Thị Thu"
    quad = [float(v) for v in highlight["/QuadPoints"]]  # PDF space: y up from the bottom
    assert [round(v) for v in quad] == [50, A4_HEIGHT - 60, 200, A4_HEIGHT - 60, 50, A4_HEIGHT - 75, 200, A4_HEIGHT - 75]
    number, drawing = by_nm[ids["ink"]]
    points = [round(float(v)) for v in drawing["/InkList"][0]]
    assert number == 3 and points == [100, A4_HEIGHT - 300, 150, A4_HEIGHT - 320, 200, A4_HEIGHT - 310]
    assert by_nm[ids["note"]][1]["/Subtype"] == "/Text" and by_nm[ids["freetext"]][1]["/Subtype"] == "/FreeText"


def test_shared_annotations_only_on_request_and_never_someone_elses_private_one(board, doc):
    ids = annotate_all(board, doc["id"])
    with_shared = board.get(board.member, f"/api/v1/documents/{doc['id']}/annotated?shared=1")
    with pymupdf.open(stream=with_shared.data, filetype="pdf") as copy:
        names = {a.info["id"]: a.info["title"] for page in copy for a in page.annots()}
    assert names[ids["shared_other"]] == "Đỗ Văn Khải"
    assert ids["private_other"] not in names
    # The colleague's own copy holds their two, and not mine.
    theirs = board.get(board.other_member, f"/api/v1/documents/{doc['id']}/annotated")
    with pymupdf.open(stream=theirs.data, filetype="pdf") as copy:
        assert {a.info["id"] for page in copy for a in page.annots()} == {ids["shared_other"], ids["private_other"]}


def test_read_in_the_app_only_documents_refuse_the_annotated_copy(board):
    meeting = board.meeting()["id"]
    doc = board.document(meeting, read_only="true")
    id_ = str(uuid.uuid4())
    assert board.put(board.member, url(doc["id"], id_), ink(id_)).status_code == 201  # annotating is fine
    assert board.get(board.member, f"/api/v1/documents/{doc['id']}/annotated").status_code == 403
    notes = board.get(board.member, f"/api/v1/meetings/{meeting}/my-notes/pdf")
    assert notes.status_code == 200
    with pymupdf.open(stream=notes.data, filetype="pdf") as summary:
        assert not any(page.get_images() for page in summary)  # no picture of a read-only page leaves the app


def test_my_notes_list_and_summary(board):
    meeting = board.meeting()["id"]
    doc = board.document(meeting, title="Tờ trình")
    id_ = str(uuid.uuid4())
    board.put(board.member, url(doc["id"], id_), {"page": 2, "kind": "note", "rect": [60, 60, 80, 80],
                                                    "text": "Cần số liệu quý IV"})
    notes = board.get(board.member, f"/api/v1/meetings/{meeting}/my-notes").json["notes"]
    assert [(n["id"], n["page"], n["text"], n["title"]) for n in notes] == [(id_, 2, "Cần số liệu quý IV", "Tờ trình")]
    assert board.get(board.other_member, f"/api/v1/meetings/{meeting}/my-notes").json["notes"] == []
    summary = board.get(board.member, f"/api/v1/meetings/{meeting}/my-notes/pdf")
    with pymupdf.open(stream=summary.data, filetype="pdf") as pdf:
        text = pdf[0].get_text()
        assert "Cần số liệu quý IV" in text and "Tờ trình" in text and pdf[0].get_images()


def test_carry_over_moves_annotations_to_unchanged_pages_only_once(board, doc):
    same, changed = str(uuid.uuid4()), str(uuid.uuid4())
    board.put(board.member, url(doc["id"], same), ink(same, page=1))
    board.put(board.member, url(doc["id"], changed), ink(changed, page=2))
    # Version 2: page 1 as before, page 2 rewritten, page 3 as before.
    new = pymupdf.open(stream=pdfs.text_pdf(3), filetype="pdf")
    page = new[1]
    page.add_redact_annot(page.rect)
    page.apply_redactions()
    page.insert_text((72, 72), "Trang 2 đã sửa")
    assert board.new_version(doc["id"], new.tobytes()).status_code == 202
    offer = board.get(board.member, f"/api/v1/documents/{doc['id']}/carry-over").json
    assert (offer["movable"], offer["staying"], offer["to_version"]) == (1, 1, 2)
    first = board.post(board.member, f"/api/v1/documents/{doc['id']}/carry-over").json
    again = board.post(board.member, f"/api/v1/documents/{doc['id']}/carry-over").json
    assert (first["carried"], again["carried"]) == (1, 0)
    now = board.get(board.member, url(doc["id"])).json
    assert now["version"] == 2 and [a["page"] for a in now["annotations"]] == [1]
    old = board.get(board.member, url(doc["id"]) + "?version=1").json["annotations"]
    assert {a["id"] for a in old} == {same, changed}  # the rest stay on the old version


def test_my_notes_quote_the_words_a_highlight_covers_and_keep_read_only_words_in_the_app(board):
    meeting = board.meeting()["id"]
    source = pdfs.text_pdf(3)
    with pymupdf.open(stream=source, filetype="pdf") as pdf:
        first, second, third = pdf[1].get_text("words", sort=True)[:3]
    rect = [first[0] - 1, first[1], second[2] + 1, second[3]]  # "Trang 2." and not a hair of the third word
    assert third[0] > rect[2]
    quotes = {}
    for read_only in ("false", "true"):
        doc = board.document(meeting, data=source, title=f"Tờ trình {read_only}", read_only=read_only)
        id_ = str(uuid.uuid4())
        board.put(board.member, url(doc["id"], id_), {"page": 2, "kind": "highlight", "rects": [rect],
                                                        "color": "#ffd400", "text": "Xem lại"})
        quotes[read_only] = id_
    notes = {n["id"]: n for n in board.get(board.member, f"/api/v1/meetings/{meeting}/my-notes").json["notes"]}
    for id_ in quotes.values():
        assert (notes[id_]["kind"], notes[id_]["quote"], notes[id_]["text"]) == ("highlight", "Trang 2.", "Xem lại")
    summary = board.get(board.member, f"/api/v1/meetings/{meeting}/my-notes/pdf")
    with pymupdf.open(stream=summary.data, filetype="pdf") as pdf:
        text = "".join(page.get_text() for page in pdf)
    assert text.count("“Trang 2.”") == 1  # the downloadable one; the read-in-the-app one's words stay in the app
    assert text.count("Xem lại") == 2
