"""Schemathesis against a live server: every operation of /api/v1/openapi.json, with its default checks.

Signed in as a secretary with a meeting, an entry and a document present, so that most operations reach
real objects. Deterministic (derandomised Hypothesis); SCHEMATHESIS_MAX_EXAMPLES runs it longer.
"""
import os
import tempfile
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from hypothesis.stateful import run_state_machine_as_test
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import positive_data_acceptance

from meetings import create_app
from tests.conftest import app_config, served
from tests.dossiers import pdfs
from tests.factories import Factories
from tests.meetings.conftest import multipart

MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "8"))


@pytest.fixture(scope="module")
def api_server(database_url, tmp_path_factory):
    app = create_app(app_config(database_url, tmp_path_factory.mktemp("schemathesis")))
    with served(app) as (server, url):
        server.app, server.url = app, url
        yield server


@pytest.fixture(scope="module")
def secretary_token(api_server) -> str:
    """A secretary's token, and the objects the operations can find: a meeting with a document, an entry."""
    app = api_server.app
    make = Factories(app)
    secretary = make.user("secretary", name="Hoàng Thu Trang", unit="Văn phòng Bộ")
    chair = make.user("leader", name="Nguyễn Văn Minh", title="Bộ trưởng")
    member = make.user("member", name="Trần Thị Thu", unit="Vụ Pháp chế")
    make.room("Phòng họp số 1")
    token = make.token(secretary)
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    meeting = client.post("/api/v1/meetings", headers=headers, json={
        "title": "Họp Ban cán sự Đảng", "start": "2026-12-03T08:00", "end": "2026-12-03T10:00",
        "status": "published", "participants": [{"user_id": chair.id, "role": "chair"},
                                                {"user_id": secretary.id, "role": "secretary"},
                                                {"user_id": member.id, "role": "member"}]})
    assert meeting.status_code == 201, meeting.json
    body, content_type = multipart(pdfs.text_pdf(2), "Báo cáo.pdf", {})
    document = client.post(f"/api/v1/meetings/{meeting.json['id']}/documents", data=body, headers=headers,
                           content_type=content_type)
    assert document.status_code == 202, document.json
    event = client.post("/api/v1/events", headers=headers, json={
        "title": "Làm việc với Vụ Pháp chế", "start": "2026-12-04T14:00", "end": "2026-12-04T16:00",
        "leader_ids": [chair.id], "status": "published"})
    assert event.status_code == 201, event.json
    consultation = client.post("/api/v1/consultations", headers=headers, json={
        "title": "Xin ý kiến dự thảo", "deadline": "2100-12-04T17:00", "user_ids": [chair.id],
        "questions": [{"kind": "choice", "text": "Đồng ý?", "options": ["Đồng ý", "Không đồng ý"]}]})
    assert consultation.status_code == 201, consultation.json
    assert client.post(f"/api/v1/consultations/{consultation.json['id']}/send", headers=headers).status_code == 200
    return token


def _document() -> dict:
    """The document as the app serves it, read once at collection: the operations become the test's cases."""
    app = create_app(app_config("sqlite://", Path(tempfile.gettempdir())))
    return app.test_client().get("/api/v1/openapi.json").json


schema = schemathesis.openapi.from_dict(_document(), config=SchemathesisConfig.from_dict({
    "seed": 16, "generation": {"max-examples": MAX_EXAMPLES, "deterministic": True}}))


SIGNED_IN: dict = {}  # the current database's secretary token, set by the fixture below


@schema.auth(refresh_interval=None)
class SecretaryToken:
    """Through Schemathesis' auth, not fixed headers, so that its cases without a token stay without one."""

    def get(self, case, context):
        return SIGNED_IN.get("token")  # None while the cases are built at collection

    def set(self, case, token, context):
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {token}"}


@pytest.fixture
def signed_in(secretary_token):
    SIGNED_IN["token"] = secretary_token
    yield
    SIGNED_IN.clear()


# A schema cannot say which ids exist, how many pages a document has or that the end comes after the
# start. For these fields only, a 422 to a schema-valid request is the right answer (and for the error
# codes listed, such as "415 not_pdf" for bytes that are not a PDF); any other refusal of a schema-valid
# request fails the test. (The start of GET events, a meeting's status, a template's name and empty_pdf
# were found by a run with SCHEMATHESIS_MAX_EXAMPLES=60.)
EXISTING = "must name an existing (active) object, or one of this meeting's"
AFTER_START = "must come after the start (a cross-field rule)"
UNIQUE = "not already taken by another one"
ENTRY = {"leader_ids": EXISTING, "participant_ids": EXISTING, "participant_unit_ids": EXISTING,
         "room_id": EXISTING, "chair_id": "must be one of leader_ids", "end": AFTER_START,
         "rrule": "a recurrence rule the server can expand"}
UPLOAD = {"not_pdf": "the bytes must be a PDF or an office file (Word, Excel, PowerPoint, OpenDocument)",
          "broken_office": "an office container (ZIP, OLE2) named as an office file must be readable",
          "conversion_failed": "an office file LibreOffice can open",
          "empty_pdf": "the file must have at least one page",
          "agenda_item_id": EXISTING, "reader_ids": EXISTING}
PERIOD = {"to": "after `from` and at most 400 days from it (a cross-field rule)"}
TASK = {"due": "today or later, in the office's time zone", "unit_id": EXISTING,
        "title": "at least one visible character (control characters are dropped, then it may be empty)", "assignee_id": EXISTING,
        "conclusion_id": EXISTING, "meeting_id": EXISTING, "leader_id": EXISTING, "cooperating_unit_ids": EXISTING}
AGENDA = {"presenter_id": EXISTING, "presenter_unit_id": EXISTING,
          "parent_id": "a top-level item of the same meeting, one level deep"}
BEYOND_THE_SCHEMA: dict[str, dict[str, str]] = {
    "GET /api/v1/events": {"end": "after the start, at most 400 days later (a cross-field rule)",
                           "start": "given together with end (a cross-parameter rule)"},
    "PATCH /api/v1/meetings/{meeting_id}": {"status": "a published meeting cannot go back to draft (its state)"},
    "POST /api/v1/meetings/{meeting_id}/template": {"name": UNIQUE},
    "POST /api/v1/events": ENTRY,
    "PATCH /api/v1/events/{event_id}": ENTRY,
    "PATCH /api/v1/events/{event_id}/occurrences/{original_start}": {"end": AFTER_START},
    "POST /api/v1/meetings": {**ENTRY, "participants": EXISTING, "unit_ids": EXISTING, "template_id": EXISTING,
                              "copy_from": EXISTING},
    "POST /api/v1/meetings/{meeting_id}/participants": {"participants": EXISTING, "user_ids": EXISTING,
                                                        "unit_ids": EXISTING},
    "POST /api/v1/meetings/{meeting_id}/agenda": AGENDA,
    "PATCH /api/v1/meetings/{meeting_id}/agenda/{item_id}": AGENDA,
    "PUT /api/v1/meetings/{meeting_id}/agenda/order": {"item_ids": "every item of the agenda exactly once"},
    "POST /api/v1/meetings/{meeting_id}/documents": UPLOAD,
    "POST /api/v1/documents/{document_id}/versions": UPLOAD,
    "PATCH /api/v1/documents/{document_id}": UPLOAD,
    "PUT /api/v1/documents/{document_id}/annotations/{annotation_id}": {
        "page": "at most the document's page count", "rects": "inside the page", "paths": "inside the page",
        "rect": "inside the page"},
    "POST /api/v1/meetings/{meeting_id}/conclusions": {"agenda_item_id": EXISTING},
    "GET /api/v1/search": {"cursor": "the next_cursor of an earlier page, not any string"},
    "POST /api/v1/meetings/{meeting_id}/current": {"item_id": EXISTING},
    "POST /api/v1/meetings/{meeting_id}/presenter": {"document_id": EXISTING, "page": "a page of that document"},
    "PUT /api/v1/meetings/{meeting_id}/speaking/order": {"request_ids": "every waiting request exactly once"},
    "POST /api/v1/votes/{vote_id}/ballot": {"choice": "one of the vote's options"},
    "GET /api/v1/reports/tasks.csv": PERIOD,
    "GET /api/v1/tasks": PERIOD,
    "POST /api/v1/tasks": TASK,
    "PATCH /api/v1/tasks/{task_id}": {"due": TASK["due"]},
    "POST /api/v1/consultations": {
        "deadline": "a real date still to come, in the office's time zone", "user_ids": EXISTING + " (and one at least)",
        "unit_ids": EXISTING, "meeting_id": EXISTING, "task_id": EXISTING,
        "questions": "a choice has 2 to 20 different options (a cross-field rule)",
        "recurrence": "an RRULE that dateutil reads, weekly to yearly (a grammar, not a pattern)"},
    "POST /api/v1/consultations/{consultation_id}/documents": UPLOAD,
    "POST /api/v1/consultations/{consultation_id}/answer/file": {**UPLOAD, "for_user_id": EXISTING, "unit_id": EXISTING},
    "POST /api/v1/consultations/{consultation_id}/extend": {"deadline": "a real date after the current deadline"},
    "PUT /api/v1/consultations/{consultation_id}/answer": {
        "answers": "questions of this request, choices among its options; submitted: every choice answered",
        "for_user_id": EXISTING, "unit_id": EXISTING},
    "POST /api/v1/units": {"parent_id": EXISTING, "name": UNIQUE},
    "POST /api/v1/rooms": {"name": UNIQUE},
    "PATCH /api/v1/rooms/{room_id}": {"name": UNIQUE},
    "POST /api/v1/users": {"unit_id": EXISTING, "email": UNIQUE},
    "PATCH /api/v1/users/{user_id}": {"unit_id": EXISTING, "email": UNIQUE},
}


def accepts_valid_data(ctx, response, case):
    """Schemathesis' positive_data_acceptance, less the refusals listed in BEYOND_THE_SCHEMA."""
    allowed = BEYOND_THE_SCHEMA.get(case.operation.label, {})
    if response.status_code in (415, 422) and allowed:
        error = (response.json() or {}).get("error") or {}
        named = set(error.get("fields") or {}) or {error.get("code")}
        if named and named <= allowed.keys():
            return None
    return positive_data_acceptance(ctx, response, case)


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, derandomize=True, deadline=None, database=None,
          suppress_health_check=list(HealthCheck))
def test_every_operation_answers_as_documented(case, api_server, signed_in):
    response = case.call(base_url=api_server.url)
    case.validate_response(response, excluded_checks=[positive_data_acceptance],
                           additional_checks=[accepts_valid_data])


def test_creates_chain_to_reads_and_updates_through_the_documented_links(api_server, signed_in):
    """Schemathesis' stateful run: it follows the links from each create to the operations on what it made."""

    machine = schema.as_state_machine()
    documented = [name for name in dir(machine) if "_201_get_event__GET_api_v1_events_event_id_" in name]
    assert documented, "the create -> read link of /api/v1/events is not a step of the run"

    class Workflow(machine):
        def get_call_kwargs(self, case):
            return {"base_url": api_server.url}

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            case.validate_response(response, excluded_checks=[positive_data_acceptance],
                                   additional_checks=[accepts_valid_data, *(additional_checks or [])],
                                   transport_kwargs=kwargs or None, recorder=getattr(self, "recorder", None))

    run_state_machine_as_test(Workflow, settings=settings(
        max_examples=max(2, MAX_EXAMPLES // 2), stateful_step_count=6,  # scenarios of up to 6 calls
        derandomize=True, deadline=None, database=None, suppress_health_check=list(HealthCheck)))
