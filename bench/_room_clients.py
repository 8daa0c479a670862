"""Many cheap live-room clients in one asyncio process, for bench/live_broadcast.py.

Each client is a bare RFC 6455 websocket over asyncio streams that speaks Engine.IO v4 / Socket.IO v5
by hand (open packet, `40/live,{auth}`, `42/live,N["join_meeting",...]` with its `43/live,N[...]`
acknowledgement, ping "2" / pong "3"). The floor (`--bare`) runs the very same client code against
bench/_bare_ws.py, which sends the same `42/live,[...]` text without Socket.IO: so the ratio compares
servers, not client libraries. (python-socketio's own client costs several threads a connection; 300
of them on two cores spent more time receiving than the server spent sending.)

Driven over stdin/stdout, one line each way:
    -> READY n                  all n clients connected (and joined the meeting)
    <- REPORT v                 wait until every client has version v, then
    -> {...}                    one JSON line: arrival times (time.perf_counter, the same monotonic
                                clock in every process on Linux) and what each client saw since the
                                last report; recording restarts
    <- QUIT
"""
import argparse
import asyncio
import base64
import json
import os
import sys
import time
from urllib.parse import urlsplit

NAMESPACE = "/live"
EVENT_PREFIX = f"42{NAMESPACE},"
ACK_PREFIX = f"43{NAMESPACE},"


def frame(text: str) -> bytes:
    """A masked text frame (RFC 6455 5.2: a client masks everything it sends)."""
    data = text.encode()
    size = len(data)
    if size < 126:
        head = bytes([0x81, 0x80 | size])
    elif size < 1 << 16:
        head = bytes([0x81, 0x80 | 126]) + size.to_bytes(2, "big")
    else:
        head = bytes([0x81, 0x80 | 127]) + size.to_bytes(8, "big")
    mask = os.urandom(4)
    key = int.from_bytes((mask * (size // 4 + 1))[:size], "big")
    return head + mask + (int.from_bytes(data, "big") ^ key).to_bytes(size, "big")


class Client:
    """One screen: applies pushes in version order and records when each arrived."""

    def __init__(self, url: str, token: str | None, meeting_id: int | None):
        self.url, self.token, self.meeting_id = url, token, meeting_id
        self.version: int | None = None  # after the join acknowledgement
        self.arrived: dict[int, float] = {}  # version -> when its push arrived (this report period)
        self.pushes: list[int] = []  # versions pushed in this period, in arrival order
        self.rejoins = 0
        self.reached = asyncio.Event()
        self.wanted: int | None = None
        self._early: list[dict] = []
        self._ack_id = 0
        self._acks: dict[int, asyncio.Future] = {}

    async def connect(self, bare: bool) -> None:
        parts = urlsplit(self.url)
        self.reader, self.writer = await asyncio.open_connection(parts.hostname, parts.port)
        path = parts.path if bare else "/socket.io/?EIO=4&transport=websocket"
        key = base64.b64encode(os.urandom(16)).decode()
        self.writer.write((f"GET {path} HTTP/1.1\r\nHost: {parts.netloc}\r\nUpgrade: websocket\r\n"
                           f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n")
                          .encode())
        head = await self.reader.readuntil(b"\r\n\r\n")
        if b" 101 " not in head.split(b"\r\n", 1)[0]:
            raise ConnectionError(head.decode(errors="replace"))
        self.bare = bare
        self.loop_task = asyncio.create_task(self._read_loop())
        if bare:
            self.version = 0
            return
        self._connected = asyncio.get_running_loop().create_future()
        self.send("40" + NAMESPACE + "," + json.dumps({"token": self.token}))
        await self._connected
        await self.join(None)

    def send(self, text: str) -> None:
        self.writer.write(frame(text))

    async def join(self, since: int | None) -> None:
        self._ack_id += 1
        ack = self._acks[self._ack_id] = asyncio.get_running_loop().create_future()
        self.send(f"42{NAMESPACE},{self._ack_id}" + json.dumps(
            ["join_meeting", {"meeting_id": self.meeting_id, "since_version": since}]))
        reply = (await ack)[0]
        if "error" in reply:
            raise RuntimeError(reply["error"])
        changes = reply.get("changes") or []
        self.version = changes[-1]["version"] if changes else reply["version"]
        early, self._early = sorted(self._early, key=lambda u: u["version"]), []
        for update in early:
            self._update(update)

    async def _read_loop(self) -> None:
        read = self.reader.readexactly
        try:
            while True:
                head = await read(2)
                size = head[1] & 0x7F
                if size == 126:
                    size = int.from_bytes(await read(2), "big")
                elif size == 127:
                    size = int.from_bytes(await read(8), "big")
                payload = await read(size) if size else b""
                opcode = head[0] & 0x0F
                if opcode == 0x9:  # a websocket ping: answer with a pong (masked, as every client frame)
                    self.writer.write(bytes([0x8A, 0x80 | len(payload)]) + b"\0\0\0\0" + payload)
                elif opcode == 0x8:
                    return
                elif opcode == 0x1:
                    self._message(payload.decode())
        except (asyncio.IncompleteReadError, ConnectionError):
            return

    def _message(self, text: str) -> None:
        now = time.perf_counter()
        if text.startswith(EVENT_PREFIX):
            name, update = json.loads(text[len(EVENT_PREFIX):])
            if name == "meeting_update" and update["meeting_id"] == self.meeting_id:
                self.arrived.setdefault(update["version"], now)
                self.pushes.append(update["version"])
                self._update(update)
        elif text == "2":
            self.send("3")
        elif text.startswith(ACK_PREFIX):
            body = text[len(ACK_PREFIX):]
            number = int(body[:body.index("[")])
            self._acks.pop(number).set_result(json.loads(body[body.index("["):]))
        elif text.startswith("40" + NAMESPACE):
            self._connected.set_result(True)
        elif text.startswith("44" + NAMESPACE):
            self._connected.set_exception(ConnectionRefusedError(text))

    def _update(self, update: dict) -> None:
        """The browser's rule (static/js/live-meeting.js): apply version+1, drop old, rejoin on a gap."""
        if self.bare:  # the floor sends one message per round: nothing to order
            self.version = update["version"]
        elif self.version is None or self._acks:
            self._early.append(update)
        elif update["version"] == self.version + 1:
            self.version = update["version"]
        elif update["version"] > self.version + 1:
            self.rejoins += 1
            self._early.append(update)
            asyncio.ensure_future(self.join(self.version))
        if self.wanted is not None and self.version is not None and self.version >= self.wanted:
            self.reached.set()

    def take_report(self) -> dict:
        report = {"arrived": self.arrived, "pushes": self.pushes, "rejoins": self.rejoins, "version": self.version}
        self.arrived, self.pushes, self.rejoins = {}, [], 0
        return report

    def close(self) -> None:
        self.writer.close()


async def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True, help="http://host:port (Socket.IO) or ws://host:port/ws (bare)")
    parser.add_argument("--clients", type=int, required=True)
    parser.add_argument("--token")
    parser.add_argument("--meeting", type=int)
    parser.add_argument("--bare", action="store_true")
    parser.add_argument("--at-once", type=int, default=20, help="connections opened at the same time")
    args = parser.parse_args(argv)
    clients = [Client(args.url, args.token, args.meeting) for _ in range(args.clients)]
    gate = asyncio.Semaphore(args.at_once)  # a reconnect storm is its own test; this one measures pushes

    async def connect(client):
        async with gate:
            await client.connect(args.bare)

    await asyncio.gather(*(connect(c) for c in clients))
    out = sys.stdout
    out.write(f"READY {len(clients)}\n")
    out.flush()
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    while line := (await reader.readline()).decode().split():
        if line[0] == "QUIT":
            break
        wanted = int(line[1])
        for client in clients:
            # Cleared here, not after the last report: a push since then set it against the old target,
            # and a stale "reached" let a report go out before the last push had arrived (it then
            # looked lost: "missing" without a gap at a client that was merely one push short).
            client.reached.clear()
            client.wanted = wanted
            if client.version is not None and client.version >= wanted:
                client.reached.set()
        done, _ = await asyncio.wait([asyncio.ensure_future(c.reached.wait()) for c in clients], timeout=60)
        reports = [c.take_report() for c in clients]
        out.write(json.dumps({"short": len(clients) - len(done), "clients": reports}) + "\n")
        out.flush()
    for client in clients:
        client.close()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1:]))
