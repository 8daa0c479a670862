"""/sw.js (the service worker, at the root so that its scope covers the whole app) and /offline (what a
page not kept on the device shows when there is no network)."""
import json

from flask import Response, current_app, render_template, url_for
from flask_login import login_required

from meetings.assets import versioned
from meetings.offline import bp
from meetings.offline.headers import PREFETCH_HEADER, READER_HEADER
from meetings.offline.shell import WORKER_SOURCE, shell


@bp.get("/sw.js")
def service_worker():
    static = current_app.static_folder
    version, paths = shell(static)
    with open(f"{static}/{WORKER_SOURCE}", encoding="utf-8") as file:
        source = file.read()
    # The very addresses the pages ask for (assets.py), of this version exactly.
    settings = {"version": version, "shell": [url_for("static", filename=versioned(p, version)) for p in paths],
                "offline": url_for("offline.offline_page"), "prefetchHeader": PREFETCH_HEADER,
                "readerHeader": READER_HEADER}
    body = source.replace("self.__BRIEFCASE__", json.dumps(settings, ensure_ascii=False), 1)
    response = Response(body, mimetype="text/javascript")
    # The browser compares /sw.js byte for byte to find an update: never serve it from a cache.
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/offline")
@login_required
def offline_page():
    return render_template("offline/offline.html")

