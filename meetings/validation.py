"""Reading user input (JSON bodies and forms) into clean values, collecting every field's error.

    fields = Fields(payload)
    email = fields.email("email", required=True)
    fields.raise_if_errors()   # ValidationFailed with {"email": "..."}
"""
import re
from collections.abc import Iterable, Mapping

from flask_babel import gettext as _
from werkzeug.routing import IntegerConverter

from meetings.errors import ValidationFailed
from meetings.text import normalise

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# Ids are INTEGER columns, 32-bit on PostgreSQL (SQLAlchemy binds them as ::INTEGER, which overflows
# beyond): a larger id names nothing, and must never reach a query, on SQLite and PostgreSQL alike.
MAX_ID = 2**31 - 1


def _at_most(limit: int) -> str:
    """A regular expression for the decimal numbers 0..limit."""
    digits = str(limit)
    options = [f"[0-9]{{1,{len(digits) - 1}}}", digits]
    for i, digit in enumerate(digits):
        if digit != "0":
            options.append(f"{digits[:i]}[0-{int(digit) - 1}][0-9]{{{len(digits) - i - 1}}}")
    return "(?:" + "|".join(options) + ")"


class DatabaseIdConverter(IntegerConverter):
    """`<int:...>` in a URL matches only ids an INTEGER column can hold: a larger one is a 404, not an
    overflow in the database (500). In the pattern, not in to_python: Werkzeug would answer 405 for a rule
    whose conversion fails when another method's rule matched the same path."""

    regex = _at_most(MAX_ID)


def json_id(value) -> int | None:
    """An id as JSON may carry it (7, or 7.0: JSON Schema counts both as integers), or None."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return value if type(value) is int and 1 <= value <= MAX_ID else None


class JsonObject(dict):
    """A JSON request body. Its values have JSON types, so Fields holds them to the types the API
    document declares ("5" is not a number, "yes" not a boolean); a form's values are all text."""


class Fields:
    def __init__(self, data: Mapping | None):
        self.data = data if isinstance(data, Mapping) else {}
        self.strict = isinstance(data, JsonObject)
        self.errors: dict[str, str] = {}
        if data is not None and not isinstance(data, Mapping):
            self.errors["_"] = _("Expected a JSON object.")

    def present(self, name: str) -> bool:
        return name in self.data

    def _raw(self, name: str, required: bool):
        value = self.data.get(name)
        if isinstance(value, str):
            if "\x00" in value:  # PostgreSQL cannot store it: refused everywhere, for the same answer
                self.errors[name] = _("Contains a NUL character.")
                return None
            value = normalise(value)
        if value in (None, ""):
            if required:
                self.errors[name] = _("This field is required.")
            return None
        return value

    def string(self, name: str, required: bool = False, max_length: int = 200, default=None):
        value = self._raw(name, required)
        if value is None:
            return default
        if not isinstance(value, str):
            self.errors[name] = _("Expected text.")
            return None
        if len(value) > max_length:
            self.errors[name] = _("At most %(n)d characters.", n=max_length)
            return None
        return value

    def email(self, name: str, required: bool = False):
        value = self.string(name, required, max_length=254)
        if value is not None and not EMAIL_RE.match(value):
            self.errors[name] = _("Not a valid e-mail address.")
            return None
        return value.lower() if value else None

    def integer(self, name: str, required: bool = False, minimum: int | None = None,
                maximum: int | None = None, default=None):
        value = self._raw(name, required)
        if value is None:
            return default
        if isinstance(value, float) and self.strict and value.is_integer():
            value = int(value)  # JSON (and JSON Schema) count 3.0 as the integer 3
        if isinstance(value, bool) or self.strict and not isinstance(value, int):
            value = None
        else:
            try:
                value = int(value)
            except (TypeError, ValueError):
                value = None
        if value is None:
            self.errors[name] = _("Expected a whole number.")
            return None
        # Every integer column is an INTEGER: beyond, PostgreSQL overflows (a 500). Out of range here.
        minimum = -MAX_ID if minimum is None else minimum
        maximum = MAX_ID if maximum is None else maximum
        if not minimum <= value <= maximum:
            self.errors[name] = _("Out of range.")
            return None
        return value

    def choice(self, name: str, choices: Iterable[str], required: bool = False, default=None):
        value = self._raw(name, required)
        if value is None:
            return default
        if not isinstance(value, str) or value not in choices:
            self.errors[name] = _("Must be one of: %(choices)s.", choices=", ".join(choices))
            return None
        return value

    def boolean(self, name: str, default: bool = False) -> bool:
        value = self.data.get(name, default)
        if isinstance(value, bool):
            return value
        if self.strict and value is not None:
            self.errors[name] = _("Expected true or false.")
            return default
        if isinstance(value, str) and value.lower() in {"1", "true", "on", "yes"}:
            return True
        if isinstance(value, str) and value.lower() in {"0", "false", "off", "no", ""}:
            return False
        self.errors[name] = _("Expected true or false.")
        return default

    def url(self, name: str, required: bool = False):
        value = self.string(name, required, max_length=500)
        if value is not None and not re.match(r"^https?://\S+$", value):
            self.errors[name] = _("Must start with http:// or https://.")
            return None
        return value

    def fail(self, name: str, message: str) -> None:
        self.errors[name] = message

    def raise_if_errors(self) -> None:
        if self.errors:
            raise ValidationFailed(dict(self.errors))
