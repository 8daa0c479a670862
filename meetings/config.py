"""Configuration: safe defaults, overridden by environment variables, checked before start-up."""
import os
import secrets
from pathlib import Path

from meetings.timeutil import DEFAULT_ZONE, is_valid_zone


class ConfigError(RuntimeError):
    """A setting that would make the app unsafe or broken: refuse to start, say which."""


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def database_url(raw: str | None, instance_path: str) -> str:
    """DATABASE_URL as given, with plain postgres URLs pointed at the psycopg 3 driver."""
    if not raw:
        return "sqlite:///" + os.path.join(instance_path, "meetings.db")
    for prefix in ("postgres://", "postgresql://"):
        if raw.startswith(prefix):
            return "postgresql+psycopg://" + raw[len(prefix):]
    return raw


def secret_key(instance_path: str) -> str:
    """SECRET_KEY from the environment, else one generated once into instance/ (never committed)."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def mail_transport() -> str:
    """"smtp" sends for real; "outbox" keeps messages readable on the admin's outbox page, unsent.

    A fresh development set-up has no mail server: trying localhost:25 every minute only fills the
    console with retry warnings. Production always delivers (a missing server there is an alarm)."""
    chosen = (os.environ.get("MAIL_TRANSPORT") or "").strip().lower()
    if chosen in ("smtp", "outbox"):
        return chosen
    production = os.environ.get("MEETINGS_ENV", "development") == "production"
    return "smtp" if production or os.environ.get("SMTP_HOST") else "outbox"


def from_environment(instance_path: str) -> dict:
    return {
        "MEETINGS_ENV": os.environ.get("MEETINGS_ENV", "development"),
        "SQLALCHEMY_DATABASE_URI": database_url(os.environ.get("DATABASE_URL"), instance_path),
        "REDIS_URL": os.environ.get("REDIS_URL") or None,
        # Several installations (or test runs) may share one Redis: each uses its own channel.
        "SOCKETIO_CHANNEL": os.environ.get("SOCKETIO_CHANNEL", "meetings"),
        "SECRET_KEY": secret_key(instance_path),
        "MEETINGS_TIMEZONE": os.environ.get("MEETINGS_TIMEZONE", DEFAULT_ZONE),
        "MEETINGS_STORAGE": os.environ.get("MEETINGS_STORAGE", os.path.join(instance_path, "storage")),
        # Generated files (stamped copies, page images) are remade from the documents on demand, so
        # each host keeps its own on a local disk; MEETINGS_STORAGE is what the hosts must share.
        "MEETINGS_CACHE": os.environ.get("MEETINGS_CACHE") or os.path.join(instance_path, "cache"),
        "SMTP_HOST": os.environ.get("SMTP_HOST") or "localhost",
        "MAIL_TRANSPORT": mail_transport(),
        "SMTP_PORT": int(os.environ.get("SMTP_PORT", "25")),
        "SMTP_USER": os.environ.get("SMTP_USER") or None,
        "SMTP_PASSWORD": os.environ.get("SMTP_PASSWORD") or None,
        "SMTP_STARTTLS": _bool("SMTP_STARTTLS", False),
        "MAIL_FROM": os.environ.get("MAIL_FROM", "lich-cong-tac@localhost"),
        "SESSION_COOKIE_SECURE": _bool("MEETINGS_SECURE_COOKIES", False),
        # Where people reach the app: links in e-mails and notifications made outside a request.
        "MEETINGS_BASE_URL": os.environ.get("MEETINGS_BASE_URL", "http://127.0.0.1:5000").rstrip("/"),
        "MEETINGS_TRUSTED_PROXIES": int(os.environ.get("MEETINGS_TRUSTED_PROXIES", "0")),
        "DOSSIER_MAX_BYTES": int(float(os.environ.get("MEETINGS_MAX_UPLOAD_MB", "100")) * 1024 * 1024),
        "DOSSIER_MAX_PAGES": int(os.environ.get("MEETINGS_MAX_PAGES", "2000")),
        "MEETINGS_SOFFICE": os.environ.get("MEETINGS_SOFFICE") or None,
        "DOSSIER_CONVERT_SECONDS": int(os.environ.get("MEETINGS_CONVERT_SECONDS", "120")),
        "DOSSIER_CONVERT_MEMORY_MB": int(os.environ.get("MEETINGS_CONVERT_MEMORY_MB", "2048")),
        "TASKS_MAX_REPORT_BYTES": int(os.environ.get("TASKS_MAX_REPORT_BYTES", 20 * 1024 * 1024)),
        "OFFLINE_BRIEFCASE": _bool("MEETINGS_OFFLINE", True),
        "OFFLINE_KEEP_DAYS": int(os.environ.get("MEETINGS_OFFLINE_KEEP_DAYS", "30")),
        "MEETINGS_PROCESSES": os.environ.get("MEETINGS_PROCESSES", DEFAULTS["MEETINGS_PROCESSES"]),
        "METRICS_ALLOW": os.environ.get("METRICS_ALLOW", DEFAULTS["METRICS_ALLOW"]),
        "METRICS_TOKEN": os.environ.get("METRICS_TOKEN") or None,
        "MEETINGS_JSON_LOGS": _bool("MEETINGS_JSON_LOGS", True),
        # Background jobs (meetings/jobs): Redis when JOBS_REDIS_URL or REDIS_URL is set, else an
        # SQLite file in the instance folder; JOBS_IMMEDIATE=1 runs them inside the web process.
        "JOBS_IMMEDIATE": _bool("JOBS_IMMEDIATE", False),
        "JOBS_REDIS_URL": os.environ.get("JOBS_REDIS_URL") or None,
        "JOBS_QUEUE_NAME": os.environ.get("JOBS_QUEUE_NAME") or None,
        "JOBS_SQLITE_PATH": os.environ.get("JOBS_SQLITE_PATH") or None,
        "GENERATION_WAIT_SECONDS": float(os.environ.get("MEETINGS_GENERATION_WAIT_SECONDS", "30")),
        "MEETINGS_ACCEL_REDIRECT": os.environ.get("MEETINGS_ACCEL_REDIRECT") or None,
        # Child processes a web process draws page images and copies in (meetings/drawpool.py): one per core.
        "DRAW_PROCESSES": int(os.environ.get("MEETINGS_DRAW_PROCESSES") or os.cpu_count() or 1),
    }


DEFAULTS = {
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    "WTF_CSRF_TIME_LIMIT": None,  # tied to the session instead, so a long meeting never expires a form
    "BABEL_DEFAULT_LOCALE": "vi",
    "MEETINGS_TIMEZONE": DEFAULT_ZONE,
    "LANGUAGES": ["vi", "en"],
    # Sign-in throttle per (e-mail, client address): free tries, then a wait that doubles with each
    # further failure, up to the cap (meetings/auth/throttle.py).
    "LOGIN_FREE_FAILURES": 3,
    "LOGIN_FIRST_DELAY_SECONDS": 2,
    "LOGIN_MAX_DELAY_SECONDS": 15 * 60,
    "LOGIN_RATE_LIMIT": "20 per minute",
    # Reverse proxies in front (nginx: 1). The sign-in throttle and rate limit key on the client's
    # address: behind a proxy that is not trusted, every client looks like the proxy, and one
    # address's failures would slow everyone down.
    "MEETINGS_TRUSTED_PROXIES": 0,
    "RATELIMIT_HEADERS_ENABLED": True,
    "PAGE_SIZE": 25,
    "SOCKETIO_CHANNEL": "meetings",
    "MEETINGS_BASE_URL": "http://127.0.0.1:5000",
    # Mail defaults also apply to tests and tools that skip the environment; from_environment overrides.
    "SMTP_HOST": "localhost",
    "MAIL_TRANSPORT": "smtp",
    "SMTP_PORT": 25,
    "SMTP_USER": None,
    "SMTP_PASSWORD": None,
    "SMTP_STARTTLS": False,
    "MAIL_FROM": "lich-cong-tac@localhost",
    "MAX_CONTENT_LENGTH": 100 * 1024 * 1024,
    "DOSSIER_MAX_BYTES": 100 * 1024 * 1024,  # one uploaded document
    "DOSSIER_MAX_PAGES": 2000,
    # An office file's conversion by LibreOffice (meetings/dossiers/convert.py): wall-clock seconds and
    # address space; past either the file is refused and the whole LibreOffice process group killed.
    "MEETINGS_SOFFICE": None,
    "DOSSIER_CONVERT_SECONDS": 120,
    "DOSSIER_CONVERT_MEMORY_MB": 2048,
    "TASKS_MAX_REPORT_BYTES": 20 * 1024 * 1024,  # a completion report's attached file
    # The offline briefcase (meetings/offline/): a service worker keeps the shell, my schedule and my
    # coming meetings on the device. Off unless the environment turns it on (from_environment does by
    # default), so tests and tools that skip the environment run without a service worker in the way.
    "OFFLINE_BRIEFCASE": False,
    "OFFLINE_KEEP_DAYS": 30,  # kept files are removed this many days after their meeting ended
    # The background processes /readyz expects a fresh heartbeat from (comma-separated). A deployment
    # that runs no worker (jobs inline, or none) says so with MEETINGS_PROCESSES=scheduler.
    "MEETINGS_PROCESSES": "scheduler,worker",
    # Who may read /metrics: client addresses (CIDRs, after MEETINGS_TRUSTED_PROXIES), or a bearer token.
    "METRICS_ALLOW": "127.0.0.1/32,::1/128",
    "METRICS_TOKEN": None,
    "MEETINGS_JSON_LOGS": True,  # one JSON line per request and job on stderr (not under TESTING)
    # How long a request waits for another maker of the same page image or copy before a 503.
    "GENERATION_WAIT_SECONDS": 30,
    # Drawing in child processes (from_environment: one per core); 0 draws in the asking thread, as the
    # tests, the benches' in-process apps and the worker (already a process of its own) do.
    "DRAW_PROCESSES": 0,
    # JOBS_PREPARE_AHEAD (personal copies made by the worker when a meeting is published): on,
    # except under TESTING (meetings/jobs.init_app).
    # nginx's internal location mapping this host's MEETINGS_CACHE (e.g. "/_files/"): page images and
    # personal copies are then answered with X-Accel-Redirect after the access check, and nginx sends
    # the file (deploy/nginx.conf). None: the web process sends it (sendfile).
    "MEETINGS_ACCEL_REDIRECT": None,
}


def fit_engine(config) -> None:
    """Engine options that depend on the database: PostgreSQL's pooled connections are pinged before use
    (one that a restart or a firewall cut is replaced, not failed on); an SQLite file has no connection to
    lose, and the ping cost a tenth of a millisecond on every cached page read."""
    if config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        config["SQLALCHEMY_ENGINE_OPTIONS"] = {key: value for key, value in config["SQLALCHEMY_ENGINE_OPTIONS"].items()
                                               if key != "pool_pre_ping"}
    else:
        cache_long_statements()


# psycopg turns each statement's %(name)s placeholders into $1, $2 in Python, and remembers the result
# only for statements under 4 KB and 50 parameters (a guard against INSERTs of varying length filling
# its 128-entry cache). A search's statements (the caller's access to five kinds of rows) are 6-12 KB
# and always the same few texts: each was split again on every search, 3.4 ms a statement, four or
# five a search, more than PostgreSQL took to plan and run them. 128 entries of at most 64 KB stay
# bounded.
PSYCOPG_CACHED_LENGTH, PSYCOPG_CACHED_PARAMS = 64 * 1024, 100


def cache_long_statements() -> None:
    from psycopg import _queries  # the driver's own module: tests/search/test_plan_costs.py notices a rename

    _queries.MAX_CACHED_STATEMENT_LENGTH = max(_queries.MAX_CACHED_STATEMENT_LENGTH, PSYCOPG_CACHED_LENGTH)
    _queries.MAX_CACHED_STATEMENT_PARAMS = max(_queries.MAX_CACHED_STATEMENT_PARAMS, PSYCOPG_CACHED_PARAMS)


def check(config) -> None:
    """Fail fast on a configuration that is dangerous in production."""
    if not is_valid_zone(config["MEETINGS_TIMEZONE"]):
        raise ConfigError(f"MEETINGS_TIMEZONE={config['MEETINGS_TIMEZONE']!r} is not a known time zone")
    accel = config.get("MEETINGS_ACCEL_REDIRECT")
    if accel and not (accel.startswith("/") and accel.endswith("/") and "//" not in accel and ".." not in accel):
        raise ConfigError(f"MEETINGS_ACCEL_REDIRECT={accel!r} must be a location path such as /_files/")
    if config.get("MEETINGS_ENV") != "production":
        return
    if config.get("DEBUG"):
        raise ConfigError("DEBUG must be off in production")
    if len(config.get("SECRET_KEY") or "") < 32:
        raise ConfigError("SECRET_KEY must be at least 32 characters in production")
    if config.get("MAIL_TRANSPORT", "smtp") != "smtp":
        raise ConfigError("MAIL_TRANSPORT must be smtp in production: e-mail would never leave the outbox")
    if config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite") and config.get("REDIS_URL"):
        raise ConfigError("several processes (REDIS_URL is set) cannot share an SQLite database: use PostgreSQL")
