"""Signing in on every screen people hold: a phone turned sideways (844x390) and a short browser window
must still show the Sign in button uncovered (the language footer was fixed over it)."""
import os

import pytest

from tests.browser.conftest import sign_in
from tests.factories import Factories

pytestmark = pytest.mark.browser

SCREENS = [{"width": 844, "height": 390}, {"width": 390, "height": 844}, {"width": 1024, "height": 1366},
           {"width": 1180, "height": 820}, {"width": 640, "height": 360}]


def uncovered(page, selector: str) -> bool:
    """Is the element itself what a tap at its centre reaches (nothing fixed on top of it)?"""
    return page.eval_on_selector(selector, """(element) => {
        element.scrollIntoView({block: 'center'});
        const box = element.getBoundingClientRect();
        const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
        return element === hit || element.contains(hit);
    }""")


@pytest.mark.parametrize("screen", SCREENS, ids=lambda s: f"{s['width']}x{s['height']}")
def test_the_sign_in_button_is_reachable_on_every_screen(live_app, live_server, new_context, screen):
    user = Factories(live_app).user("member", name="Trần Thị Thu")
    page = new_context(viewport=screen).new_page()
    page.goto(f"{live_server.url}/login")
    assert uncovered(page, "button[type=submit]")
    assert uncovered(page, ".footer button")  # the language switch stays reachable too
    if os.environ.get("SCREENSHOTS"):  # to look at by eye
        page.screenshot(path=os.path.join(os.environ["SCREENSHOTS"], f"login-{screen['width']}x{screen['height']}.png"))
    sign_in(page, live_server.url, user.email, user.password)
    assert "/login" not in page.url
