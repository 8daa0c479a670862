"""Periodic reports from units (chế độ báo cáo định kỳ): a monthly rule in the office's zone, one round
per period opened by the scheduler exactly once through restarts, each round with its own pending
list and reminders, the per-unit x period table (on time, late, missing), and a unit's members seeing
their unit's answers only."""
from datetime import datetime, timezone

import pytest
from sqlalchemy import func, select

from meetings.consultations.jobs import open_periodic_rounds, send_consultation_reminders
from meetings.consultations.models import Consultation, Reminder
from meetings.extensions import db
from tests.consultations.test_consultations import Office

NOW = datetime(2027, 1, 5, 3, 0, tzinfo=timezone.utc)  # Tuesday 10:00 in Hà Nội
FIRST = "2027-01-25T17:00"  # the first period's deadline, 17:00 Hà Nội = 10:00 UTC
JAN_OPENS = datetime(2027, 1, 11, 10, 0, tzinfo=timezone.utc)  # 14 days before it
FEB_OPENS = datetime(2027, 2, 11, 10, 0, tzinfo=timezone.utc)


@pytest.fixture
def app(make_app):
    return make_app(MEETINGS_FAKE_NOW=NOW)


@pytest.fixture
def office(app, client):
    return Office(app, client)


def run(app, job, moment):
    with app.app_context():
        try:
            return job(moment)
        finally:
            db.session.remove()


def started(office) -> dict:
    """A monthly report asked of two units: Vụ Pháp chế (head and staff) and Cục Trồng trọt."""
    series = office.create(title="Báo cáo tình hình cấp phép phân bón", deadline=FIRST, user_ids=[],
                           unit_ids=[office.head.unit_id, office.outsider.unit_id], recurrence="FREQ=MONTHLY",
                           questions=[{"kind": "text", "text": "Số giấy phép đã cấp trong kỳ"}])
    assert series["recurrence"] == "FREQ=MONTHLY" and series["lead_days"] == 14
    sent = office.call("POST", office.secretary, f"/api/v1/consultations/{series['id']}/send")
    assert sent.status_code == 200 and sent.json["status"] == "recurring"
    assert sent.json["rounds"] == []  # the first period opens on the 11th
    return sent.json


def answer(office, user, cid):
    return office.call("PUT", user, f"/api/v1/consultations/{cid}/answer",
                       {"answers": [{"question": 1, "text": "42"}], "submit": True})


def test_rounds_open_once_each_period_through_restarts(office, make_app):
    series = started(office)
    assert series["recurrence_words"]  # the rule in words, for the secretary's page
    restarted = make_app()  # a restarted scheduler: its own engine, the same database
    try:
        assert run(office.app, open_periodic_rounds, datetime(2027, 1, 11, 9, 59, tzinfo=timezone.utc)) == 0
        assert run(office.app, open_periodic_rounds, JAN_OPENS) == 1
        assert run(restarted, open_periodic_rounds, JAN_OPENS) == 0
        assert run(restarted, open_periodic_rounds, datetime(2027, 1, 20, tzinfo=timezone.utc)) == 0
        assert run(restarted, open_periodic_rounds, FEB_OPENS) == 1 and run(office.app, open_periodic_rounds,
                                                                              FEB_OPENS) == 0
    finally:
        with restarted.app_context():
            db.engine.dispose()
    with office.app.app_context():
        periods = list(db.session.scalars(select(Consultation.period).where(
            Consultation.series_id == series["id"]).order_by(Consultation.period)))
    # Monthly on the 25th at 17:00 in Hà Nội, whatever the server's zone.
    assert [p.isoformat() for p in periods] == ["2027-01-25T10:00:00+00:00", "2027-02-25T10:00:00+00:00"]
    shown = office.call("GET", office.secretary, f"/api/v1/consultations/{series['id']}").json
    assert [r["period"] for r in shown["rounds"]] == [p.isoformat() for p in periods]


def test_on_time_late_missing_reminders_per_round_and_access(office):
    series = started(office)
    sid = series["id"]
    assert run(office.app, open_periodic_rounds, JAN_OPENS) == 1
    jan = office.call("GET", office.secretary, f"/api/v1/consultations/{sid}").json["rounds"][0]["id"]
    # The unit's head sends on time; the round has its own pending list.
    office.at(datetime(2027, 1, 20, 3, 0, tzinfo=timezone.utc))
    assert answer(office, office.head, jan).status_code == 200
    round_json = office.call("GET", office.secretary, f"/api/v1/consultations/{jan}").json
    assert round_json["series_id"] == sid and [p["unit_id"] for p in round_json["pending"]] == [office.outsider.unit_id]
    # Reminders of this round: the eve at 08:00 Hà Nội, once, to the unit that has not answered.
    eve = datetime(2027, 1, 24, 1, 0, tzinfo=timezone.utc)
    assert run(office.app, send_consultation_reminders, eve) == 1
    assert run(office.app, send_consultation_reminders, eve) == 0
    # The deadline passes: Cục Trồng trọt is refused, the office extends this round, it sends late.
    office.at(datetime(2027, 1, 25, 11, 0, tzinfo=timezone.utc))
    assert answer(office, office.outsider, jan).status_code == 409
    assert office.call("POST", office.secretary, f"/api/v1/consultations/{jan}/extend",
                       {"deadline": "2027-01-27T17:00"}).status_code == 200
    assert answer(office, office.outsider, jan).status_code == 200
    # February: nobody sends. Its own reminders go to both units; then it is missing.
    assert run(office.app, open_periodic_rounds, FEB_OPENS) == 1
    assert run(office.app, send_consultation_reminders, datetime(2027, 2, 24, 1, 0, tzinfo=timezone.utc)) == 2
    with office.app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Reminder)) == 3
    office.at(datetime(2027, 2, 20, 3, 0, tzinfo=timezone.utc))
    table = office.call("GET", office.secretary, f"/api/v1/consultations/{sid}/rounds").json
    cells = {row["unit_id"]: [c["status"] for c in row["cells"]] for row in table["rows"]}
    assert cells == {office.head.unit_id: ["on_time", "pending"], office.outsider.unit_id: ["late", "pending"]}
    office.at(datetime(2027, 2, 26, 3, 0, tzinfo=timezone.utc))
    table = office.call("GET", office.secretary, f"/api/v1/consultations/{sid}/rounds").json
    cells = {row["unit_id"]: [c["status"] for c in row["cells"]] for row in table["rows"]}
    assert cells == {office.head.unit_id: ["on_time", "missing"], office.outsider.unit_id: ["late", "missing"]}
    # A unit's member sees the unit's row and answer only; someone not asked learns nothing.
    own = office.call("GET", office.staff, f"/api/v1/consultations/{sid}/rounds").json
    assert [row["unit_id"] for row in own["rows"]] == [office.head.unit_id]
    answers = office.call("GET", office.staff, f"/api/v1/consultations/{jan}").json["answers"]
    assert [a["unit_id"] for a in answers] == [office.head.unit_id] and answers[0]["answers"][0]["text"] == "42"
    for url in (f"/api/v1/consultations/{sid}", f"/api/v1/consultations/{sid}/rounds",
                f"/api/v1/consultations/{jan}"):
        assert office.call("GET", office.deputy, url).status_code == 404
    # A periodic report's deadlines follow its rule: it is not extended itself.
    assert office.call("POST", office.secretary, f"/api/v1/consultations/{sid}/extend",
                       {"deadline": "2027-03-01T17:00"}).status_code == 409


def test_table_page_and_bad_recurrence(office, auth):
    for bad in ("FREQ=DAILY", "nonsense", "FREQ=MONTHLY;COUNT=0", 7, "FREQ=MONTHLY;BYDAY=XX"):
        response = office.call("POST", office.secretary, "/api/v1/consultations",
                               {"title": "Báo cáo", "questions": [{"kind": "text", "text": "Số liệu"}],
                                "deadline": FIRST, "unit_ids": [office.head.unit_id], "recurrence": bad})
        assert response.status_code == 422 and "recurrence" in response.json["error"]["fields"], bad
    response = office.call("POST", office.secretary, "/api/v1/consultations",
                           {"title": "Báo cáo", "questions": [{"kind": "text", "text": "Số liệu"}], "deadline": FIRST,
                            "unit_ids": [office.head.unit_id], "recurrence": "FREQ=YEARLY", "lead_days": 0})
    assert response.status_code == 422 and "lead_days" in response.json["error"]["fields"]
    series = started(office)
    run(office.app, open_periodic_rounds, JAN_OPENS)
    auth.login(office.secretary)
    page = office.client.get(f"/consultations/{series['id']}/rounds")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Vụ Pháp chế" in html and "Cục Trồng trọt" in html and "data-periodic-table" in html
    assert office.client.get(f"/consultations/{series['id']}").status_code == 200
    auth.logout()
    auth.login(office.deputy)
    assert office.client.get(f"/consultations/{series['id']}/rounds").status_code == 404
