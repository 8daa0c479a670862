"""Feed URLs over HTTP: secret tokens (hashed, rotatable, revocable), caching with ETag and 304,
the public feed, the API's list, busy blocks for confidential entries, and the profile page."""
import hashlib

from sqlalchemy import select

from meetings.calendar import services
from meetings.directory import services as directory
from meetings.extensions import db
from meetings.feeds import cache
from meetings.feeds.models import FeedToken
from tests.calendar.conftest import NOW


def feeds(client, office, user) -> dict:
    response = client.get("/api/v1/me/feeds", headers=office.token(user))
    assert response.status_code == 200
    return response.json


def path(url: str) -> str:
    return url.removeprefix("http://localhost")


def test_unchanged_feed_is_byte_identical_and_revalidates_with_304(app, client, office):
    event_id = office.book("Họp giao ban", participant_ids=[office.member.id])
    url = path(feeds(client, office, office.member)["personal"]["url"])
    first = client.get(url)
    assert first.status_code == 200
    assert first.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert "no-cache" in first.headers["Cache-Control"] and "private" in first.headers["Cache-Control"]
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    builds = cache.stats["builds"]
    second = client.get(url)
    assert second.data == first.data and second.headers["ETag"] == etag
    assert cache.stats["builds"] == builds  # served from the cache, not rebuilt
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    not_modified = client.get(url, headers={"If-Modified-Since": modified})
    assert not_modified.status_code == 304 and not_modified.data == b""
    head = client.head(url)
    assert head.status_code == 200 and head.data == b"" and head.headers["ETag"] == etag

    with app.app_context():
        services.update_event(event_id, {"start": "2026-12-02T14:00", "end": "2026-12-02T15:00"},
                              directory.get_user(office.secretary.id), NOW)
    changed = client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert cache.stats["builds"] == builds + 1
    assert b"SEQUENCE:1" in changed.data and b"DTSTART;TZID=Asia/Ho_Chi_Minh:20261202T140000" in changed.data


def test_tokens_are_long_stored_hashed_and_a_rotated_one_is_gone(app, client, office):
    before = feeds(client, office, office.member)["personal"]
    token = before["url"].rsplit("/", 1)[1].removesuffix(".ics")
    assert len(token) >= 22  # 128 bits in URL-safe base64
    assert before["webcal"] == "webcal://" + before["url"].removeprefix("http://")
    with app.app_context():
        row = db.session.scalar(select(FeedToken).where(FeedToken.user_id == office.member.id,
                                                        FeedToken.kind == "personal"))
        assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
        assert token not in (row.nonce, row.token_hash)
    assert client.get(path(before["url"])).status_code == 200
    assert feeds(client, office, office.member)["personal"] == before  # the same URL on every visit
    assert before["revoked"] is False

    rotated = client.post("/api/v1/me/feeds/personal/rotate", headers=office.token(office.member))
    assert rotated.status_code == 200 and set(rotated.json) == {"url", "webcal"}
    assert rotated.json["url"] != before["url"]
    assert client.get(path(before["url"])).status_code == 404
    assert client.get(path(rotated.json["url"])).status_code == 200
    assert client.get("/feeds/not-a-real-token-at-all-0000000.ics").status_code == 404

    assert feeds(client, office, office.member)["personal"]["revoked"] is False
    assert client.post("/api/v1/me/feeds/personal/revoke", headers=office.token(office.member)).status_code == 204
    assert client.get(path(rotated.json["url"])).status_code == 404
    assert feeds(client, office, office.member)["personal"]["revoked"] is True  # marked, until rotated
    assert client.post("/api/v1/me/feeds/room-1/rotate", headers=office.token(office.member)).status_code == 404


def test_each_user_gets_the_feeds_they_may_have(client, office):
    mine = feeds(client, office, office.member)
    assert set(mine) == {"personal", f"unit-{office.member.unit_id}"}
    leader = feeds(client, office, office.minister)
    assert set(leader) == {"personal", f"leader-{office.minister.id}"}
    secretary = feeds(client, office, office.secretary)
    assert {f"leader-{office.minister.id}", f"leader-{office.deputy.id}", f"room-{office.room}",
            f"room-{office.other_room}"} <= set(secretary)
    assert secretary[f"room-{office.room}"]["name"] == "Phòng họp số 1"
    assert client.get("/api/v1/me/feeds").status_code == 401


def test_a_confidential_entry_is_a_busy_block_for_an_outsider(client, office):
    office.book("Làm việc về nhân sự cấp cao", visibility="confidential", preparing_unit="Vụ Pháp chế",
                leaders=[office.deputy])
    unit_feed = client.get(path(feeds(client, office, office.member)[f"unit-{office.member.unit_id}"]["url"]))
    text = unit_feed.data.decode()
    assert "SUMMARY:Bận" in text and "CLASS:CONFIDENTIAL" in text
    assert "nhân sự" not in text and "DESCRIPTION" not in text and "ATTENDEE" not in text
    leader_feed = client.get(path(feeds(client, office, office.deputy)[f"leader-{office.deputy.id}"]["url"]))
    assert "SUMMARY:Làm việc về nhân sự cấp cao" in leader_feed.data.decode()


def test_the_public_feed_needs_no_token_and_shows_only_public_entries(client, office):
    office.book("Tiếp công dân định kỳ", visibility="public")
    office.book("Họp nội bộ", "2026-12-03T08:00", "2026-12-03T09:00", visibility="internal")
    office.book("Dự thảo công khai", "2026-12-04T08:00", "2026-12-04T09:00", visibility="public", status="draft")
    response = client.get("/feeds/public.ics")
    assert response.status_code == 200 and "public" in response.headers["Cache-Control"]
    text = response.data.decode()
    assert "Tiếp công dân định kỳ" in text and "Họp nội bộ" not in text and "Dự thảo" not in text
    assert client.get("/feeds/public.ics", headers={"If-None-Match": response.headers["ETag"]}).status_code == 304


def test_the_profile_page_lists_each_feed_with_webcal_link_and_qr_code(client, office, auth):
    auth.login(office.secretary)
    page = client.get("/profile").get_data(as_text=True)
    assert 'id="feeds"' in page and "webcal://localhost/feeds/" in page
    assert page.count("<svg") >= 4 and 'class="segno"' in page
    assert "data-copy=\"#feed-personal\"" in page
    personal = feeds(client, office, office.secretary)["personal"]
    assert client.post("/feeds/manage/personal/rotate").status_code == 302
    assert client.get(path(personal["url"])).status_code == 404


def test_a_change_elsewhere_rebuilds_nothing_and_a_change_in_the_feed_shows_on_the_next_poll(app, client, office):
    mine = office.book("Họp giao ban", participant_ids=[office.member.id])
    other = office.book("Tiếp khách", "2026-12-03T08:00", "2026-12-03T09:00", leaders=[office.deputy])
    url = path(feeds(client, office, office.member)["personal"]["url"])
    etag = client.get(url).headers["ETag"]
    builds = cache.stats["builds"]
    actor = office.secretary
    with app.app_context():
        services.update_event(other, {"location": "Phòng khách tầng 2"}, directory.get_user(actor.id), NOW)
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    assert cache.stats["builds"] == builds  # the calendar moved, this feed's fingerprint did not
    with app.app_context():
        services.update_event(mine, {"location": "Phòng họp tầng 5"}, directory.get_user(actor.id), NOW)
    changed = client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and "Phòng họp tầng 5" in changed.data.decode()
    assert client.get(url, headers={"If-None-Match": changed.headers["ETag"]}).status_code == 304
