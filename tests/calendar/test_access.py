"""Confidential entries never show their content to others, through any door; members cannot
edit; outsiders get 404 or busy blocks."""
import pymupdf
import pytest

SECRET = "Kỷ luật cán bộ Vụ X"


@pytest.fixture
def secret(office):
    """A confidential meeting of the minister with one member of staff taking part."""
    return office.book(title=SECRET, start="2026-12-03T14:00", end="2026-12-03T15:00", visibility="confidential",
                       participant_ids=[office.member.id], room_id=office.room, description="Hồ sơ mật")


def _text(response) -> str:
    return response.get_data(as_text=True)


def test_api_list_gives_others_a_busy_block(client, office, secret):
    events = client.get("/api/v1/events?start=2026-12-03&end=2026-12-04", headers=office.token(office.outsider)).json
    [block] = events["events"]
    assert block["busy"] is True and block["event_id"] == secret
    assert block["start"] == "2026-12-03T14:00:00+07:00"
    assert SECRET not in str(block) and "Hồ sơ mật" not in str(block)
    assert "description" not in block and "participant_ids" not in block


def test_api_get_is_404_for_others_and_full_for_those_taking_part(client, office, secret):
    assert client.get(f"/api/v1/events/{secret}", headers=office.token(office.outsider)).status_code == 404
    for person in (office.member, office.minister, office.secretary):
        assert client.get(f"/api/v1/events/{secret}", headers=office.token(person)).json["title"] == SECRET


def test_search_never_matches_hidden_content(client, office, auth, secret):
    headers = office.token(office.outsider)
    assert client.get("/api/v1/events?start=2026-12-01&end=2026-12-31&q=ky+luat", headers=headers).json == {"events": []}
    auth.login(office.outsider)
    page = client.get("/schedule/search?q=kỷ+luật")
    assert page.status_code == 200 and SECRET not in _text(page)
    member = office.token(office.member)
    assert len(client.get("/api/v1/events?start=2026-12-01&end=2026-12-31&q=ky+luat", headers=member).json["events"]) == 1


@pytest.mark.parametrize("path", ["/schedule/week/2026-W49", "/schedule/leader/{leader}/week/2026-W49",
                                  "/schedule/rooms/week/2026-W49", "/schedule/week/2026-W49/changes?since=0"])
def test_pages_show_busy_not_content(client, auth, office, secret, path):
    auth.login(office.outsider)
    page = client.get(path.format(leader=office.minister.id))
    assert page.status_code == 200
    assert SECRET not in _text(page) and "Hồ sơ mật" not in _text(page)
    auth.logout()
    auth.login(office.member)
    if "changes" not in path:
        assert SECRET in _text(client.get(path.format(leader=office.minister.id)))


def test_entry_page_is_404_for_others(client, auth, office, secret):
    auth.login(office.outsider)
    assert client.get(f"/schedule/events/{secret}").status_code == 404


def test_print_shows_busy_not_content(client, office, secret):
    pdf = client.get("/schedule/week/2026-W49.pdf", headers=office.token(office.outsider))
    assert pdf.status_code == 200
    text = "".join(page.get_text() for page in pymupdf.open(stream=pdf.data, filetype="pdf"))
    assert SECRET not in text
    assert "Bận" in text or "Busy" in text  # "Busy" until the Vietnamese catalogue has it
    pdf = client.get("/schedule/week/2026-W49.pdf", headers=office.token(office.minister))
    assert SECRET in "".join(page.get_text() for page in pymupdf.open(stream=pdf.data, filetype="pdf"))


def test_public_page_shows_only_published_public_entries(client, office, secret):
    office.book(title="Tiếp Đại sứ", start="2026-12-01T09:00", end="2026-12-01T10:00", visibility="public")
    office.book(title="Làm việc nội bộ", start="2026-12-01T14:00", end="2026-12-01T15:00")
    office.book(title="Dự thảo công khai", start="2026-12-04T14:00", end="2026-12-04T15:00", visibility="public",
                status="draft")
    page = _text(client.get("/schedule/public"))
    assert "Tiếp Đại sứ" in page
    for hidden in ("Làm việc nội bộ", "Dự thảo công khai", SECRET, "Bận"):
        assert hidden not in page


def test_drafts_are_invisible_to_staff_not_involved(client, office):
    draft = office.book(title="Dự kiến", status="draft")
    assert client.get("/api/v1/events?start=2026-12-02&end=2026-12-03",
                      headers=office.token(office.outsider)).json == {"events": []}
    assert client.get(f"/api/v1/events/{draft}", headers=office.token(office.outsider)).status_code == 404


def test_a_member_cannot_edit_from_any_door(client, auth, office):
    event_id = office.book()
    headers = office.token(office.member)
    assert client.post("/api/v1/events", headers=headers,
                       json={"title": "X", "start": "2026-12-02T08:00"}).status_code == 403
    assert client.patch(f"/api/v1/events/{event_id}", headers=headers, json={"title": "X"}).status_code == 403
    assert client.post(f"/api/v1/events/{event_id}/cancel", headers=headers, json={}).status_code == 403
    assert client.post("/api/v1/weeks/2026-W49/publish", headers=headers, json={}).status_code == 403
    auth.login(office.member)
    assert client.get("/schedule/events/new").status_code == 403
    assert client.post(f"/schedule/events/{event_id}/cancel").status_code == 403
    assert client.post("/schedule/week/2026-W49/publish").status_code == 403


def test_the_printed_week_needs_a_session_or_a_token(client, office):
    assert client.get("/schedule/week/2026-W49.pdf").status_code == 401
    assert client.get("/schedule/week/2026-W49.pdf", headers={"Authorization": "Bearer nope"}).status_code == 401
