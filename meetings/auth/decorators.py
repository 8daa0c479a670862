"""View decorators that ask a permission function (never a role name) whether to let a user in."""
from functools import wraps

from flask import abort
from flask_login import current_user, login_required


def allowed_only(check):
    """Sign-in required, then 403 unless check(current_user): @allowed_only(can_manage_calendar)."""
    def decorate(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not check(current_user):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorate
