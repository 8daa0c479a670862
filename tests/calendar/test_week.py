"""The weekly schedule: publishing, revisions, changes since a revision, the printed week."""
import pymupdf

from meetings.calendar.weeks import parse_week


def test_publishing_a_week_publishes_its_drafts_and_later_changes_raise_the_revision(client, office):
    headers = office.token(office.secretary)
    first = office.book(title="Họp giao ban", status="draft")
    office.book(title="Tuần sau", start="2026-12-09T08:00", end="2026-12-09T09:00", status="draft")
    week = client.post("/api/v1/weeks/2026-W49/publish", headers=headers, json={}).json
    assert (week["status"], week["revision"]) == ("published", 1)
    assert week["published_at"] == "2026-12-02T10:00:00+07:00"
    statuses = {e["title"]: e["status"] for e in client.get(
        "/api/v1/events?start=2026-11-30&end=2026-12-14", headers=headers).json["events"]}
    assert statuses == {"Họp giao ban": "published", "Tuần sau": "draft"}

    client.patch(f"/api/v1/events/{first}", headers=headers, json={"start": "2026-12-02T14:00", "end": "2026-12-02T15:00"})
    office.book(title="Tiếp khách", start="2026-12-04T09:00", end="2026-12-04T10:00")
    assert client.get("/api/v1/weeks/2026-W49", headers=headers).json["revision"] == 3
    assert client.get("/api/v1/weeks/2026-W50", headers=headers).json["revision"] == 0  # not published: no revisions

    changes = client.get("/api/v1/weeks/2026-W49/changes?since=1", headers=headers).json["changes"]
    assert [c["revision"] for c in changes] == [3, 2]
    moved = {f["field"]: (f["old"], f["new"]) for f in changes[1]["entries"][0]["fields"]}
    assert moved["start"] == ("2026-12-02T08:00:00+07:00", "2026-12-02T14:00:00+07:00")


def test_a_conflicting_draft_stops_publication_unless_overridden(client, office):
    headers = office.token(office.secretary)
    office.book(title="Đã công bố")
    office.book(title="Nháp trùng", status="draft")
    refused = client.post("/api/v1/weeks/2026-W49/publish", headers=headers, json={})
    assert refused.status_code == 409 and refused.json["error"]["code"] == "conflict"
    forced = client.post("/api/v1/weeks/2026-W49/publish", headers=headers, json={"allow_conflict": True})
    assert forced.json["revision"] == 1


def test_changes_page_and_public_page_show_the_revision(client, auth, office):
    headers = office.token(office.secretary)
    event_id = office.book(title="Tiếp Đại sứ", visibility="public", status="draft")
    client.post("/api/v1/weeks/2026-W49/publish", headers=headers, json={})
    client.patch(f"/api/v1/events/{event_id}", headers=headers, json={"title": "Tiếp Đại sứ Hà Lan"})
    public = client.get("/schedule/public").get_data(as_text=True)
    assert 'data-revision="2"' in public and "Tiếp Đại sứ Hà Lan" in public
    auth.login(office.member)
    changes = client.get("/schedule/week/2026-W49/changes?since=1").get_data(as_text=True)
    assert "Tiếp Đại sứ Hà Lan" in changes and "Tiếp Đại sứ" in changes


def test_the_printed_week(client, office):
    headers = office.token(office.secretary)
    office.book(title="Họp giao ban", start="2026-11-30T08:00", end="2026-11-30T09:00", preparing_unit="Văn phòng Bộ")
    for day in range(3, 7):  # enough entries for a second page
        for hour in range(7, 18):
            office.book(title=f"Làm việc với đơn vị số {hour}", start=f"2026-12-0{day}T{hour:02d}:00",
                        end=f"2026-12-0{day}T{hour:02d}:30", leaders=[])
    client.post("/api/v1/weeks/2026-W49/publish", headers=headers, json={})
    response = client.get("/schedule/week/2026-W49.pdf", headers=headers)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    document = pymupdf.open(stream=response.data, filetype="pdf")
    first = document[0]
    assert (round(first.rect.width), round(first.rect.height)) == (842, 595)  # A4 landscape
    text = first.get_text()
    for expected in ("BỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG", "Thứ Hai", "Họp giao ban", "Nguyễn Văn", "Văn phòng Bộ"):
        assert expected in text
    assert "49" in text and "30/11" in text
    assert "(chủ trì)" in " ".join(text.split()) and "chair" not in text  # the leader who chairs, in Vietnamese
    assert "1" in text.splitlines()[2] and "10:00 02/12/2026" in text.splitlines()[2]  # revision, last update
    assert document.page_count == 2
    last_line = [line for line in document[1].get_text().splitlines() if line.strip()][-1]
    assert "2" in last_line and "2" in last_line.replace("2", "", 1)  # "Page 2 of 2", in either language
    fonts = {font[3] for page in document for font in page.get_fonts()}
    assert any("Noto" in name for name in fonts)  # embedded, not a base-14 font without Vietnamese


def test_the_printed_week_with_a_session(client, auth, office):
    office.book(title="Họp giao ban")
    auth.login(office.member)
    response = client.get("/schedule/week/2026-W49.pdf")
    assert response.status_code == 200
    assert "Họp giao ban" in pymupdf.open(stream=response.data, filetype="pdf")[0].get_text()


def test_week_navigation_and_date_picker(client, auth, office):
    auth.login(office.member)
    page = client.get("/schedule/week").get_data(as_text=True)  # the fake "now" is in week 49
    assert 'data-week="2026-W49"' in page
    assert 'href="/schedule/week/2026-W48"' in page and 'href="/schedule/week/2026-W50"' in page
    assert client.get("/schedule/week?date=2027-01-01").headers["Location"].endswith("/schedule/week/2026-W53")
    assert client.get("/schedule/week/2026-W99").status_code == 404
    assert parse_week("2027-W01").monday.isoformat() == "2027-01-04"
