"""Tablets following the presenter (issue 17): HTTP requests for pages after the first load, while the
presenter turns 20 pages over the live socket. Target: 0 for the pdf.js reader, with 300 followers.

Real Chromium followers, each a reader page at ?follow=MEETING that draws every page it is turned to,
of the same 60-page dossier, side by side in one run:
- the server's page images (a `screen` document: what every tablet did before pdf.js): each turn
  costs every follower one page image;
- pdf.js (a `download` document): a follower takes the rest of its personal copy once page 1 is up,
  and every turn is drawn from what it holds.
Counted on the server (a WSGI wrapper: it sees the pdf.js worker's requests too), from the moment every
follower has loaded (and, for pdf.js, holds the whole copy) until every follower has drawn the 20th
page; the presenter's own POSTs and the Socket.IO transport are counted apart (a socket that drops and
comes back shows there).

What makes 300 Chromium pages fit a 2-core machine (none of it changes what is counted):
- one browser; the followers in browser contexts of FOLLOWERS_PER_CONTEXT pages, each signed in once,
  each with its own cookie jar and socket pools, as tablets have theirs (one context for all would
  share six HTTP/1.1 connections to the host among 300 page loads, and one pool among 300 sockets);
- --process-per-site: the pages of a context share its renderer processes (one main thread and one heap
  for many pages; Chromium never puts two contexts' pages in one process): 12 renderer processes for
  300 followers instead of 306 (--renderer-process-limit alone left one process a page), a third less
  memory and a tenth of the load average; --disable-gpu (software drawing, no GPU process work),
  --disable-dev-shm-usage (Playwright sets it too);
- small screens: 320x427 at scale 1 (the count does not depend on the size, the drawing does);
- loaded in batches of LOAD_BATCH, each waited for before the next (the first load is not what is
  measured; what is measured starts once all are loaded).
Each follower's pdf.js runs as in the product (its own module worker, the reader's own options).

BENCH_FOLLOWERS (default 300) pdf.js followers; BENCH_SCREEN_FOLLOWERS (default: as many) page-image
followers, 0 to leave that side out. Memory (MemTotal - MemAvailable) and the load average are sampled
every half second; the run stops if MemAvailable falls under BENCH_MIN_AVAILABLE_MIB (default 3072:
this machine has no swap, so the kernel would kill processes instead).
"""
import logging
import os
import re
import threading
import time

from werkzeug.serving import make_server

from bench.common import bench_app
from bench.reader_pdfjs import CHROMIUM, NOW, PASSWORD, Wire, _dossier
from meetings.auth.services import create_token
from meetings.directory.models import User
from meetings.dossiers.models import Document
from meetings.extensions import db

TURNS = 20
FOLLOWER = {"viewport": {"width": 320, "height": 427}, "has_touch": True, "is_mobile": True,
            "device_scale_factor": 1, "locale": "vi-VN", "timezone_id": "Asia/Ho_Chi_Minh"}
FOLLOWERS_PER_CONTEXT = int(os.environ.get("BENCH_FOLLOWERS_PER_CONTEXT", "50"))
RENDERERS = 8
CHROMIUM_ARGS = os.environ.get("BENCH_CHROMIUM_ARGS", "").split()  # more switches to try
LOAD_BATCH = int(os.environ.get("BENCH_LOAD_BATCH", "25"))
PAGES_ASKED = r"^/(api/v1/documents|static|reader)/"
SOCKET = r"^/socket\.io/"


class Stop(RuntimeError):
    """The machine ran low on memory: the run is stopped before the kernel has to kill anything."""


class Machine(threading.Thread):
    """Memory in use (MemTotal - MemAvailable) and the 1-minute load average, sampled every 0.5 s."""

    def __init__(self, floor_mib: int):
        super().__init__(daemon=True)
        self.floor, self.done = floor_mib, threading.Event()
        self.start_used = self.peak_used = self.used()[0]
        self.peak_load, self.low_available = os.getloadavg()[0], None

    @staticmethod
    def used() -> tuple[int, int]:
        info = {}
        with open("/proc/meminfo") as f:
            for line in f:
                key, value = line.split(":", 1)
                info[key] = int(value.split()[0]) // 1024
        return info["MemTotal"] - info["MemAvailable"], info["MemAvailable"]

    def run(self) -> None:
        while not self.done.wait(0.5):
            used, available = self.used()
            self.peak_used = max(self.peak_used, used)
            self.peak_load = max(self.peak_load, os.getloadavg()[0])
            if available < self.floor:
                self.low_available = available

    def reset(self) -> None:
        self.peak_used, self.peak_load = self.used()[0], os.getloadavg()[0]

    def check(self) -> None:
        if self.low_available is not None:
            raise Stop(f"stopped: MemAvailable {self.low_available} MiB, under {self.floor} MiB")


def _load() -> str:
    return " ".join(f"{n:.2f}" for n in os.getloadavg())


def main() -> None:
    from playwright.sync_api import sync_playwright

    followers = int(os.environ.get("BENCH_FOLLOWERS", "300"))
    sides = {"screen": int(os.environ.get("BENCH_SCREEN_FOLLOWERS", str(followers))), "download": followers}
    machine = Machine(int(os.environ.get("BENCH_MIN_AVAILABLE_MIB", "3072")))
    machine.start()
    print(f"before: memory in use {machine.start_used} MiB, load average {_load()}", flush=True)
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

    def follow(browser, access: str, count: int) -> dict:
        pdf = access == "download"
        turn(docs[access], 1)
        machine.reset()
        contexts, tabs, browser_asked = [], [], []
        try:
            started = time.perf_counter()
            for first in range(0, count, LOAD_BATCH):
                machine.check()
                batch = []
                for n in range(first, min(count, first + LOAD_BATCH)):
                    if n % FOLLOWERS_PER_CONTEXT == 0:
                        contexts.append(_signed_in(browser, base, email))
                    tab = contexts[-1].new_page()
                    tab.goto(f"{base}/reader/documents/{docs[access]}?follow={meeting_id}", wait_until="commit")
                    batch.append(tab)
                _all(batch, READY_PDF if pdf else READY_IMAGES, 1)
                tabs += batch
            loaded = time.perf_counter() - started
            load_loaded, used_loaded, renderers = _load(), machine.used()[0], _renderers()
            since = wire.start()
            for context in contexts:
                context.on("request", lambda r: browser_asked.append(r.url)
                           if not re.search(r"/socket\.io/", r.url) else None)
            started = time.perf_counter()
            for page in turns:
                machine.check()
                turn(docs[access], page)
                _all(tabs, SHOWN_PDF if pdf else SHOWN_IMAGES, page)
            elapsed = time.perf_counter() - started
            return dict(asked=wire.count(since, PAGES_ASKED), size=wire.total(since, PAGES_ASKED),
                        socket=wire.count(since, SOCKET), seen=browser_asked, loaded=loaded, elapsed=elapsed,
                        load_loaded=load_loaded, renderers=renderers, load_turned=_load(), used_loaded=used_loaded,
                        used_turned=machine.used()[0], peak_used=machine.peak_used, peak_load=machine.peak_load)
        finally:
            for context in contexts:
                context.close()

    print(f"Chromium followers (one browser, contexts of {FOLLOWERS_PER_CONTEXT} pages, --process-per-site "
          f"--renderer-process-limit="
          f"{' '.join([str(RENDERERS), *CHROMIUM_ARGS])}, {FOLLOWER['viewport']['width']}x"
          f"{FOLLOWER['viewport']['height']} at scale 1), {TURNS} "
          f"presenter page turns over the socket", flush=True)
    figures = {}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True,
                args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--process-per-site",
                      f"--renderer-process-limit={RENDERERS}", *CHROMIUM_ARGS])
            # pdf.js first: the side the target is about is measured even if the images' side fails.
            for access, label in (("download", "pdf.js"), ("screen", "page images")):
                if not sides[access]:
                    print(f"  {label:<11}: not run", flush=True)
                    continue
                try:
                    f = figures[access] = follow(browser, access, sides[access])
                except Stop as stop:
                    print(f"  {label:<11}: {sides[access]} followers: {stop}", flush=True)
                    break
                except Exception as error:  # a follower that misses a turn, a timeout: said, and the run goes on
                    print(f"  {label:<11}: {sides[access]} followers: FAILED: {error}"[:2000], flush=True)
                    continue
                print(f"  {label:<11}: {sides[access]} followers; HTTP requests for pages after the first load "
                      f"{f['asked']:5d} ({f['size'] / 1024:.0f} KiB; {len(f['seen'])} seen by Chromium"
                      f"{_kinds(f['seen'])}); Socket.IO transport requests {f['socket']}; "
                      f"{f['renderers']} renderer processes; first load "
                      f"{f['loaded']:.1f} s, the {TURNS} turns {f['elapsed']:.1f} s; memory in use "
                      f"{f['used_loaded']} MiB when loaded, {f['used_turned']} MiB after the turns, peak "
                      f"{f['peak_used']} MiB (before the run {machine.start_used} MiB); load average "
                      f"{f['load_loaded']} when loaded, {f['load_turned']} after the turns (1-min peak "
                      f"{f['peak_load']:.1f})", flush=True)
            browser.close()
    finally:
        machine.done.set()
        server.shutdown()
    if "download" in figures:
        asked = figures["download"]["asked"]
        images = figures["screen"]["asked"] if "screen" in figures else "(not measured)"
        print(f"  pdf.js against images: {asked} against {images} requests (target 0 with 300 followers)"
              f"{'  OK' if asked == 0 and followers >= 300 else '  OVER TARGET' if asked else ''}")


def _renderers() -> int:
    """Chromium renderer processes under this one (its browser is a child of Playwright's driver)."""
    parents, renderer = {}, set()
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/stat") as f:
                parents[int(pid)] = int(f.read().rsplit(")", 1)[1].split()[1])
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                if b"--type=renderer" in f.read():
                    renderer.add(int(pid))
        except (OSError, IndexError, ValueError):
            continue
    mine = 0
    for pid in renderer:
        while pid > 1 and pid != os.getpid():
            pid = parents.get(pid, 0)
        mine += pid == os.getpid()
    return mine


def _signed_in(browser, base: str, email: str):
    """A browser context of followers, signed in as the reader (one cookie jar for its pages)."""
    context = browser.new_context(**FOLLOWER)
    context.set_default_timeout(180_000)
    login = context.new_page()
    login.set_viewport_size({"width": 512, "height": 683})  # at 427 px high the sign-in page's fixed footer
    login.goto(f"{base}/login")                             # covers its button
    login.fill("#email", email)
    login.fill("#password", PASSWORD)
    login.locator("button[type=submit]").first.click()
    login.wait_for_url(lambda url: "/login" not in url)
    login.close()  # the home page refreshes its sections on each turn: not a follower's request
    return context


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
    for index, tab in enumerate(tabs):
        try:
            tab.wait_for_function(check, arg=page, polling=50)
        except Exception as error:
            raise RuntimeError(f"follower {index} did not show page {page}: {error}") from error


if __name__ == "__main__":
    main()
