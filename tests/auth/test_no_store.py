"""Every response that carries a credential (a new API token, feed addresses) says
Cache-Control: no-store; pages and API answers without one keep their usual caching."""
import re


def no_store(response) -> bool:
    return response.headers.get("Cache-Control") == "no-store"


def test_the_page_that_shows_a_new_token_once_is_not_stored(client, factories, auth):
    auth.login(factories.user())
    response = client.post("/profile/tokens", data={"name": "Đồng bộ lịch"})
    assert re.search(r'value="mtg_', response.get_data(as_text=True)) and no_store(response)


def test_the_profile_with_its_feed_addresses_is_not_stored(client, factories, auth):
    auth.login(factories.user())
    response = client.get("/profile")
    assert "/feeds/" in response.get_data(as_text=True) and no_store(response)


def test_the_feed_api_is_not_stored(client, factories):
    user = factories.user()
    headers = {"Authorization": f"Bearer {factories.token(user)}"}
    listed = client.get("/api/v1/me/feeds", headers=headers)
    assert listed.status_code == 200 and no_store(listed)
    rotated = client.post("/api/v1/me/feeds/personal/rotate", headers=headers)
    assert rotated.status_code == 200 and no_store(rotated)


def test_responses_without_a_secret_are_not_marked(client, factories):
    user = factories.user()
    response = client.get("/api/v1/users/me", headers={"Authorization": f"Bearer {factories.token(user)}"})
    assert not no_store(response)
    assert not no_store(client.get("/feeds/public.ics"))
