"""The production pieces as separate processes: Debian's nginx with deploy/nginx.conf (only ports and
certificate paths changed) and gunicorn started with the README's command line."""
import ipaddress
import os
import pwd
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


def wait_until(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.05)


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
        wait_until(lambda: process.poll() is not None or listening(https_port), 10, "nginx to listen")
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
    """Each server answers /healthz (or the test fails with its log)."""
    for server in servers:
        wait_until(lambda: server.process.poll() is not None or _healthy(server.url), 60, f"gunicorn on {server.port}")
        if server.process.poll() is not None:
            pytest.fail(f"gunicorn did not start:\n{_tail(server.log)}")


def _healthy(url: str) -> bool:
    try:
        return requests.get(f"{url}/healthz", timeout=5).status_code == 200
    except (requests.ConnectionError, requests.Timeout):  # gunicorn listens before its worker has loaded the app
        return False


def _tail(path: Path) -> str:
    return path.read_text(errors="replace")[-4000:] if path.exists() else "(no log)"
