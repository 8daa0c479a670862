"""Reading user input (JSON bodies and forms) into clean values, collecting every field's error.

    fields = Fields(payload)
    email = fields.email("email", required=True)
    fields.raise_if_errors()   # ValidationFailed with {"email": "..."}
"""
import re
from collections.abc import Iterable, Mapping

from flask_babel import gettext as _

from meetings.errors import ValidationFailed
from meetings.text import normalise

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
WHOLE_NUMBER_RE = re.compile(r"[+-]?[0-9]+")

# Our integer columns, ids included, are SQL INTEGER: signed 32-bit on PostgreSQL (a larger value is
# "integer out of range"), and SQLite's driver refuses anything past 64 bits before the query runs.
# So no input number may leave the 32-bit range: it is refused as input, never looked up.
MAX_INT = 2**31 - 1
MIN_INT = -2**31
MAX_ID = MAX_INT


def whole_number(value) -> int | None:
    """An int, or a string of ASCII digits, as an int; None for anything else (1.5, True, "1e3", "١").

    bool is an int in Python and int() accepts "1_000" and other scripts' digits: none of those is an id.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and WHOLE_NUMBER_RE.fullmatch(value.strip()):
        return int(value)
    return None


def as_id(value) -> int | None:
    """A row id (1 .. 2^31-1) from JSON, a form, a query string or a socket message; None if not one."""
    number = whole_number(value)
    return number if number is not None and 1 <= number <= MAX_ID else None


def parse_id(value, field: str) -> int:
    """`as_id` that names the field when it fails: a 422 the client can act on."""
    number = as_id(value)
    if number is None:
        raise ValidationFailed({field: _("Expected an id (a whole number from 1 to %(max)d).", max=MAX_ID)})
    return number


def json_id(value) -> int | None:
    """An id as JSON may carry it (7, or 7.0: JSON Schema counts both as integers), or None."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return value if type(value) is int and 1 <= value <= MAX_ID else None


def id_pattern(limit: int) -> str:
    """A regular expression for the decimal numbers 1..limit written without leading zeros (the id
    converter's pattern: 0, 007 and anything past an INTEGER column match no route, so they are 404s)."""
    digits = str(limit)
    options = [f"[1-9][0-9]{{0,{len(digits) - 2}}}", digits] if len(digits) > 1 else [digits]
    for i, digit in enumerate(digits):
        lowest = 1 if i == 0 else 0
        if int(digit) > lowest:
            options.append(f"{digits[:i]}[{lowest}-{int(digit) - 1}][0-9]{{{len(digits) - i - 1}}}")
    return "(?:" + "|".join(options) + ")"


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
        if self.strict:  # JSON: 3 and 3.0 are integers (as JSON Schema says); "3", true and 3.5 are not
            value = int(value) if isinstance(value, float) and value.is_integer() else value
            value = value if type(value) is int else None
        else:
            value = whole_number(value)
        if value is None:
            self.errors[name] = _("Expected a whole number.")
            return None
        minimum = MIN_INT if minimum is None else max(minimum, MIN_INT)
        maximum = MAX_INT if maximum is None else min(maximum, MAX_INT)
        if not minimum <= value <= maximum:
            self.errors[name] = _("Out of range.")
            return None
        return value

    def id(self, name: str, required: bool = False):
        return self.integer(name, required, minimum=1, maximum=MAX_ID)

    def id_list(self, name: str) -> list[int]:
        """A list of ids (a lone id counts as a list of one), without repeats, in the order given."""
        raw = self.data.get(name) or []
        if self.strict:  # JSON: a list of integers, as the API document declares
            ids = [json_id(v) for v in raw] if isinstance(raw, list) else [None]
        else:
            raw = raw if isinstance(raw, list) else [raw]
            ids = [as_id(v) for v in raw if not (isinstance(v, str) and not v.strip())]
        if None in ids:
            self.errors[name] = _("Expected a list of ids.")
            return []
        return list(dict.fromkeys(ids))

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
