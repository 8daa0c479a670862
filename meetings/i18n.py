"""Language and time-zone choice per request, and the Jinja filters that write dates the Vietnamese way."""
from flask import Flask, Response, current_app, has_request_context, request
from flask_babel import get_locale, get_timezone
from flask_login import current_user

from meetings import timeutil
from meetings.extensions import babel

# An anonymous visitor's choice of language, kept on the device (the sign-in page, the public schedule).
LANGUAGE_COOKIE = "lang"
LANGUAGE_COOKIE_SECONDS = 365 * 24 * 3600


def select_locale() -> str:
    """The profile's choice, else the device's cookie, else Vietnamese.

    The browser's Accept-Language is never read: the office's tablets and many staff browsers are set
    to English, and a Vietnamese office must not get an English app by accident. English is a choice
    someone makes (the footer's switch or the profile), never a guess.
    """
    languages = current_app.config["LANGUAGES"]
    default = current_app.config["BABEL_DEFAULT_LOCALE"]
    if not has_request_context():  # CLI, scheduler: the office's language
        return default
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    chosen = request.cookies.get(LANGUAGE_COOKIE)
    return chosen if chosen in languages else default


def remember_language(response: Response, locale: str) -> Response:
    """Keep the choice on this device, for the pages seen before signing in and after signing out."""
    response.set_cookie(LANGUAGE_COOKIE, locale, max_age=LANGUAGE_COOKIE_SECONDS, httponly=True,
                        samesite="Lax", secure=request.is_secure)
    return response


def select_timezone() -> str:
    if has_request_context() and current_user and current_user.is_authenticated and current_user.timezone:
        return current_user.timezone
    return current_app.config["MEETINGS_TIMEZONE"]


def _locale() -> str:
    return str(get_locale() or "vi")


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", "translations")
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    app.jinja_env.filters["day"] = lambda d: timeutil.format_day(d, _locale())
    app.jinja_env.filters["clock"] = lambda t: timeutil.format_time(t, get_timezone())
    app.jinja_env.filters["datetime"] = lambda t: timeutil.format_datetime(t, get_timezone()) if t else ""
    app.jinja_env.globals["current_locale"] = _locale
