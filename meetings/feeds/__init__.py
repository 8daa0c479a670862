"""Calendar feeds (iCal subscriptions), iTIP e-mail invitations and .ics import."""
from flask import Blueprint

bp = Blueprint("feeds", __name__)

from meetings.feeds import api, invitations, routes, upload  # noqa: E402,F401
