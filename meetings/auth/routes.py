"""Login, logout and the profile page (language, time zone, password, API tokens)."""
from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from meetings.auth import bp, services
from meetings.directory.models import User
from meetings.errors import ValidationFailed
from meetings.extensions import db, limiter, login_manager
from meetings.i18n import remember_language
from meetings.timeutil import is_valid_zone, now_utc
from meetings.offline.briefcase import MAX_OFFLINE_DAYS
from meetings.validation import Fields, as_id
from meetings.web import carries_secret, flashed_errors

login_manager.login_view = "auth.login"
login_manager.login_message = None  # the login page explains itself; no flash on every redirect


@login_manager.user_loader
def load_user(cookie_id: str) -> User | None:
    user_id, _sep, token = cookie_id.partition(":")
    if as_id(user_id) is None:
        return None
    user = db.session.get(User, as_id(user_id))
    if user is None or not user.active or user.session_token != token:
        return None
    return user


def _safe_next(target: str | None) -> str:
    """Only same-site paths: an open redirect after login is a phishing tool."""
    if target and target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc:
        return target
    return url_for("web.home")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(_safe_next(request.args.get("next")))
    error = None
    email = ""
    if request.method == "POST":
        email = request.form.get("email", "")
        result = services.authenticate(email, request.form.get("password", ""), request.remote_addr, now_utc())
        if result.user:
            session.clear()
            login_user(result.user, remember=bool(request.form.get("remember")))
            return redirect(_safe_next(request.form.get("next")))
        error = _("Wrong e-mail or password.")  # whatever the reason: nothing to learn from the answer
    status = 401 if error else 200
    return render_template("auth/login.html", error=error, email=email,
                           next=request.values.get("next", "")), status


@bp.post("/logout")
def logout():
    logout_user()
    session.clear()
    flash(_("You have signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.post("/logout-everywhere")
@login_required
def logout_everywhere():
    services.logout_everywhere(current_user, now_utc())
    logout_user()
    session.clear()
    flash(_("You have been signed out on every device."), "info")
    return redirect(url_for("auth.login"))


def _profile(new_token=None, errors=None, status=200):
    return render_template("auth/profile.html", tokens=services.tokens_of(current_user),
                           new_token=new_token, errors=errors or {}), status


@bp.get("/profile")
@login_required
def profile():
    return _profile()


@bp.post("/profile/settings")
@login_required
def profile_settings():
    locale = request.form.get("locale")
    zone = (request.form.get("timezone") or "").strip()
    errors = {}
    if locale not in current_app.config["LANGUAGES"]:
        errors["locale"] = _("Unknown language.")
    if zone and not is_valid_zone(zone):
        errors["timezone"] = _("Unknown time zone.")
    fields = Fields(request.form)
    offline_days = fields.integer("offline_days", minimum=0, maximum=MAX_OFFLINE_DAYS,
                                  default=current_user.offline_days)
    errors.update(fields.errors)
    if errors:
        return _profile(errors=errors, status=422)
    current_user.locale = locale
    current_user.timezone = zone or None
    current_user.offline_days = offline_days
    db.session.commit()
    flash(_("Settings saved."), "success")
    return remember_language(redirect(url_for("auth.profile")), locale)


@bp.post("/profile/password")
@login_required
def profile_password():
    try:
        services.change_password(current_user, request.form.get("current_password", ""),
                                 request.form.get("password", ""), now_utc())
    except ValidationFailed as exc:
        return _profile(errors=exc.fields, status=422)
    login_user(current_user._get_current_object())  # new session token: keep this device signed in
    flash(_("Password changed. Other devices have been signed out and your API tokens revoked."), "success")
    return redirect(url_for("auth.profile"))


@bp.post("/profile/tokens")
@login_required
def create_token():
    token, plain = services.create_token(current_user, request.form.get("name", ""), now_utc())
    # Rendered, not redirected: the plain token exists only in this response, which no cache keeps.
    carries_secret()
    return _profile(new_token=plain)


@bp.post("/profile/tokens/<int:token_id>/revoke")
@login_required
def revoke_token(token_id: int):
    with flashed_errors() as revoked:  # someone else's token does not exist: 404
        services.revoke_token(current_user, token_id, now_utc())
    if revoked.ok:
        flash(_("Token revoked."), "success")
    return redirect(url_for("auth.profile"))


@bp.post("/language")
def set_language():
    locale = request.form.get("locale")
    response = redirect(_safe_next(request.form.get("next")))
    if locale not in current_app.config["LANGUAGES"]:
        return response
    if current_user.is_authenticated:  # the profile keeps it on every device
        current_user.locale = locale
        db.session.commit()
    return remember_language(response, locale)
