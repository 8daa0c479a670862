"""The doors to search: GET /api/v1/search with exactly the contract's fields, the page grouped by
kind, and the older document and calendar searches answering from the same index."""
import pytest

from meetings.extensions import db
from meetings.search import services
from tests.factories import Factories
from tests.search.world import NOW, add_document


@pytest.fixture
def app(make_app):
    return make_app(MEETINGS_FAKE_NOW=NOW)


@pytest.fixture
def office(app):
    from meetings.directory.models import User
    from meetings.dossiers import services as dossiers

    make = Factories(app)
    secretary, member, outsider = make.user("secretary"), make.user("member"), make.user("member")
    with app.app_context():
        meeting = dossiers.create_meeting(
            {"title": "Họp về chuyển đổi số", "start": "2026-12-03T08:00", "end": "2026-12-03T10:00",
             "status": "published", "participants": [{"user_id": member.id, "role": "member"}]},
            db.session.get(User, secretary.id), NOW).id
        document = add_document(meeting, "Đề án chuyển đổi số", ["Mục tiêu <2030> & lộ trình.", "Chuyển đổi số cấp bộ."])
    return {"secretary": secretary, "member": member, "outsider": outsider, "meeting": meeting,
            "document": document, "tokens": {n: make.token(u) for n, u in
                                             (("member", member), ("outsider", outsider), ("secretary", secretary))}}


def api(client, office, who, **args):
    return client.get("/api/v1/search", query_string=args,
                      headers={"Authorization": f"Bearer {office['tokens'][who]}"})


def test_the_api_answers_with_exactly_the_contracts_fields(client, office):
    response = api(client, office, "member", q="chuyen doi so", kind="document", limit=1)
    assert response.status_code == 200, response.json
    body = response.json
    assert set(body) == {"results", "next_cursor", "total"} and body["total"] == 2
    [hit] = body["results"]
    assert set(hit) == {"kind", "id", "title", "snippet", "url", "meeting_id", "page", "score"}
    assert (hit["kind"], hit["id"], hit["page"], hit["meeting_id"]) == ("document", office["document"], 1,
                                                                         office["meeting"])
    assert hit["url"] == f"/reader/documents/{office['document']}#page=1"
    assert hit["snippet"] == "Mục tiêu &lt;2030&gt; &amp; lộ trình."  # found by its title: the page's start
    more = api(client, office, "member", q="chuyen doi so", kind="document", limit=1, cursor=body["next_cursor"]).json
    assert [h["page"] for h in more["results"]] == [2] and more["next_cursor"] is None
    assert more["results"][0]["snippet"] == "<mark>Chuyển đổi số</mark> cấp bộ."


def test_the_api_gives_nothing_of_a_meeting_to_an_outsider_not_even_a_count(client, office):
    assert api(client, office, "outsider", q="chuyển đổi số", kind="document").json == {
        "results": [], "next_cursor": None, "total": 0}
    # The meeting's calendar entry is internal: everyone signed in sees it in the schedule, so it is found.
    body = api(client, office, "outsider", q="chuyển đổi số").json
    assert [(h["kind"], h["id"]) for h in body["results"]] == [("entry", office["meeting"])] and body["total"] == 1


def test_the_api_says_more_than_when_it_stops_counting(client, office, monkeypatch):
    monkeypatch.setattr(services, "COUNT_BOUND", 1)
    body = api(client, office, "secretary", q="chuyen doi so", limit=1).json
    assert body["total"] == 1 and body["total_is_estimate"] is True and body["next_cursor"]


BAD = [{"q": "x", "kind": "memo"}, {"q": "x", "limit": "0"}, {"q": "x", "limit": "101"},
       {"q": "x", "cursor": "bm90IGEgY3Vyc29y"}, {"q": "x", "cursor": "!!"}, {"q": "x", "from": "2026-13-01"},
       {"q": "x", "from": "9999-12-31"}, {"q": "x", "meeting_id": "99999999999"}, {"q": "x" * 201}]


def test_bad_criteria_are_refused_with_422(client, office):
    answers = {str(args): api(client, office, "member", **args).status_code for args in BAD}
    assert set(answers.values()) == {422}, answers


def test_anonymous_callers_are_asked_to_sign_in(client, office):
    assert client.get("/api/v1/search?q=chuyen").status_code == 401
    assert client.get("/search?q=chuyen").status_code in (302, 303)


def test_the_page_groups_hits_by_kind_with_marked_snippets(app, office):
    browser = app.test_client()
    browser.post("/login", data={"email": office["member"].email, "password": office["member"].password})
    page = browser.get("/search?q=chuyển+đổi+số").get_data(as_text=True)
    assert 'data-kind="document"' in page and 'data-kind="entry"' in page
    assert "<mark>Chuyển đổi số</mark> cấp bộ." in page
    assert "&lt;2030&gt;" in page and "<2030>" not in page
    only = browser.get("/search?q=chuyen+doi+so&kind=document&limit=1").get_data(as_text=True)
    assert 'data-kind="entry"' not in only and "data-next" in only
    assert "Không tìm thấy kết quả nào" in browser.get("/search?q=zzqqxx").get_data(as_text=True)
    assert browser.get("/search?q=x&from=2026-99-01").status_code == 200  # the refusal is on the page


def test_the_older_searches_answer_from_the_same_index(client, office):
    headers = {"Authorization": f"Bearer {office['tokens']['member']}"}
    hits = client.get("/api/v1/documents/search?q=lo trinh", headers=headers).json["hits"]
    assert [(h["document_id"], h["page"]) for h in hits] == [(office["document"], 1)]
    scoped = client.get(f"/api/v1/meetings/{office['meeting']}/search?q=cap bo", headers=headers).json["hits"]
    assert [h["page"] for h in scoped] == [2]
    outsider = {"Authorization": f"Bearer {office['tokens']['outsider']}"}
    assert client.get("/api/v1/documents/search?q=lo trinh", headers=outsider).json["hits"] == []
