"""/readyz and /metrics: thin, the rules are in readiness.py and metrics.py. (/healthz is in web.py.)"""
import hmac
import ipaddress

from flask import Response, current_app, request
from flask_babel import gettext as _

from meetings.ops import bp, metrics, readiness
from meetings.timeutil import now_utc


@bp.get("/readyz")
def ready():
    found = readiness.checks(now_utc())
    failed = sorted(name for name, reason in found.items() if reason)
    body = {"status": "unready" if failed else "ready", "failed": failed,
            "checks": {name: reason or "ok" for name, reason in found.items()}}
    return body, 503 if failed else 200, {"Cache-Control": "no-store"}


def may_scrape() -> bool:
    """A bearer token equal to METRICS_TOKEN, or a client address inside METRICS_ALLOW (CIDRs)."""
    token = current_app.config.get("METRICS_TOKEN")
    given = request.headers.get("Authorization", "")
    if token and given.startswith("Bearer ") and hmac.compare_digest(given[7:].encode(), token.encode()):
        return True
    try:
        address = ipaddress.ip_address(request.remote_addr or "")
    except ValueError:
        return False
    return any(address in ipaddress.ip_network(net.strip(), strict=False)
               for net in current_app.config.get("METRICS_ALLOW", "").split(",") if net.strip())


@bp.get("/metrics")
def scrape():
    if not may_scrape():
        from meetings.web import error_response

        return error_response(403, _("Metrics are open to the monitoring server only."))
    return Response(metrics.exposition(), mimetype=None, content_type=metrics.CONTENT_TYPE,
                    headers={"Cache-Control": "no-store"})
