"""Language and time-zone choice per request, and the Jinja filters that write dates the Vietnamese way."""
from flask import Flask, current_app, has_request_context, request, session
from flask_babel import get_locale, get_timezone
from flask_login import current_user

from meetings import timeutil
from meetings.extensions import babel


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # CLI, scheduler: the office's language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    if session.get("lang") in languages:
        return session["lang"]
    # Vietnamese first: the browser's preference is honoured only when it asks for English alone.
    best = request.accept_languages.best_match(languages)
    if best == "en" and "vi" not in request.accept_languages:
        return "en"
    return current_app.config["BABEL_DEFAULT_LOCALE"]


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
