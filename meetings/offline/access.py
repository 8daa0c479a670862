"""What of a document may stay on a device: the one place the service worker's list asks.

A document has one of three access levels (issue 17): `download` (read and keep the personal copy),
`app` (read in the app only: the personal copy is drawn by the reader's pdf.js) and `screen`
(classified: never leaves the server as a file). The first two may travel in the briefcase; `screen`
never does and needs the network.
"""
from meetings.dossiers.access import can_fetch_personal_copy, can_see_document

KEPT_LEVELS = ("download", "app")


def can_keep_offline(user, document) -> bool:
    return document.access in KEPT_LEVELS and can_fetch_personal_copy(user, document)


def online_only(user, document) -> bool:
    """Seen, but only on the server's screen: offline it says "Cần kết nối mạng"."""
    return document.access == "screen" and can_see_document(user, document)
