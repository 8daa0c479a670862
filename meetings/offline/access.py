"""What of a document may stay on a device: the one place the service worker's list asks.

A document has one of three access levels (issue 17): `download` (read and keep the personal copy),
`app` (read in the app only) and `screen` (classified: never leaves the server as a file). The first
two may travel in the briefcase; `screen` never does and needs the network.
"""
from meetings.dossiers.access import can_see_document

LEVELS = ("download", "app", "screen")
KEPT_LEVELS = ("download", "app")


def access_level(document) -> str:
    """The document's level. Until every document carries one (`access`), the read-only flag means `app`."""
    level = getattr(document, "access", None)
    if level in LEVELS:
        return level
    return "app" if document.read_only else "download"


def can_keep_offline(user, document) -> bool:
    return can_see_document(user, document) and access_level(document) in KEPT_LEVELS
