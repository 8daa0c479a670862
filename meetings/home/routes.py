"""The home page and its live parts: the sections as HTML for a redraw, and "Đã xem" for changes."""
from flask import redirect, render_template, request, url_for
from flask_login import current_user, login_required

from meetings.home import bp, changes
from meetings.home.services import home_for
from meetings.timeutil import now_utc


def page():
    """GET / (the `web.home` endpoint): a first visit starts the "changed since" marker."""
    now = now_utc()
    changes.start_watching(current_user, now)
    return render_template("home/index.html", home=home_for(current_user, now))


@bp.get("/sections")
@login_required
def sections():
    """The sections alone, for the page to redraw itself after a push or a reconnect."""
    return render_template("home/_sections.html", home=home_for(current_user, now_utc()))


@bp.post("/seen")
@login_required
def seen():
    changes.mark_seen(current_user, now_utc())
    if request.accept_mimetypes.best == "application/json":
        return {"ok": True}
    return redirect(url_for("web.home"))
