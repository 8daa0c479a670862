"""A unit asked for its opinion: the head names a member who answers for the unit, and may take it
back. Only the head names, only an active member of that unit, recorded who and when; the member named
submits, the unit's other members still only prepare; the member named is told."""
from datetime import datetime, timezone

from sqlalchemy import select

from meetings.extensions import db
from meetings.notify.models import Notification
from tests.consultations.test_consultations import NOW, Office, app  # noqa: F401 (the app fixture)


def _notified(office, user) -> list[str]:
    with office.app.app_context():
        return list(db.session.scalars(select(Notification.title).where(Notification.user_id == user.id,
                                                                        Notification.kind == "consultation")))


def test_head_names_a_member_who_submits_and_takes_it_back(app, client):  # noqa: F811
    office = Office(app, client)
    third = office.make.user("member", name="Lý Văn Ba", unit="Vụ Pháp chế", rank=60)
    cid = office.create()["id"]
    assert office.call("POST", office.secretary, f"/api/v1/consultations/{cid}/send").status_code == 200
    url, unit = f"/api/v1/consultations/{cid}/delegate", office.head.unit_id
    answer = {"answers": [{"question": 1, "choice": "Đồng ý"}], "submit": True}

    # The head sees whom to name; a member does not get the choice.
    seen = office.call("GET", office.head, f"/api/v1/consultations/{cid}").json["answers"][0]
    assert seen["can_delegate"] and [m["user_id"] for m in seen["members"]] == [office.staff.id, third.id]
    assert seen["delegate"] is None
    assert "can_delegate" not in office.call("GET", office.staff, f"/api/v1/consultations/{cid}").json["answers"][0]

    # Only the head names: a member, the secretary and a leader asked in person are refused; an outsider
    # does not know the request exists.
    assert office.call("PUT", office.staff, url, {"unit_id": unit, "user_id": office.staff.id}).status_code == 403
    assert office.call("PUT", office.secretary, url, {"unit_id": unit, "user_id": office.staff.id}).status_code == 403
    assert office.call("PUT", office.minister, url, {"unit_id": unit, "user_id": office.staff.id}).status_code == 403
    assert office.call("PUT", office.outsider, url, {"unit_id": unit, "user_id": office.staff.id}).status_code == 404
    # Only an active member of that unit; a unit that is not asked; bad types.
    for body in ({"unit_id": unit, "user_id": office.outsider.id}, {"unit_id": unit, "user_id": office.head.id},
                 {"unit_id": unit, "user_id": 2 ** 40}, {"unit_id": office.outsider.unit_id, "user_id": None},
                 {"unit_id": unit}, {"unit_id": "x", "user_id": "7"}):
        assert office.call("PUT", office.head, url, body).status_code == 422, body

    office.at(datetime(2026, 12, 2, 4, 0, tzinfo=timezone.utc))
    named = office.call("PUT", office.head, url, {"unit_id": unit, "user_id": office.staff.id})
    assert named.status_code == 200, named.json
    row = named.json["answers"][0]
    assert row["delegate"] == {"user_id": office.staff.id, "name": "Đỗ Thị Thu"}
    assert row["delegated_by_id"] == office.head.id and row["delegated_at"] == "2026-12-02T04:00:00+00:00"
    assert any("Vụ Pháp chế" in t for t in _notified(office, office.staff))
    # The secretary's follow-up shows who answers for the unit.
    pending = office.call("GET", office.secretary, f"/api/v1/consultations/{cid}").json["pending"]
    assert next(p for p in pending if p["unit_id"] == unit)["delegate"]["user_id"] == office.staff.id

    # The member named submits; another member of the unit still only prepares.
    answer_url = f"/api/v1/consultations/{cid}/answer"
    assert office.call("PUT", third, answer_url, answer).status_code == 403
    sent = office.call("PUT", office.staff, answer_url, answer)
    assert sent.status_code == 200
    unit_answer = next(a for a in sent.json["answers"] if a["unit_id"] == unit)
    assert unit_answer["answered"] and unit_answer["versions"][0]["submitted_by_id"] == office.staff.id

    # Taken back: the member is told, and may no longer submit; the head still may.
    back = office.call("PUT", office.head, url, {"unit_id": unit, "user_id": None})
    assert back.status_code == 200 and back.json["answers"][0]["delegate"] is None
    assert len(_notified(office, office.staff)) == 2
    assert office.call("PUT", office.staff, answer_url, answer).status_code == 403
    assert office.call("PUT", office.head, answer_url, answer).status_code == 200

    # After the deadline nobody is named any more.
    office.at(datetime(2026, 12, 4, 10, 0, tzinfo=timezone.utc))
    late = office.call("PUT", office.head, url, {"unit_id": unit, "user_id": third.id})
    assert late.status_code == 409 and late.json["error"]["code"] == "closed"


def test_the_head_names_from_the_request_page(app, client):  # noqa: F811
    office = Office(app, client)
    cid = office.create()["id"]
    assert office.call("POST", office.secretary, f"/api/v1/consultations/{cid}/send").status_code == 200
    client.post("/login", data={"email": office.head.email, "password": office.head.password})
    page = client.get(f"/consultations/{cid}").get_data(as_text=True)
    assert "data-delegate-form" in page and "Đỗ Thị Thu" in page
    done = client.post(f"/consultations/{cid}/delegate", data={"unit_id": office.head.unit_id,
                                                                "user_id": office.staff.id})
    assert done.status_code == 302
    seen = office.call("GET", office.secretary, f"/api/v1/consultations/{cid}").json
    assert next(a for a in seen["answers"] if a["unit_id"] == office.head.unit_id)["delegate"]["user_id"] == \
        office.staff.id
