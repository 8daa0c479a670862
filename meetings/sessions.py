"""The browser's session cookie: Flask's signed cookie, with two changes.

- A cookie already verified is not verified again. A tablet sends the same cookie with every page
  turn; checking its signature meant deriving the HMAC key and decoding tagged JSON each time, a
  tenth of a cached page's CPU (issue 18: a cached read costs at most twice the health check). What
  is kept is the verified content and the time it was signed, per app and per exact cookie text, so
  a changed or forged cookie is verified as before, and an old one still expires at the same moment
  (PERMANENT_SESSION_LIFETIME from its signing). Signing out everywhere does not depend on this: the
  session token inside is checked against the user's row on every request.
- A static file's response never says `Vary: Cookie`. Flask-Login's after-request hook looks at the
  session on every response, static files too, and Flask then adds `Vary: Cookie`; with it, a browser
  may reuse a file kept a year only while its cookies are unchanged, so any new cookie (signing in
  again, the language, the reader's pdf.js hint in reader/routes.py) made it fetch pdf.js again. A
  static file does not depend on the session (a session that changed is still saved: only the Vary is
  left out).
"""
import copy
import time

from flask import request
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import BadSignature

KEPT = 10_000  # verified cookies remembered per app, then start again: a few megabytes at most


class SessionInterface(SecureCookieSessionInterface):
    def open_session(self, app, request):
        cookie = request.cookies.get(self.get_cookie_name(app))
        if not cookie or not app.secret_key:
            return super().open_session(app, request)
        max_age = app.permanent_session_lifetime.total_seconds()
        verified = app.extensions.setdefault("meetings.sessions", {})
        known = verified.get(cookie)
        if known is None:
            try:
                data, signed = self.get_signing_serializer(app).loads(cookie, max_age=max_age, return_timestamp=True)
            except BadSignature:  # forged, damaged or expired: an empty session, as Flask gives
                return self.session_class()
            if len(verified) >= KEPT:
                verified.clear()
            known = verified[cookie] = (data, signed.timestamp())
        data, signed_at = known
        age = time.time() - signed_at
        if age > max_age or age < 0:  # itsdangerous's two refusals of a timestamp
            verified.pop(cookie, None)
            return self.session_class()
        # The session is changed in place by its request (a flash appends to a list): never the kept copy.
        return self.session_class(copy.deepcopy(data) if any(isinstance(v, (list, dict)) for v in data.values())
                                  else data)

    def save_session(self, app, session, response) -> None:
        if request.endpoint == "static":
            session.accessed = False
        super().save_session(app, session, response)


def init_app(app) -> None:
    app.session_interface = SessionInterface()
