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


class Fields:
    def __init__(self, data: Mapping | None):
        self.data = data if isinstance(data, Mapping) else {}
        self.errors: dict[str, str] = {}
        if data is not None and not isinstance(data, Mapping):
            self.errors["_"] = _("Expected a JSON object.")

    def present(self, name: str) -> bool:
        return name in self.data

    def _raw(self, name: str, required: bool):
        value = self.data.get(name)
        if isinstance(value, str):
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
        if isinstance(value, bool):
            value = None
        else:
            try:
                value = int(value)
            except (TypeError, ValueError):
                value = None
        if value is None:
            self.errors[name] = _("Expected a whole number.")
            return None
        if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
            self.errors[name] = _("Out of range.")
            return None
        return value

    def choice(self, name: str, choices: Iterable[str], required: bool = False, default=None):
        value = self._raw(name, required)
        if value is None:
            return default
        if value not in choices:
            self.errors[name] = _("Must be one of: %(choices)s.", choices=", ".join(choices))
            return None
        return value

    def boolean(self, name: str, default: bool = False) -> bool:
        value = self.data.get(name, default)
        if isinstance(value, bool):
            return value
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
