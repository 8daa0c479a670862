"""Live room broadcast: 300 clients of one server process (no Redis), one agenda change to all of them,
beside a bare websocket broadcast of the same message (the floor); server memory; then a sustained
50 changes a second with zero lost or out-of-order updates.

    python -m bench live_broadcast                          # 300 clients, 5 s sustained
    LIVE_BENCH_FULL=1 python -m bench live_broadcast        # 300 clients, 30 s sustained (the issue's run)
    python -m bench.live_broadcast --full --clients 300 --rounds 30 --procs 2 --senders 4

The clients are bench/_room_clients.py: cheap asyncio websockets speaking Socket.IO by hand, spread
over --procs processes; the floor uses the same client code against bench/_bare_ws.py, so both
figures pay the same receiving cost. "One change" is measured --rounds times, one change at a time
after one untimed change (a process's first change compiles its SQL), and the latencies (POST sent ->
push arrived, per client) are pooled; the floor's rounds alternate with them, so both figures come
from the same minutes of the machine. The sustained run paces `POST /current` at 50 a second and
checks every push every client received: each exactly the previous version + 1, none missing; a
client that differs is described (what is missing, repeated or out of order, where it ended).

Last measured (full 30 s runs, this 2-core machine otherwise idle; README "Live speed"): SQLite
one change p95 16.3-20.2 ms, ratio to the floor 1.66-1.89, 205 MB; PostgreSQL p95 20.5-26.4 ms, ratio
2.06-2.18, 211 MB; sustained 50.0/s with nothing lost, repeated or out of order on both. The first
python-socketio client bench had given p95 247 ms, ratio 13.4 and about 4 changes a second.
"""
import argparse
import http.client
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import websocket

from bench.common import bench_app, percentile

ROOT = Path(__file__).resolve().parent.parent
RATE = 50


def start(module: str, env: dict) -> tuple[subprocess.Popen, str]:
    process = subprocess.Popen([sys.executable, "-m", module], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, text=True)  # one log line per request drowns the figures
    line = process.stdout.readline()
    if not line.startswith("PORT "):
        process.kill()
        raise SystemExit(f"{module} did not start: {line!r}")
    return process, f"http://127.0.0.1:{int(line.split()[1])}"


class Poster:
    """POSTs over one keep-alive connection with http.client: the time taken is the server's, not a client
    library's (requests spent about a millisecond of its own on each call; the floor's sender spends little)."""

    def __init__(self, url: str, token: str):
        parts = url.split("://", 1)[1].split(":")
        self.connection = http.client.HTTPConnection(parts[0], int(parts[1]), timeout=30)
        self.headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}

    def post(self, path: str, data: dict) -> tuple[int, dict]:
        self.connection.request("POST", path, json.dumps(data), self.headers)
        response = self.connection.getresponse()
        return response.status, json.loads(response.read())

    def get(self, path: str) -> dict:
        self.connection.request("GET", path, headers=self.headers)
        response = self.connection.getresponse()
        body = response.read()
        assert response.status == 200, body
        return json.loads(body)


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time the process has used (/proc/PID/stat fields 14 and 15)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def set_up(app):
    """A published meeting with a chair and one member (all benchmark sockets sign in as the member)."""
    from meetings.auth import services as auth
    from meetings.directory import services as directory
    from meetings.dossiers import agenda, services as dossiers
    from meetings.timeutil import now_utc

    with app.app_context():
        secretary = directory.create_user({"email": "tk@bench.vn", "name": "Thư ký", "role": "secretary",
                                           "password": "bench-password"})
        chair = directory.create_user({"email": "ct@bench.vn", "name": "Chủ trì", "role": "leader",
                                       "password": "bench-password"})
        member = directory.create_user({"email": "tv@bench.vn", "name": "Thành viên", "role": "member",
                                        "password": "bench-password"})
        meeting = dossiers.create_meeting({"title": "Họp giao ban", "start": "2026-12-02T14:00",
                                           "end": "2026-12-02T16:00", "status": "published", "participants": [
                                               {"user_id": chair.id, "role": "chair"},
                                               {"user_id": member.id, "role": "member"}]}, secretary, now_utc())
        items = [agenda.add_item(meeting.id, {"title": f"Nội dung {n}", "duration_minutes": 10}, secretary,
                                 now_utc()).id for n in range(3)]
        tokens = {who: auth.create_token(user, "bench", now_utc())[1] for who, user in
                  (("chair", chair), ("member", member))}
        return meeting.id, items, tokens


class Crowd:
    """`clients` room clients spread over `procs` processes of bench/_room_clients.py."""

    def __init__(self, url: str, clients: int, procs: int, meeting_id: int, token: str | None = None,
                 bare: bool = False):
        self.processes = []
        for n in range(procs):
            share = clients // procs + (1 if n < clients % procs else 0)
            command = [sys.executable, "-m", "bench._room_clients", "--url", url, "--clients", str(share),
                       "--meeting", str(meeting_id)] + (["--bare"] if bare else ["--token", token])
            self.processes.append(subprocess.Popen(command, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                                   text=True, env=dict(os.environ, PYTHONPATH=str(ROOT))))
        for process in self.processes:
            line = process.stdout.readline()
            if not line.startswith("READY"):
                raise SystemExit(f"clients did not connect: {line!r}")

    def report(self, version: int) -> tuple[int, list[dict]]:
        """Wait until every client has `version`; clients short of it after 60 s, and each client's record."""
        for process in self.processes:
            process.stdin.write(f"REPORT {version}\n")
            process.stdin.flush()
        short, clients = 0, []
        for process in self.processes:
            answer = json.loads(process.stdout.readline())
            short += answer["short"]
            clients += answer["clients"]
        return short, clients

    def close(self) -> None:
        for process in self.processes:
            try:
                process.stdin.write("QUIT\n")
                process.stdin.close()
                process.wait(timeout=30)
            except (OSError, subprocess.TimeoutExpired):
                process.kill()
                process.wait()


def latencies(clients: list[dict], sent: dict[int, float]) -> list[float]:
    """Milliseconds from sending each change to its push reaching each client."""
    return [(arrived - sent[int(version)]) * 1000 for c in clients for version, arrived in c["arrived"].items()
            if int(version) in sent]


def figures(samples: list[float]) -> str:
    return (f"p50 {percentile(samples, 50):7.1f} ms  p95 {percentile(samples, 95):7.1f} ms  "
            f"max {max(samples):7.1f} ms")


class Floor:
    """A bare websocket server (bench/_bare_ws.py) and as many plain websockets as the Socket.IO crowd: each
    round broadcasts the same message to all of them. Its rounds alternate with the Socket.IO rounds, so
    both figures come from the same minutes of this (steal-prone) machine."""

    def __init__(self, clients: int, procs: int, meeting_id: int, change: dict):
        self.change, self.version, self.crowd, self.control = change, 0, None, None
        self.process, url = start("bench._bare_ws", dict(os.environ, PYTHONPATH=str(ROOT)))
        ws_url = url.replace("http", "ws")
        try:
            self.crowd = Crowd(f"{ws_url}/ws", clients, procs, meeting_id, bare=True)
            self.control = websocket.create_connection(f"{ws_url}/go", timeout=30)
            deadline = time.monotonic() + 30
            while self.control.send("COUNT") and int(self.control.recv()) < clients:
                if time.monotonic() > deadline:
                    raise SystemExit("bare clients did not all register with the floor server")
                time.sleep(0.05)
        except BaseException:
            self.close()
            raise

    def round(self) -> list[float]:
        """Milliseconds from sending the message to its arrival, per client."""
        self.version += 1
        message = "42/live," + json.dumps(["meeting_update", dict(self.change, version=self.version)])
        sent = time.perf_counter()
        self.control.send(message)
        short, received = self.crowd.report(self.version)
        assert not short, f"{short} bare clients missed the message"
        return latencies(received, {self.version: sent})

    def close(self) -> None:
        if self.control:
            self.control.close()
        if self.crowd:
            self.crowd.close()
        self.process.kill()
        self.process.wait()


def disorder(clients: list[dict], first: int, last: int) -> tuple[int, int]:
    """Clients whose pushes were not exactly first..last in order; versions missing at some client."""
    wanted = list(range(first, last + 1))
    wrong = sum(1 for c in clients if c["pushes"] != wanted)
    missing = sum(len(set(wanted) - set(c["pushes"])) for c in clients)
    return wrong, missing


def describe(client: dict, first: int, last: int) -> str:
    """What went wrong at one client: versions missing, repeated or out of order, and where it ended."""
    pushes = client["pushes"]
    missing = sorted(set(range(first, last + 1)) - set(pushes))
    repeated = sorted({v for v in pushes if pushes.count(v) > 1})
    backwards = [(a, b) for a, b in zip(pushes, pushes[1:]) if b <= a]
    return (f"ended at version {client['version']} (wanted {last}), {len(pushes)} pushes, missing {missing[:10]}, "
            f"repeated {repeated[:10]}, out of order {backwards[:10]}, rejoins {client['rejoins']}")


def sustained(token: str, url: str, meeting_id: int, items: list[int], version: int, seconds: int,
              crowd: Crowd, workers: int) -> None:
    """RATE changes a second for `seconds`: change n is due at n / RATE; `workers` keep-alive sessions send
    them (a slow request delays that worker's next change, never skips it; the others go on)."""
    count, due = RATE * seconds, iter(range(RATE * seconds))
    sent, failures, lock = [], [], threading.Lock()
    start_at = time.perf_counter()

    def work():
        poster = Poster(url, token)
        while True:
            with lock:
                n = next(due, None)
            if n is None:
                return
            delay = start_at + n / RATE - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            with lock:
                sent.append(time.perf_counter())
            status, _body = poster.post(f"/api/v1/meetings/{meeting_id}/current", {"item_id": items[n % 3]})
            if status != 200:
                failures.append(status)

    threads = [threading.Thread(target=work) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    took = time.perf_counter() - start_at
    assert not failures, f"changes refused: {failures[:5]}"
    final = version + count
    short, clients = crowd.report(final)
    wrong, missing = disorder(clients, version + 1, final)
    rejoins = sum(c["rejoins"] for c in clients)
    # The meeting's row lock serialises the changes, so the k-th request sent makes version + k (to within
    # the few requests in flight at once).
    samples = latencies(clients, {version + 1 + k: at for k, at in enumerate(sorted(sent))})
    ok = not short and not wrong and not missing
    for n, c in enumerate(clients):
        if c["pushes"] != list(range(version + 1, final + 1)):
            print(f"  client {n}: " + describe(c, version + 1, final))
    # Paced sending cannot beat RATE; within 3 % of it means the server kept up (the last change left on time).
    pace = "  kept pace" if count / took >= RATE * 0.97 else "  FELL BEHIND"
    print(f"sustained: {count} changes in {took:.1f} s = {count / took:.1f}/s{pace} (asked {RATE}/s, {workers} senders; "
          f"{'full 30 s run' if seconds == 30 else 'short run; --full or LIVE_BENCH_FULL=1 for 30 s'}) "
          f"to {len(clients)} clients")
    print(f"  delivery latency during it: {figures(samples)}")
    print(f"  {short} clients short of the last version, {missing} pushes missing, {wrong} clients with a gap, "
          f"a repeat or out of order, {rejoins} rejoins{'  OK' if ok else '  FAILED'}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=300)
    parser.add_argument("--procs", type=int, default=2, help="client processes")
    parser.add_argument("--rounds", type=int, default=30, help="single changes timed one at a time")
    parser.add_argument("--senders", type=int, default=4, help="concurrent HTTP sessions of the sustained run")
    parser.add_argument("--full", action="store_true", default=bool(os.environ.get("LIVE_BENCH_FULL")),
                        help="sustain 50 changes a second for 30 s (default 5 s)")
    args = parser.parse_args(argv if argv is not None else [])
    app = bench_app()
    meeting_id, items, tokens = set_up(app)
    env = dict(os.environ, PYTHONPATH=str(ROOT), DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"],
               SECRET_KEY="bench" * 8, MEETINGS_INSTANCE=str(Path(app.instance_path)))
    env.pop("REDIS_URL", None)
    server, url = start("tests.server_main", env)
    crowd = None
    try:
        poster = Poster(url, tokens["chair"])
        crowd = Crowd(url, args.clients, args.procs, meeting_id, tokens["member"])
        version = poster.get(f"/api/v1/meetings/{meeting_id}")["version"]
        crowd.report(version)
        memory = rss_mb(server.pid)

        # The floor sends a message of the same shape and size as the push the clients receive.
        change = {"meeting_id": meeting_id, "type": "current_item", "data": {
            "item_id": items[0], "previous_item_id": items[2], "started_at": "2026-12-02T03:00:00.123456+00:00",
            "duration_minutes": 10}}
        floor = Floor(args.clients, args.procs, meeting_id, change)
        samples, bare = [], []
        try:
            for n in range(-1, args.rounds):  # round -1 warms up: a process's first change compiles its SQL
                time.sleep(0.2)  # one change at a time: the previous one has reached everyone and settled
                sent = time.perf_counter()
                status, body = poster.post(f"/api/v1/meetings/{meeting_id}/current", {"item_id": items[n % 3]})
                assert status == 200, body
                version += 1
                short, clients = crowd.report(version)
                assert not short and not disorder(clients, version, version)[0], "a client missed the change"
                time.sleep(0.2)
                floor_round = floor.round()
                if n >= 0:
                    samples += latencies(clients, {version: sent})
                    bare += floor_round
        finally:
            floor.close()

        p95, floor95 = percentile(samples, 95), percentile(bare, 95)
        print(f"one change to {args.clients} Socket.IO clients ({args.rounds} rounds, {args.procs} client processes): "
              f"{figures(samples)}  (target p95 < 150 ms){'  OK' if p95 < 150 else '  OVER TARGET'}")
        print(f"bare websocket broadcast (floor), same clients: {figures(bare)}")
        ratio = p95 / max(floor95, 0.001)
        print(f"ratio p95 / floor p95: {ratio:.2f} (target < 3){'  OK' if ratio < 3 else '  OVER TARGET'}")
        print(f"server RSS with {args.clients} clients: {memory:.0f} MB (target < 400 MB)"
              f"{'  OK' if memory < 400 else '  OVER TARGET'}")
        cpu, wall = cpu_seconds(server.pid), time.perf_counter()
        sustained(tokens["chair"], url, meeting_id, items, version, 30 if args.full else 5, crowd, args.senders)
        print(f"  server CPU during it: {(cpu_seconds(server.pid) - cpu) / (time.perf_counter() - wall) * 100:.0f}% "
              f"of one core")
    finally:
        if crowd:
            crowd.close()
        server.kill()
        server.wait()


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main(sys.argv[1:])
