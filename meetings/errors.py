"""Errors that services raise; the API turns them into JSON, the pages into messages.

Services speak in these terms only, so the same rule gives the same answer through every door.
"""


class ServiceError(Exception):
    status = 400
    code = "bad_request"

    def __init__(self, message: str, **details):
        super().__init__(message)
        self.message = message
        self.details = details

    def summary(self) -> str:
        """One line for the CLI: the message, or each failing field with its reason."""
        fields = self.details.get("fields")
        return "; ".join(f"{k}: {v}" for k, v in fields.items()) if fields else self.message


class ValidationFailed(ServiceError):
    """Input that cannot be accepted; `fields` maps each failing field to a message."""

    status = 422
    code = "invalid"

    def __init__(self, fields: dict[str, str], message: str | None = None):
        from flask_babel import gettext as _

        super().__init__(message or _("Some fields are not valid."), fields=fields)
        self.fields = fields


class NotFound(ServiceError):
    """Missing, or not visible to the caller: the two look the same from outside."""

    status = 404
    code = "not_found"


class Forbidden(ServiceError):
    status = 403
    code = "forbidden"


class Conflict(ServiceError):
    status = 409
    code = "conflict"
