"""Every request's input is checked once, here, before any view reads it.

What no field of ours can hold is refused for all routes, pages, the API and the socket alike, so
that a new route cannot forget it: NUL characters (PostgreSQL refuses them in text), lone surrogates
(not encodable as UTF-8), integers beyond our INTEGER columns' signed 32 bits (the database or the
driver raises), NaN/Infinity, and dates outside the years we can convert between zones. Each refusal is a 422
naming the field. What a field means (an id, a title) is still read by `meetings.validation.Fields`.
"""
import math
import re

from flask import Flask, Request, request
from flask_babel import gettext as _
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.routing import IntegerConverter

from meetings.errors import ValidationFailed
from meetings.timeutil import MAX_YEAR, MIN_YEAR
from meetings.validation import MAX_ID, MAX_INT, MIN_INT, id_pattern, whole_number

# An ISO date or date-time, the whole value: "2026-12-03", "2026-12-03T08:00:00+07:00".
_ISO_MOMENT = re.compile(r"([+-]?\d{4,})-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?")
_SURROGATE = re.compile("[\ud800-\udfff]")
# Keys whose value is a number even in a form or a query string (where everything is text).
_NUMERIC_KEY = re.compile(r"(^|_)(id|ids|version|page|width|number)$")


def _text_problem(value: str) -> str | None:
    if "\x00" in value:
        return _("NUL characters are not allowed.")
    if _SURROGATE.search(value):
        return _("Not valid Unicode text (a lone surrogate).")
    moment = _ISO_MOMENT.fullmatch(value.strip())
    if moment and not MIN_YEAR <= int(moment.group(1)) <= MAX_YEAR:
        return _("Dates must fall between the years %(first)d and %(last)d.", first=MIN_YEAR, last=MAX_YEAR)
    return None


def _number_problem(value) -> str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return _("Expected a finite number.")
    if isinstance(value, int) and not MIN_INT <= value <= MAX_INT:
        return _("Out of range.")
    return None


def problems(value, path: str = "_", numeric: bool = False) -> dict[str, str]:
    """Each unacceptable value in a decoded JSON document (or a form) by its path ("leader_ids[0]").

    `numeric` marks values under a key that holds numbers, where digits in a string are a number too.
    """
    found: dict[str, str] = {}
    if isinstance(value, dict):
        for key, item in value.items():
            name = str(key)
            problem = _text_problem(name)
            if problem:
                found[path] = problem
                continue
            child = name if path == "_" else f"{path}.{name}"
            found.update(problems(item, child, bool(_NUMERIC_KEY.search(name))))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found.update(problems(item, f"{path}[{index}]", numeric))
    elif isinstance(value, str):
        problem = _text_problem(value)
        if problem is None and numeric:
            problem = _number_problem(whole_number(value))
        if problem:
            found[path] = problem
    else:
        problem = _number_problem(value)
        if problem:
            found[path] = problem
    return found


def check(value) -> None:
    """Raise ValidationFailed listing every unacceptable value (a socket message, a JSON body)."""
    found = problems(value)
    if found:
        raise ValidationFailed(found)


class Parameters(ImmutableMultiDict):
    """Query strings and forms: `get(name, type=int)` refuses what is not a 32-bit whole number.

    Werkzeug's own get() returns the default for "abc" and a huge int for "-2238399726674185027584",
    which the database driver then cannot bind; both become a 422 naming the parameter.
    """

    def get(self, key, default=None, type=None):
        if type is not int or key not in self:
            return super().get(key, default, type)
        raw = self[key]
        if not raw.strip():
            return default
        number = whole_number(raw)
        if number is None or not MIN_INT <= number <= MAX_INT:
            raise ValidationFailed({key: _("Expected a whole number.")})
        return number


class CheckedRequest(Request):
    parameter_storage_class = Parameters


def _as_dict(multi) -> dict:
    return {key: values if len(values) > 1 else values[0] for key, values in multi.lists()}


def _declared(data):
    """An API body as far as its documented schema declares it: the services ignore the rest."""
    if request.url_rule is None or not request.path.startswith("/api/"):
        return data
    from meetings.api.body_shape import declared_part  # the API package imports this module

    return declared_part(data, request.url_rule.rule, request.method)


def check_request() -> None:
    found = problems(_as_dict(request.args))
    found.update(problems({k: v for k, v in (request.view_args or {}).items() if isinstance(v, str)}))
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        found.update(problems(_declared(_as_dict(request.form))))
        for key, upload in request.files.items(multi=True):
            if upload.filename and _text_problem(upload.filename):
                found[key] = _text_problem(upload.filename)
    elif request.is_json and request.content_length != 0:
        data = request.get_json(silent=True)
        if data is not None:
            found.update(problems(_declared(data)))
    if found:
        raise ValidationFailed(found)


class IdConverter(IntegerConverter):
    """`<int:...>` in every route: 1 .. 2^31-1, so that /meetings/9223372036854775808 is a 404 from the
    router instead of an OverflowError from the driver (or PostgreSQL's "integer out of range" from
    2^31 on). It replaces Werkzeug's unbounded converter. The bound is in the pattern too, not only in
    to_python: Werkzeug answers 405 for a rule whose conversion fails when another method's rule
    matched the same path."""

    regex = id_pattern(MAX_ID)

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("min", 1)
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def init_app(app: Flask) -> None:
    """Call before any blueprint is registered: rules pick their converter when they are added."""
    app.url_map.converters["int"] = IdConverter
    app.url_map.converters["id"] = IdConverter
    app.request_class = CheckedRequest
    app.before_request_funcs.setdefault(None, []).insert(0, check_request)
