"""Reading a search's criteria from a query string (the page's form and the API alike)."""
from datetime import date

from flask_babel import gettext as _

from meetings.search.models import KINDS
from meetings.search.services import MAX_LIMIT, Criteria
from meetings.timeutil import in_range
from meetings.validation import Fields

MAX_QUERY = 200


def criteria(args, default_limit: int = 20) -> Criteria:
    """422 for what cannot be a criterion: an unknown kind, a bad date or id, a limit out of range."""
    fields = Fields(args)
    q = fields.string("q", max_length=MAX_QUERY) or ""
    kinds = tuple(k for k in args.getlist("kind") if k) if hasattr(args, "getlist") else ()
    if any(k not in KINDS for k in kinds):
        fields.fail("kind", _("Must be one of: %(choices)s.", choices=", ".join(KINDS)))
    dates = {name: _date(fields, name) for name in ("from", "to")}
    found = Criteria(
        q=q, kinds=tuple(k for k in KINDS if k in kinds) or KINDS, date_from=dates["from"], date_to=dates["to"],
        leader_id=fields.id("leader_id"), unit_id=fields.id("unit_id"), meeting_id=fields.id("meeting_id"),
        limit=fields.integer("limit", minimum=1, maximum=MAX_LIMIT, default=default_limit),
        cursor=fields.string("cursor", max_length=300))
    fields.raise_if_errors()
    return found


def _date(fields: Fields, name: str) -> date | None:
    value = fields.string(name, max_length=10)
    if value is None:
        return None
    try:
        parsed = in_range(date.fromisoformat(value))
    except ValueError:
        parsed = None
    if parsed is None:
        fields.fail(name, _("Expected a date (YYYY-MM-DD)."))
    return parsed
