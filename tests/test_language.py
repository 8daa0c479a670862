"""Vietnamese for everyone, whatever the browser asks, until someone chooses English; and no English
word left on the main pages seen in Vietnamese from a browser set to English."""
import re
from html.parser import HTMLParser

import pytest

from meetings import create_app
from meetings.extensions import db
from tests import demo_world
from tests.conftest import app_config, clean_tables

ENGLISH_BROWSER = {"Accept-Language": "en-US,en;q=0.9"}
# Words that are a leak wherever they show in Vietnamese (whole words, any case). Not in the list:
# words that are also Vietnamese (in, to, do, ban, sao, menu) and keys named in hints (Tab, Enter).
ENGLISH_WORDS = ["draft", "internal", "confidential", "published", "cancelled", "status", "start", "end",
                 "chair", "created", "title", "meeting", "meetings", "document", "documents", "page", "pages",
                 "save", "cancel", "delete", "edit", "search", "notifications", "settings", "schedule", "week",
                 "today", "tomorrow", "agenda", "vote", "yes", "submit", "back", "next", "previous", "upload",
                 "participants", "leaders", "room", "task", "tasks", "due", "unread", "loading", "sign", "password",
                 "live", "member", "secretary", "leader", "open", "closed", "none", "home", "reader", "notes"]
LEAK = re.compile(r"\b(" + "|".join(ENGLISH_WORDS) + r")\b", re.IGNORECASE)
URLISH = re.compile(r"\S*(?:/|@|\.ics|\.pdf)\S*")  # addresses and file names are not prose
# (who, path): the main pages, each as the person who uses it.
PAGES = [
    (None, "/login"), (None, "/schedule/public"),
    ("admin", "/"), ("secretary", "/"), ("leader", "/"), ("member", "/"),
    ("secretary", "/schedule/week"), ("secretary", "/schedule/events/new"), ("secretary", "/schedule/events/{event}"),
    ("secretary", "/schedule/events/{moved}"), ("secretary", "/schedule/week/2026-W49/changes?since=1"),
    ("secretary", "/meetings/{meeting}"), ("secretary", "/meetings/{meeting}/live"),
    ("leader", "/schedule/week"), ("leader", "/meetings/{meeting}"), ("leader", "/meetings/{meeting}/live"),
    ("meeting member", "/meetings/{meeting}"), ("meeting member", "/reader/documents/{document}"),
    ("meeting member", "/meetings/{meeting}/live"),
    ("member", "/tasks/"), ("leader", "/tasks/"), ("secretary", "/tasks/"),
    ("member", "/notifications"), ("leader", "/notifications"), ("member", "/profile"), ("member", "/schedule/mine"),
    ("secretary", "/consultations"), ("secretary", "/consultations/new"), ("secretary", "/consultations/{consultation}"),
    ("leader", "/consultations/{consultation}"), ("meeting member", "/consultations/{consultation}"),
]
HUMAN_ATTRIBUTES = {"aria-label", "title", "placeholder", "alt"}


class VisibleText(HTMLParser):
    """The text people see or hear: element text and human-facing attributes; no scripts, no styles."""

    def __init__(self):
        super().__init__()
        self.skipping = 0
        self.parts = []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skipping += 1
        self.parts += [value for name, value in attrs
                       if value and (name in HUMAN_ATTRIBUTES or name.startswith("data-label"))]

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.skipping -= 1

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return URLISH.sub(" ", " ".join(parser.parts))


@pytest.fixture(scope="module")
def office(database_url, tmp_path_factory):
    app = create_app(app_config(database_url, tmp_path_factory.mktemp("language"), MEETINGS_FAKE_NOW=demo_world.NOW))
    world = demo_world.load(app)
    yield app, world
    with app.app_context():
        db.session.remove()
        clean_tables()
        db.engine.dispose()


def signed_in(app, who):
    client = app.test_client()
    if who:
        response = client.post("/login", data={"email": demo_world.EMAILS[who], "password": demo_world.PASSWORD},
                               headers=ENGLISH_BROWSER)
        assert response.status_code == 302, who
    return client


def test_the_main_pages_speak_vietnamese_to_an_english_browser(office):
    app, world = office
    clients, leaks = {}, []
    for who, path in PAGES:
        client = clients.setdefault(who, signed_in(app, who))
        response = client.get(world.url(path), headers=ENGLISH_BROWSER)
        assert response.status_code == 200, (who, path, response.status_code)
        html = response.get_data(as_text=True)
        assert '<html lang="vi">' in html, (who, path)
        text = visible_text(html)
        for match in LEAK.finditer(text):
            around = " ".join(text[max(0, match.start() - 40):match.end() + 40].split())
            leaks.append(f"{who or 'anonymous'} {path}: {match.group()!r} in …{around}…")
    assert not leaks, "English words on Vietnamese pages:\n" + "\n".join(sorted(set(leaks)))


def test_english_only_by_choice_remembered_on_the_profile(office):
    app, _world = office
    client = signed_in(app, "member")
    assert 'lang="vi"' in client.get("/", headers=ENGLISH_BROWSER).get_data(as_text=True)
    client.post("/language", data={"locale": "en", "next": "/"}, headers=ENGLISH_BROWSER)
    assert 'lang="en"' in client.get("/").get_data(as_text=True)
    # Another device, with a Vietnamese browser: the profile's choice follows the person.
    other = app.test_client()
    other.post("/login", data={"email": demo_world.EMAILS["member"], "password": demo_world.PASSWORD},
               headers={"Accept-Language": "vi"})
    assert 'lang="en"' in other.get("/", headers={"Accept-Language": "vi"}).get_data(as_text=True)
    client.post("/language", data={"locale": "vi", "next": "/"})
    assert 'lang="vi"' in other.get("/", headers=ENGLISH_BROWSER).get_data(as_text=True)


def test_an_anonymous_visitors_choice_is_kept_in_a_cookie(office):
    app, _world = office
    client = app.test_client()
    assert 'lang="vi"' in client.get("/login", headers=ENGLISH_BROWSER).get_data(as_text=True)
    response = client.post("/language", data={"locale": "en", "next": "/login"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/login")
    cookie = client.get_cookie("lang")
    assert cookie is not None and cookie.value == "en" and cookie.http_only and cookie.expires is not None
    assert 'lang="en"' in client.get("/schedule/public").get_data(as_text=True)
    client.post("/language", data={"locale": "xx", "next": "/login"})  # an unknown language changes nothing
    assert client.get_cookie("lang").value == "en"
    client.post("/language", data={"locale": "vi", "next": "/login"})
    assert 'lang="vi"' in client.get("/login", headers=ENGLISH_BROWSER).get_data(as_text=True)


def test_a_signed_in_user_who_never_chose_gets_vietnamese_whatever_the_browser(office):
    app, _world = office
    client = signed_in(app, "secretary")
    for header in (ENGLISH_BROWSER, {"Accept-Language": "en"}, {}):
        assert 'lang="vi"' in client.get("/", headers=header).get_data(as_text=True)
