"""Search folds Vietnamese diacritics and đ/Đ with the app's one folding function."""
import pytest


@pytest.fixture
def entries(office):
    office.book(title="Họp giao ban", start="2026-12-01T08:00", end="2026-12-01T09:00", room_id=office.room,
                preparing_unit="Văn phòng Bộ")
    office.book(title="Đối thoại với doanh nghiệp", start="2026-12-02T14:00", end="2026-12-02T15:00",
                leaders=[office.deputy])
    office.book(title="Hội nghị tổng kết", start="2026-12-03T08:00", end="2026-12-03T11:00", status="draft")


@pytest.mark.parametrize("q", ["hop giao ban", "HỌP GIAO BAN", "Họp giao ban", "giao  HOP"])
def test_words_match_with_or_without_diacritics(client, office, entries, q):
    found = client.get("/api/v1/events", query_string={"start": "2026-11-01", "end": "2027-01-01", "q": q},
                       headers=office.token(office.member)).json["events"]
    assert [e["title"] for e in found] == ["Họp giao ban"]


def test_d_with_stroke_folds_to_d(client, office, entries):
    found = client.get("/api/v1/events", query_string={"start": "2026-11-01", "end": "2027-01-01", "q": "doi thoai"},
                       headers=office.token(office.member)).json["events"]
    assert [e["title"] for e in found] == ["Đối thoại với doanh nghiệp"]


def test_search_page_by_words_leader_room_unit_and_dates(client, auth, office, entries):
    auth.login(office.secretary)
    page = client.get("/schedule/search", query_string={"q": "HOP GIAO BAN"}).get_data(as_text=True)
    assert "Họp giao ban" in page and "Đối thoại" not in page
    page = client.get("/schedule/search", query_string={"leader_id": office.deputy.id}).get_data(as_text=True)
    assert "Đối thoại" in page and "Họp giao ban" not in page
    page = client.get("/schedule/search", query_string={"room_id": office.room}).get_data(as_text=True)
    assert "Họp giao ban" in page and "Đối thoại" not in page
    page = client.get("/schedule/search", query_string={"q": "van phong bo"}).get_data(as_text=True)
    assert "Họp giao ban" in page
    page = client.get("/schedule/search", query_string={"q": "ho", "from": "2026-12-03", "to": "2026-12-31"})
    assert "Họp giao ban" not in page.get_data(as_text=True)  # 1 December is before the range
    assert "Hội nghị tổng kết" in page.get_data(as_text=True)  # a draft, seen by the secretary
