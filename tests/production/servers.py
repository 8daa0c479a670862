"""The production pieces as separate processes: Debian's nginx with deploy/nginx.conf (only ports and
certificate paths changed) and gunicorn started with the README's command line."""
import ctypes
import ctypes.util
import ipaddress
import os
import pwd
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import requests

from tests.conftest import free_port, require_or_skip
from tests.processes import stop

ROOT = Path(__file__).resolve().parent.parent.parent
SITE = ROOT / "deploy" / "nginx.conf"
GUNICORN = ["-m", "gunicorn", "-w", "1", "--threads", "400"]  # the README's `gunicorn -w 1 --threads 400`

# Around the site file, what Debian's /etc/nginx/nginx.conf provides, in a private folder. The access
# log names the upstream process that answered each request: the test's only window into ip_hash.
MAIN = """daemon off;
worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/error.log notice;
events {{ worker_connections 1024; }}
http {{
    log_format upstreams '$request_method $uri $status $upstream_addr';
    access_log {dir}/access.log upstreams;
    client_body_temp_path {dir}/client_body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
    include {dir}/meetings.conf;
}}
"""


class FolderWatch:
    """Linux inotify on one folder, through ctypes (the standard library has no binding): `wait` returns
    when a file there is created, written or renamed into place, or at the timeout. Made before the
    condition is first looked at, so a change in between is still queued, never lost."""

    MASK = 0x2 | 0x8 | 0x80 | 0x100  # IN_MODIFY | IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE

    def __init__(self, folder: Path):
        self.fd = _LIBC.inotify_init1(os.O_NONBLOCK | os.O_CLOEXEC)
        if self.fd < 0 or _LIBC.inotify_add_watch(self.fd, str(folder).encode(), self.MASK) < 0:
            error = ctypes.get_errno()
            if self.fd >= 0:
                os.close(self.fd)
            raise OSError(error, f"inotify on {folder}")

    def wait(self, timeout: float) -> None:
        ready, _, _ = select.select([self.fd], [], [], max(timeout, 0))
        if ready:
            try:
                os.read(self.fd, 65536)  # the events themselves do not matter: the caller looks again
            except BlockingIOError:
                pass

    def close(self) -> None:
        os.close(self.fd)


_LIBC = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)


def wait_until(condition, timeout: float, what: str, folder: Path) -> None:
    """Until `condition()` holds, looking again each time something changes in `folder` (where the
    process waited for writes its pid file, logs or answers): an event, never a clock."""
    watch = FolderWatch(folder)
    try:
        deadline = time.monotonic() + timeout
        while not condition():
            left = deadline - time.monotonic()
            if left <= 0:
                pytest.fail(f"timed out after {timeout} s waiting for {what}")
            watch.wait(left)
    finally:
        watch.close()


def listening(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def nginx_or_skip() -> str:
    found = shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if os.access(p, os.X_OK)), None)
    if not found:
        require_or_skip("nginx is not installed (apt-get install nginx)")
    return found


def site_config(upstream_ports: list[int], http_port: int, https_port: int, certificate: Path, key: Path,
                caches: Path) -> str:
    """deploy/nginx.conf with the test's ports, certificate and caches folder: nothing else may differ."""
    text = SITE.read_text()
    changes = {"server 127.0.0.1:8000;": f"server 127.0.0.1:{upstream_ports[0]};",
               "alias /var/cache/meetings/;": f"alias {caches}/;",
               "server 127.0.0.1:8001;": f"server 127.0.0.1:{upstream_ports[1]};",
               "listen 80;": f"listen 127.0.0.1:{http_port};",
               "listen 443 ssl;": f"listen 127.0.0.1:{https_port} ssl;",
               "/etc/ssl/meetings/fullchain.pem": str(certificate),
               "/etc/ssl/meetings/privkey.pem": str(key)}
    for old, new in changes.items():
        assert text.count(old) == 1, f"deploy/nginx.conf no longer has exactly one {old!r}: update the test"
        text = text.replace(old, new)
    return text


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1, so the test speaks TLS to nginx as browsers do and verifies it."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    start = datetime(2020, 1, 1, tzinfo=timezone.utc)  # fixed: the test must not depend on the clock
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
                   .serial_number(18).not_valid_before(start).not_valid_after(start + timedelta(days=365 * 30))
                   .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                                  critical=False)
                   .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
                   .sign(key, hashes.SHA256()))
    cert_path, key_path = folder / "fullchain.pem", folder / "privkey.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


class Nginx:
    def __init__(self, folder: Path, http_port: int, https_port: int, certificate: Path):
        self.folder, self.http_port, self.https_port, self.certificate = folder, http_port, https_port, certificate
        self.url = f"https://127.0.0.1:{https_port}"

    def log(self, path_prefix: str = "") -> list[tuple[str, str]]:
        """(status, upstream address) of each logged request whose path starts with `path_prefix`, in
        order; the address is "a, b" when nginx tried a first. A websocket is logged when it closes."""
        lines = (self.folder / "access.log").read_text().splitlines()
        return [(status, upstream) for _method, uri, status, upstream in (line.split(" ", 3) for line in lines)
                if uri.startswith(path_prefix)]

    def uris(self) -> list[str]:
        """The URI each logged request ended at: /_files/... when the app handed nginx a cached file."""
        return [line.split(" ", 3)[1] for line in (self.folder / "access.log").read_text().splitlines()]

    def websockets(self) -> list[str]:
        """The upstream of each closed Socket.IO websocket (101 Switching Protocols)."""
        return [upstream for status, upstream in self.log("/socket.io/") if status == "101"]


@contextmanager
def caches_folder():
    """Where the web processes keep their caches, which nginx reads under X-Accel-Redirect: as in
    production (nginx's user in the service's group), the files (mode 0640) are readable by nginx's
    group, here nobody's (the folder's group, inherited through its set-group-id bit), and by no one else."""
    folder = Path(tempfile.mkdtemp(prefix="meetings-caches-"))  # not under pytest's 0700 folders
    if os.geteuid() == 0:
        os.chown(folder, -1, pwd.getpwnam("nobody").pw_gid)
        folder.chmod(0o2750)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def nginx(upstream_ports: list[int], caches: Path):
    """nginx on free ports in its own folder, as an unprivileged user (nobody when the tests run as root)."""
    binary = nginx_or_skip()
    folder = Path(tempfile.mkdtemp(prefix="meetings-nginx-"))  # not under pytest's 0700 folders: nobody reads it
    certificate, key = self_signed(folder)
    http_port, https_port = free_port(), free_port()
    (folder / "meetings.conf").write_text(site_config(upstream_ports, http_port, https_port, certificate, key,
                                                      caches))
    (folder / "nginx.conf").write_text(MAIN.format(dir=folder))
    as_user = {}
    if os.geteuid() == 0:
        nobody = pwd.getpwnam("nobody")
        for path in [folder, *folder.iterdir()]:
            os.chown(path, nobody.pw_uid, nobody.pw_gid)
        as_user = {"user": nobody.pw_uid, "group": nobody.pw_gid, "extra_groups": []}
    process = subprocess.Popen([binary, "-p", str(folder), "-c", str(folder / "nginx.conf"),
                                "-e", str(folder / "error.log")],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **as_user)
    server = Nginx(folder, http_port, https_port, certificate)
    try:
        # nginx writes its pid file once its sockets are bound, and error.log if it fails: both in `folder`.
        wait_until(lambda: process.poll() is not None or listening(https_port), 10, "nginx to listen", folder)
        if process.poll() is not None:
            pytest.fail(f"nginx did not start:\n{_tail(folder / 'error.log')}")
        yield server
    finally:
        stop(process)
        shutil.rmtree(folder, ignore_errors=True)


class Gunicorn:
    def __init__(self, process: subprocess.Popen, port: int, log: Path, cache: Path):
        self.process, self.port, self.log, self.cache = process, port, log, cache
        self.url, self.address = f"http://127.0.0.1:{port}", f"127.0.0.1:{port}"

    def kill(self) -> None:
        """SIGKILL to gunicorn's master and worker at once: a host that dies, not one that shuts down."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()


@contextmanager
def gunicorns(hosts: list[tuple[dict, int, Path]]):
    """`gunicorn -w 1 --threads 400 -b 127.0.0.1:<port> wsgi:app` for each (environment, port, log),
    started at once; loading the app is most of their start, so wait with `ready()` as late as possible."""
    servers = []
    try:
        for env, port, log in hosts:
            with open(log, "wb") as output:
                process = subprocess.Popen([sys.executable, *GUNICORN, "-b", f"127.0.0.1:{port}", "wsgi:app"],
                                           cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT,
                                           start_new_session=True)
            servers.append(Gunicorn(process, port, log, Path(env["MEETINGS_CACHE"])))
        yield servers
    finally:
        for server in servers:
            if server.process.poll() is None:
                os.killpg(server.process.pid, signal.SIGTERM)
        for server in servers:
            try:
                server.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(server.process.pid, signal.SIGKILL)
                server.process.wait()


def ready(servers: list[Gunicorn]) -> None:
    """Each server answers /healthz (or the test fails with its log). Its master logs "Listening at"
    once the socket is bound; a request then waits in the socket's backlog until the worker has loaded
    the app and takes it, so one request with a long timeout is the wait."""
    for server in servers:
        wait_until(lambda: server.process.poll() is not None or "Listening at" in _tail(server.log), 60,
                   f"gunicorn on {server.port} to listen", server.log.parent)
        if server.process.poll() is None and _healthy(server.url):
            continue
        pytest.fail(f"gunicorn did not start:\n{_tail(server.log)}")


def _healthy(url: str) -> bool:
    try:
        return requests.get(f"{url}/healthz", timeout=60).status_code == 200
    except (requests.ConnectionError, requests.Timeout):  # its worker failed to load the app
        return False


def _tail(path: Path) -> str:
    return path.read_text(errors="replace")[-4000:] if path.exists() else "(no log)"
