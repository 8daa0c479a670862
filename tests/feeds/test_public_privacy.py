"""The public feed and the public page carry leaders' names (and titles), never e-mail addresses;
the personal feed keeps its ATTENDEE lines."""
from tests.feeds.test_feed_http import feeds, path


def test_the_public_feed_names_the_leaders_without_their_addresses(app, client, office):
    office.book("Tiếp công dân định kỳ", visibility="public", leaders=[office.minister, office.deputy],
                participant_ids=[office.member.id])
    body = client.get("/feeds/public.ics").get_data(as_text=True)
    unfolded = body.replace("\r\n ", "")
    assert "Tiếp công dân định kỳ" in unfolded
    for person in (office.minister, office.deputy, office.member, office.secretary):
        assert person.email not in unfolded
    assert "mailto:" not in unfolded and "ATTENDEE" not in unfolded
    assert office.minister.name in unfolded and office.deputy.name in unfolded  # in DESCRIPTION


def test_the_personal_feed_still_lists_attendees_after_the_public_one_was_built(app, client, office):
    office.book("Tiếp công dân định kỳ", visibility="public", participant_ids=[office.member.id])
    client.get("/feeds/public.ics")  # the same entry serialised for the public feed first: cached apart
    url = path(feeds(client, office, office.member)["personal"]["url"])
    personal = client.get(url).get_data(as_text=True).replace("\r\n ", "")
    assert f"mailto:{office.minister.email}" in personal and "ATTENDEE" in personal


def test_the_public_page_shows_names_and_titles_only(app, client, office):
    office.book("Tiếp công dân định kỳ", visibility="public", leaders=[office.minister])
    page = client.get("/schedule/public").get_data(as_text=True)
    assert office.minister.name in page and "Bộ trưởng" in page
    assert office.minister.email not in page and "mailto:" not in page
