"""The query string of every /api/v1 call is checked against the OpenAPI document before the route runs.

The document is then the one statement of what a query may hold: a parameter it does not declare, given
twice, or outside its type, range or choices is a 422 naming the parameter, never silently ignored.
"""
import re
from datetime import date
from functools import lru_cache

from flask import request
from flask_babel import gettext as _

from meetings.api import bp
from meetings.api.openapi import PATHS, flask_path
from meetings.errors import ValidationFailed

INTEGER = re.compile(r"^-?[0-9]{1,20}$")
DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def declared_query(operations: dict, operation: dict) -> dict[str, dict]:
    parameters = operations.get("parameters", []) + operation.get("parameters", [])
    return {p["name"]: p["schema"] for p in parameters if p.get("in") == "query"}


def problem(value: str, schema: dict) -> str | None:
    """Why `value` does not fit the parameter's schema, or None."""
    if "\x00" in value:
        return _("Contains a NUL character.")
    if "enum" in schema and value not in schema["enum"]:
        return _("Must be one of: %(choices)s.", choices=", ".join(schema["enum"]))
    if schema.get("type") == "integer":
        if not INTEGER.match(value):
            return _("Expected a whole number.")
        number = int(value)
        if number < schema.get("minimum", number) or number > schema.get("maximum", number):
            return _("Out of range.")
    if "pattern" in schema and not re.search(schema["pattern"], value):
        return _("Not in the expected form.")
    if schema.get("format") == "date":
        try:
            date.fromisoformat(value if DATE.match(value) else "")
        except ValueError:
            return _("Expected a date (YYYY-MM-DD).")
    if len(value) > schema.get("maxLength", len(value)):
        return _("At most %(n)d characters.", n=schema["maxLength"])
    return None


@lru_cache(maxsize=None)
def declared_for(rule: str, method: str) -> dict[str, dict] | None:
    """The query parameters the document declares for a route and method, or None for an operation it
    does not describe. Worked out once per route: every page turn of a tablet asks."""
    operations = PATHS.get(flask_path(rule), {})
    operation = operations.get("get" if method == "HEAD" else method.lower())
    return None if operation is None else declared_query(operations, operation)


@bp.before_request
def check_query():
    if request.url_rule is None:
        return
    declared = declared_for(request.url_rule.rule, request.method)
    if declared is None or not request.args:
        return
    errors = {}
    for name in request.args:
        values = request.args.getlist(name)
        if name not in declared:
            errors[name] = _("Not a parameter of this operation.")
        elif len(values) > 1:
            errors[name] = _("Give this parameter once.")
        elif (reason := problem(values[0], declared[name])) is not None:
            errors[name] = reason
    if errors:
        raise ValidationFailed(errors)
