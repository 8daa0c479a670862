"""The annotation contract: shapes, 422s, last writer wins, idempotent resends, and who sees what."""
import uuid

import pytest

from meetings.extensions import socketio
from meetings.realtime import NAMESPACE
from tests.reader.conftest import ink, url


def test_put_get_delete_follow_the_contract(board, doc):
    a, h, n, f = (str(uuid.uuid4()) for _ in range(4))
    bodies = {
        a: ink(a),
        h: {"page": 3, "kind": "highlight", "rects": [[50, 60, 200, 75], [50, 80, 120, 95]], "color": "#FFD400"},
        n: {"page": 1, "kind": "note", "rect": [500, 40, 520, 60], "text": "Hỏi lại Vụ Pháp chế", "color": "#f9a825"},
        f: {"page": 2, "kind": "freetext", "rect": [60, 700, 300, 730], "text": "Đề nghị sửa Điều 5",
            "color": "#1565c0", "shared": True},
    }
    for id_, body in bodies.items():
        response = board.put(board.member, url(doc["id"], id_), body)
        assert response.status_code == 201, response.json
    listed = board.get(board.member, url(doc["id"])).json["annotations"]
    by_id = {x["id"]: x for x in listed}
    assert set(by_id) == set(bodies)
    assert by_id[a]["paths"] == [[[100, 100], [150, 120], [200, 110]]] and by_id[a]["kind"] == "ink"
    assert by_id[h]["rects"] == [[50, 60, 200, 75], [50, 80, 120, 95]] and by_id[h]["color"] == "#ffd400"
    assert by_id[n]["rect"] == [500, 40, 520, 60] and by_id[n]["text"] == "Hỏi lại Vụ Pháp chế"
    assert by_id[f]["shared"] is True and by_id[a]["shared"] is False
    assert by_id[a]["updated_at"].endswith("Z") and by_id[a]["page"] == 3
    assert board.delete(board.member, url(doc["id"], a)).status_code == 204
    assert board.delete(board.member, url(doc["id"], a)).status_code == 204  # a resend of the delete
    assert a not in {x["id"] for x in board.get(board.member, url(doc["id"])).json["annotations"]}


@pytest.mark.parametrize("body, field", [
    ({"page": 1, "kind": "ink", "paths": [[[100, 100], [700, 100]]]}, "paths"),  # outside an A4 page (595 wide)
    ({"page": 1, "kind": "ink", "paths": [[[100, -5]]]}, "paths"),
    ({"page": 1, "kind": "highlight", "rects": [[10, 10, 20]]}, "rects"),  # wrong shape
    ({"page": 1, "kind": "highlight", "rects": [[30, 10, 20, 20]]}, "rects"),  # x1 < x0
    ({"page": 1, "kind": "highlight", "paths": [[[1, 1]]]}, "rects"),  # the other kind's geometry
    ({"page": 1, "kind": "note", "rect": ["a", 1, 2, 3]}, "rect"),
    ({"page": 1, "kind": "freetext", "rect": [10, 10, 20, 900]}, "rect"),
    ({"page": 1, "kind": "ink", "paths": [[[100 + i % 300, 100 + i % 500] for i in range(50_000)]]}, "paths"),
    ({"page": 4, "kind": "note", "rect": [1, 1, 2, 2]}, "page"),
    ({"page": 1, "kind": "circle", "rect": [1, 1, 2, 2]}, "kind"),
    ({"page": 1, "kind": "note", "rect": [1, 1, 2, 2], "color": "red"}, "color"),
    ({"page": 1, "kind": "note", "rect": [1, 1, 2, 2], "shared": "yes"}, "shared"),
    ({"page": 1, "kind": "ink", "paths": [[[1, 1]]], "width": 0}, "width"),
])
def test_invalid_geometry_is_refused_with_the_field(board, doc, body, field):
    response = board.put(board.member, url(doc["id"], uuid.uuid4()), body)
    assert response.status_code == 422
    assert field in response.json["error"]["fields"]
    assert board.get(board.member, url(doc["id"])).json["annotations"] == []


def test_not_a_uuid_is_refused(board, doc):
    assert board.put(board.member, url(doc["id"], "not-a-uuid"), ink("x")).status_code == 422


def test_resending_the_same_edit_never_doubles_it(board, doc):
    id_ = str(uuid.uuid4())
    body = ink(id_, updated_at="2026-12-02T02:00:00Z")
    first = board.put(board.member, url(doc["id"], id_), body)
    again = board.put(board.member, url(doc["id"], id_), body)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json == again.json
    assert len(board.get(board.member, url(doc["id"])).json["annotations"]) == 1


def test_last_writer_wins_by_updated_at(board, doc):
    id_ = str(uuid.uuid4())
    board.put(board.member, url(doc["id"], id_), ink(id_, color="#000000", updated_at="2026-12-02T02:30:00Z"))
    late_old = board.put(board.member, url(doc["id"], id_), ink(id_, color="#ff0000", updated_at="2026-12-02T02:00:00Z"))
    assert late_old.status_code == 200 and late_old.json["color"] == "#000000"  # the older edit arrived late
    newer = board.put(board.member, url(doc["id"], id_), ink(id_, color="#00ff00", updated_at="2026-12-02T02:45:00Z"))
    assert newer.json["color"] == "#00ff00"
    # A delete made offline before the newest edit does not remove it; a later one does.
    board.client.delete(url(doc["id"], id_) + "?updated_at=2026-12-02T02:40:00Z", headers=board.headers(board.member))
    assert len(board.get(board.member, url(doc["id"])).json["annotations"]) == 1
    board.client.delete(url(doc["id"], id_) + "?updated_at=2026-12-02T02:50:00Z", headers=board.headers(board.member))
    assert board.get(board.member, url(doc["id"])).json["annotations"] == []
    # ... and the old edit resent after the delete does not bring it back.
    resent = board.put(board.member, url(doc["id"], id_), ink(id_, updated_at="2026-12-02T02:45:00Z"))
    assert resent.json.get("deleted") is True
    assert board.get(board.member, url(doc["id"])).json["annotations"] == []


def test_a_clock_running_ahead_cannot_win_forever(board, doc):
    id_ = str(uuid.uuid4())
    future = board.put(board.member, url(doc["id"], id_), ink(id_, updated_at="2031-01-01T00:00:00Z"))
    assert future.json["updated_at"] == "2026-12-02T03:00:00Z"  # held at the server's now


def test_private_annotations_are_mine_alone_shared_ones_are_read_only_for_others(board, doc):
    private, shared = str(uuid.uuid4()), str(uuid.uuid4())
    board.put(board.member, url(doc["id"], private), ink(private))
    board.put(board.member, url(doc["id"], shared), ink(shared, shared=True))
    seen = board.get(board.other_member, url(doc["id"])).json["annotations"]
    assert [a["id"] for a in seen] == [shared]
    assert seen[0]["author"] == "Trần Thị Thu"
    assert board.put(board.other_member, url(doc["id"], shared), ink(shared, color="#000000")).status_code == 403
    assert board.delete(board.other_member, url(doc["id"], shared)).status_code == 403
    # Someone else's private id looks like nothing at all.
    assert board.put(board.other_member, url(doc["id"], private), ink(private)).status_code == 404
    assert board.delete(board.other_member, url(doc["id"], private)).status_code == 404
    # Even the meeting's secretary never sees a private annotation.
    assert [a["id"] for a in board.get(board.secretary, url(doc["id"])).json["annotations"]] == [shared]


def test_non_participants_get_404_everywhere(board):
    meeting = board.meeting()["id"]
    doc = board.document(meeting)
    id_ = str(uuid.uuid4())
    board.put(board.member, url(doc["id"], id_), ink(id_, shared=True))
    for path in (url(doc["id"]), f"/api/v1/documents/{doc['id']}/annotated", f"/api/v1/documents/{doc['id']}/layout",
                 f"/api/v1/documents/{doc['id']}/pages/1/words", f"/api/v1/documents/{doc['id']}/carry-over",
                 f"/api/v1/meetings/{meeting}/my-notes", f"/api/v1/meetings/{meeting}/my-notes/pdf"):
        assert board.get(board.outsider, path).status_code == 404, path
    assert board.put(board.outsider, url(doc["id"], id_), ink(id_)).status_code == 404
    assert board.delete(board.outsider, url(doc["id"], id_)).status_code == 404


def received(client):
    return [(p["name"], p["args"][0]) for p in client.get_received(NAMESPACE)]


def test_the_socket_reaches_my_devices_and_never_carries_a_private_annotation_to_others(app, board, doc):
    laptop = socketio.test_client(app, namespace=NAMESPACE, auth={"token": board.make.token(board.member)})
    colleague = socketio.test_client(app, namespace=NAMESPACE, auth={"token": board.make.token(board.other_member)})
    laptop.get_received(NAMESPACE), colleague.get_received(NAMESPACE)
    private, shared = str(uuid.uuid4()), str(uuid.uuid4())
    board.put(board.member, url(doc["id"], private), ink(private, text="riêng tư"))
    mine = received(laptop)
    assert [(name, data["annotation"]["id"]) for name, data in mine] == [("annotation.saved", private)]
    assert received(colleague) == []
    board.put(board.member, url(doc["id"], shared), ink(shared, shared=True))
    assert [data["annotation"]["id"] for _n, data in received(colleague)] == [shared]
    board.put(board.member, url(doc["id"], shared), ink(shared, shared=False))  # made private again
    assert received(colleague) == [("annotation.deleted", {"document_id": doc["id"], "id": shared})]
    board.delete(board.member, url(doc["id"], private))
    assert received(colleague) == []
    assert ("annotation.deleted", {"document_id": doc["id"], "id": private}) in received(laptop)


@pytest.mark.parametrize("when", ["9999-12-31T23:59:59-12:00", "0001-01-01T00:00:00+14:00", "00010101T000000+14:00"])
def test_a_device_time_out_of_range_is_422_not_an_overflow(board, doc, when):
    id_ = str(uuid.uuid4())
    response = board.put(board.member, url(doc["id"], id_), ink(id_, updated_at=when))
    assert response.status_code == 422 and "updated_at" in response.json["error"]["fields"]
    response = board.client.delete(url(doc["id"], id_) + "?updated_at=" + when.replace("+", "%2B"),
                                   headers=board.headers(board.member))
    assert response.status_code == 422 and "updated_at" in response.json["error"]["fields"]
