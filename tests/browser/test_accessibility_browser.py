"""axe-core on the main pages, each as the person who uses it, from a browser set to English; and the
language journey: Vietnamese until someone chooses English, and the choice kept.

axe-core comes from npm (a devDependency) and is injected into each page; a violation of impact
"serious" or "critical" fails with the page, the rule, and the elements. To cover a new screen, add a
row to PAGES.
"""
from dataclasses import dataclass
from pathlib import Path

import pytest

from meetings import create_app
from tests import demo_world
from tests.browser.conftest import sign_in
from tests.conftest import app_config, require_or_skip, served
from tests.test_language import LEAK, URLISH

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")
# Rules that fail whatever their impact: a role an element may not have ("minor" for axe) misleads
# screen readers all the same (header.reader-bar was a toolbar).
ALWAYS_BLOCKING = {"aria-allowed-role"}
# Off by default in axe (experimental), on here: the bell's name once left out its visible count.
OPTIONS = {"resultTypes": ["violations"], "rules": {"label-content-name-mismatch": {"enabled": True}}}
ENGLISH = {"locale": "en-US"}  # the browser asks for English; the office speaks Vietnamese
# Our Content-Security-Policy refuses inline scripts, which is how add_script_tag injects axe.
INJECTABLE = {"bypass_csp": True}
PHONE = {"viewport": {"width": 390, "height": 844}}
LIVE_READY = "() => window.__liveVersion > 0"
READER_READY = "() => window.__readerReady === true"


@dataclass
class Screen:
    name: str
    who: str | None  # a key of demo_world.EMAILS; None: not signed in
    path: str
    ready: str | None = None  # a JS condition the page meets once its scripts have drawn it
    device: dict | None = None


PAGES = [
    Screen("sign-in", None, "/login"),
    Screen("home (admin)", "admin", "/"),
    Screen("home (secretary)", "secretary", "/"),
    Screen("home (leader)", "leader", "/"),
    Screen("home (member)", "member", "/"),
    Screen("week table", "secretary", "/schedule/week"),
    Screen("entry form", "secretary", "/schedule/events/new"),
    Screen("meeting page (secretary)", "secretary", "/meetings/{meeting}"),
    Screen("meeting page (member)", "meeting member", "/meetings/{meeting}"),
    Screen("reader", "meeting member", "/reader/documents/{document}", READER_READY),
    Screen("live room (member)", "meeting member", "/meetings/{meeting}/live", LIVE_READY),
    Screen("live room (chair)", "leader", "/meetings/{meeting}/live", LIVE_READY),
    Screen("public schedule (phone)", None, "/schedule/public", device=PHONE),
    Screen("notifications", "member", "/notifications"),
    Screen("offline page", "member", "/offline"),
    Screen("search (secretary)", "secretary", "/search?q=họp"),
    Screen("written opinions (secretary)", "secretary", "/consultations/{consultation}"),
    Screen("written opinions: new request", "secretary", "/consultations/new"),
    Screen("written opinions (leader, phone)", "leader", "/consultations/{consultation}", device=PHONE),
    Screen("written opinions list (leader)", "leader", "/consultations"),
    Screen("periodic report by unit and period (secretary)", "secretary", "/consultations/{periodic}/rounds"),
    Screen("periodic report (secretary)", "secretary", "/consultations/{periodic}"),
]


@pytest.fixture(scope="module")
def office(database_url, tmp_path_factory):
    """The demo office served to the browser (CSRF on, as in production)."""
    if not AXE.exists():
        require_or_skip(f"{AXE} is missing (npm ci installs axe-core)")
    app = create_app(app_config(database_url, tmp_path_factory.mktemp("axe"), WTF_CSRF_ENABLED=True,
                                MEETINGS_FAKE_NOW=demo_world.NOW))
    world = demo_world.load(app)
    with served(app) as (_server, url):
        yield url, world


def blocking_violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate("async (options) => (await axe.run(document, options)).violations", OPTIONS)
    lines = []
    for v in violations:
        if v["impact"] in BLOCKING or v["id"] in ALWAYS_BLOCKING:
            for node in v["nodes"]:
                summary = " ".join((node.get("failureSummary") or "").split())
                lines.append(f"  {v['impact']} {v['id']} ({v['help']}): {' '.join(node['target'])}\n      {summary}")
    return lines


def english_words(page) -> list[str]:
    text = URLISH.sub(" ", page.evaluate("() => document.body.innerText"))
    return sorted({m.group() for m in LEAK.finditer(text)})


def test_no_serious_accessibility_violation_and_no_english_on_the_main_pages(office, new_context):
    base, world = office
    pages, failures = {}, []
    for screen in PAGES:
        key = (screen.who, str(screen.device))
        if key not in pages:
            pages[key] = new_context(**ENGLISH, **INJECTABLE, **(screen.device or {})).new_page()
            if screen.who:
                sign_in(pages[key], base, demo_world.EMAILS[screen.who], demo_world.PASSWORD)
        page = pages[key]
        page.goto(base + world.url(screen.path))
        if screen.ready:
            page.wait_for_function(screen.ready)
        found = blocking_violations(page)
        if found:
            failures.append(f"{screen.name} ({screen.path}):\n" + "\n".join(found))
        leaks = english_words(page)
        if leaks:
            failures.append(f"{screen.name} ({screen.path}): English words on screen: {', '.join(leaks)}")
    assert not failures, "\n".join(failures)


def test_vietnamese_first_and_english_by_choice_in_the_browser(office, new_context):
    base, _world = office
    page = new_context(**ENGLISH).new_page()
    page.goto(f"{base}/login")
    assert page.locator("html").get_attribute("lang") == "vi"
    # Chosen before signing in: kept on the device, for the sign-in page itself.
    page.get_by_role("button", name="English").tap()
    page.wait_for_function("() => document.documentElement.lang === 'en'")
    page.reload()
    assert page.locator("html").get_attribute("lang") == "en"
    page.get_by_role("button", name="Tiếng Việt").tap()
    page.wait_for_function("() => document.documentElement.lang === 'vi'")
    # Chosen when signed in: kept on the profile, so it follows the person to another device.
    sign_in(page, base, demo_world.EMAILS["member"], demo_world.PASSWORD)
    assert page.locator("html").get_attribute("lang") == "vi"
    page.get_by_role("button", name="English").tap()
    page.wait_for_function("() => document.documentElement.lang === 'en'")
    other = new_context(locale="vi-VN").new_page()
    sign_in(other, base, demo_world.EMAILS["member"], demo_world.PASSWORD)
    assert other.locator("html").get_attribute("lang") == "en"
    other.get_by_role("button", name="Tiếng Việt").tap()
    other.wait_for_function("() => document.documentElement.lang === 'vi'")
    page.reload()
    assert page.locator("html").get_attribute("lang") == "vi"
