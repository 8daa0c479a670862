"""Tablets following the presenter (issue 17): HTTP requests for pages after the first load, while the
presenter turns 20 pages over the live socket. Target: 0 for the pdf.js reader.

Real Chromium followers, many pages of one browser (one user's session, as the requests do not depend
on who reads), each a reader at ?follow=MEETING. Side by side in one run, the same number of followers
of the same 60-page dossier:
- the server's page images (a `screen` document: what every tablet did before pdf.js): each turn
  costs every follower one page image;
- pdf.js (a `download` document): a follower takes the rest of its personal copy once page 1 is up,
  and every turn is drawn from what it holds.
Counted on the server (a WSGI wrapper: it sees the pdf.js worker's requests too), from the moment every
follower has loaded (and, for pdf.js, holds the whole copy) until every follower has drawn the 20th
page; the presenter's own POSTs and the Socket.IO transport are counted apart.

BENCH_FOLLOWERS (default 40) followers; this 2-core machine, shared, cannot run 300 Chromium pages
(each draws every page it is turned to). The followers' screens are 512x683 at scale 1, so that the
drawing, which the count does not depend on, does not swamp the machine.
"""
import logging
import os
import re
import threading
import time

from werkzeug.serving import make_server

from bench.common import bench_app
from bench.reader_pdfjs import CHROMIUM, NOW, Wire, _dossier
from meetings.auth.services import create_token
from meetings.directory.models import User
from meetings.dossiers.models import Document
from meetings.extensions import db

TURNS = 20
FOLLOWER = {"viewport": {"width": 512, "height": 683}, "has_touch": True, "is_mobile": True,
            "device_scale_factor": 1, "locale": "vi-VN", "timezone_id": "Asia/Ho_Chi_Minh"}
PAGES_ASKED = r"^/(api/v1/documents|static|reader)/"
SOCKET = r"^/socket\.io/"
PRESENTER = r"/presenter$"


def main() -> None:
    from playwright.sync_api import sync_playwright

    followers = int(os.environ.get("BENCH_FOLLOWERS", "40"))
    app = bench_app(MEETINGS_FAKE_NOW=NOW)
    with app.app_context():
        docs, email = _dossier()
        secretary = db.session.query(User).filter_by(email="tk@bench.vn").one()
        _row, token = create_token(secretary, "bench", NOW)
        meeting_id = db.session.get(Document, docs["download"]).meeting_id
    for name in ("werkzeug", "meetings.requests", "engineio", "socketio"):
        logging.getLogger(name).setLevel(logging.ERROR)
    wire = Wire(app)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    presenter = app.test_client()
    turns = [2 + (n * 7) % 40 for n in range(TURNS)]  # 20 different pages, back and forth

    def turn(document_id: int, page: int) -> None:
        response = presenter.post(f"/api/v1/meetings/{meeting_id}/presenter",
                                  headers={"Authorization": f"Bearer {token}"},
                                  json={"document_id": document_id, "page": page, "zoom": 1})
        assert response.status_code == 200, response.get_data(as_text=True)

    figures = {}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                                 args=["--no-sandbox", "--disable-gpu", "--renderer-process-limit=8"])
            for access, pdf in (("screen", False), ("download", True)):
                turn(docs[access], 1)
                context = browser.new_context(**FOLLOWER)
                context.set_default_timeout(120_000)
                login = context.new_page()
                login.goto(f"{base}/login")
                login.fill("#email", email)
                login.fill("#password", "mat-khau-dung-1")
                login.locator("button[type=submit]").first.click()
                login.wait_for_url(lambda url: "/login" not in url)
                login.close()  # the home page refreshes its sections on each turn: not a follower's request
                started = time.perf_counter()
                tabs = []
                for _ in range(followers):
                    tab = context.new_page()
                    tab.goto(f"{base}/reader/documents/{docs[access]}?follow={meeting_id}", wait_until="commit")
                    tabs.append(tab)
                _all(tabs, READY_PDF if pdf else READY_IMAGES, 1)
                loaded = time.perf_counter() - started
                since = wire.start()
                browser_asked = []
                context.on("request", lambda r: browser_asked.append(r.url)
                           if not re.search(r"/socket\.io/", r.url) else None)
                started = time.perf_counter()
                for page in turns:
                    turn(docs[access], page)
                    _all(tabs, SHOWN_PDF if pdf else SHOWN_IMAGES, page)
                elapsed = time.perf_counter() - started
                figures[access] = (wire.count(since, PAGES_ASKED), wire.total(since, PAGES_ASKED),
                                   wire.count(since, SOCKET), browser_asked, loaded, elapsed)
                context.close()
            browser.close()
    finally:
        server.shutdown()
    load = os.getloadavg()
    print(f"{followers} Chromium followers (one browser, {FOLLOWER['viewport']['width']}x"
          f"{FOLLOWER['viewport']['height']} at scale 1), {TURNS} presenter page turns over the socket; "
          f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    for access, label in (("screen", "page images"), ("download", "pdf.js")):
        asked, size, socket, seen, loaded, elapsed = figures[access]
        print(f"  {label:<11}: HTTP requests for pages after the first load {asked:5d} ({size / 1024:8.0f} KiB; "
              f"{len(seen)} seen by Chromium{_kinds(seen)}); Socket.IO transport requests {socket}; "
              f"first load {loaded:.1f} s, "
              f"the {TURNS} turns {elapsed:.1f} s")
    asked = figures["download"][0]
    print(f"  pdf.js against images: {asked} against {figures['screen'][0]} requests (target 0)"
          f"{'  OK' if asked == 0 else '  OVER TARGET'}")


def _kinds(urls: list[str]) -> str:
    """What Chromium saw asked, by scheme and path's head (a `data:` URL is no request to the server)."""
    kinds = {}
    for url in urls:
        kind = url.split(":", 1)[0] if not url.startswith("http") else re.sub(r"\d+", "N", url.split("/", 3)[3])[:40]
        kinds[kind] = kinds.get(kind, 0) + 1
    return f": {', '.join(f'{n} {k}' for k, n in sorted(kinds.items()))}" if kinds else ""


READY_PDF = """(n) => { const h = document.querySelector('[data-page-holder]');
    return window.__pdfWhole === true && window.__followedPage === n && h.dataset.drawing === undefined
        && (h.dataset.drawn || '').startsWith(n + ':'); }"""
SHOWN_PDF = """(n) => { const h = document.querySelector('[data-page-holder]');
    return window.__followedPage === n && h.dataset.drawing === undefined
        && (h.dataset.drawn || '').startsWith(n + ':'); }"""
READY_IMAGES = SHOWN_IMAGES = """(n) => { const i = document.querySelector('[data-page-image]');
    return window.__followedPage === n && i.complete && i.naturalWidth > 0
        && new URL(i.src).pathname.endsWith('/pages/' + n); }"""


def _all(tabs, check: str, page: int) -> None:
    """Every follower shows `page`: each waited for in turn (the later ones are there by then)."""
    for tab in tabs:
        tab.wait_for_function(check, arg=page, polling=50)


if __name__ == "__main__":
    main()
