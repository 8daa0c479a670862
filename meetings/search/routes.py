"""The search page: one box; with no kind chosen, the best hits of each kind in groups, each with a
link to all of its kind; with a kind, one ranked list paged by cursor."""
from flask import render_template, request, url_for
from flask_login import current_user, login_required

from meetings.directory import services as directory
from meetings.errors import ValidationFailed
from meetings.extensions import db
from meetings.search import bp, present, services
from meetings.search.input import criteria
from meetings.search.models import KINDS

PER_GROUP = 5


@bp.get("")
@login_required
def index():
    try:
        asked = criteria(request.args)
        errors = {}
    except ValidationFailed as failure:
        asked, errors = services.Criteria(q=(request.args.get("q") or "")[:200]), failure.fields
    single = len(asked.kinds) == 1
    groups = []
    if asked.q and not errors:
        for kind in asked.kinds:
            found = services.search(current_user, services.Criteria(
                **{**asked.__dict__, "kinds": (kind,), "limit": asked.limit if single else PER_GROUP,
                   "cursor": asked.cursor if single else None}))
            if found.rows or single:
                groups.append((kind, found, present.hits(found, current_user)))
    args = {k: v for k, v in request.args.items() if k not in ("cursor", "kind") and v}
    return render_template(
        "search/index.html", asked=asked, errors=errors, groups=groups, single=single, kinds=KINDS,
        chosen_kind=asked.kinds[0] if single else "", args=args,
        leader_options=[(u.id, u.display_name) for u in db.session.scalars(
            directory.search_users(role="leader", active=True))],
        unit_options=[(unit.id, "\u00a0\u00a0" * depth + unit.name) for unit, depth in directory.unit_tree()], more_url=lambda kind: url_for("search.index", kind=kind, **args),
        next_url=lambda cursor: url_for("search.index", cursor=cursor, kind=asked.kinds[0], **args))
