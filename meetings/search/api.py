"""GET /api/v1/search: one search over everything the caller may read. Thin: parse, call, serialise."""
from flask import g, request

from meetings.api import bp
from meetings.search import api_docs, present, services  # noqa: F401  (api_docs registers the paths)
from meetings.search.input import criteria


@bp.get("/search")
def search():
    found = services.search(g.api_user, criteria(request.args))
    body = {"results": [hit.to_json() for hit in present.hits(found, g.api_user)],
            "next_cursor": found.next_cursor, "total": found.total}
    if found.total_is_estimate:
        body["total_is_estimate"] = True
    return body
