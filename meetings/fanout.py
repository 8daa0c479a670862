"""Room broadcasts written straight to each websocket by the emitting thread, as a bare websocket server would.

Why: python-engineio in threading mode gives every socket a writer thread fed by a queue, so one
change to a 300-tablet room woke 300 threads that then took turns at the GIL — measured at about
3 context switches and 80 µs of server CPU per message, which capped the room near 10 changes a
second on two cores. Here the thread that emits (the request that committed the change, or the
Redis listener) frames the message for each socket and hands it to the kernel without blocking.

Rules that keep it safe:
- A socket's frames are made and written under that socket's lock, by whichever thread sends
  (engineio's writer for everything else: acknowledgements, pings), so frames never interleave and
  a compressed stream (permessage-deflate) is written in the order it was compressed.
- Nothing here waits for a client. When the kernel's send buffer of a socket is full (a tablet on bad
  Wi-Fi), the rest goes to a spill thread of that socket, and every later frame of it queues behind
  until the backlog is written: late, never lost, never reordered; the other screens do not wait.
- simple-websocket's own reader thread also writes to the socket (the pong to a client's ping, the
  reply to its closing handshake): it is handed a guarded socket whose sends take the same lock and
  queue behind the same backlog, so not even a pong lands inside a half-written frame.
- Only websocket connections of this process are served here. Long-polling clients and the test
  client go through engineio's queue as before (`deliver` returns False for them).

It relies on two internals of python-engineio (the websocket class it picks from `_async`, and that
class being handed the socket's bound `_websocket_handler`) and on simple-websocket taking its socket
from the WSGI environment and writing only with `send`; requirements.txt pins both versions.
"""
import os
import socket
import threading
from contextlib import nullcontext

import simple_websocket
import socketio
from engineio.async_drivers._websocket_wsgi import SimpleWebSocketWSGI
from socketio import packet as sio_packet
from engineio import packet as eio_packet
from wsproto.events import BytesMessage, TextMessage
from wsproto.utilities import LocalProtocolError

_SOCKETS: dict[str, "DirectWebSocket"] = {}  # engineio sid -> its open websocket in this process


class DirectWebSocket(SimpleWebSocketWSGI):
    """engineio's threading websocket, with a lock around sending and a way in for broadcasts."""

    def __init__(self, handler, server, **kwargs):
        super().__init__(handler, server, **kwargs)
        self.engine_socket = handler.__self__  # the handler is engineio's Socket._websocket_handler
        self.lock = threading.Lock()
        self.backlog: list[bytes] | None = None  # frames waiting for the spill thread; None: none
        self.raw = None  # the connection's socket, written to only under the lock

    def __call__(self, environ, start_response):
        """SimpleWebSocketWSGI.__call__, but simple-websocket gets the guarded socket."""
        sid = self.engine_socket.sid
        _SOCKETS[sid] = self
        try:
            key = next((k for k in ("werkzeug.socket", "gunicorn.socket") if k in environ), None)
            if key is not None:
                self.raw = environ[key]
                environ = dict(environ, **{key: _GuardedSocket(self, self.raw)})
            self.ws = simple_websocket.Server(environ, **self.server_args)
            if self.raw is None:  # another server: its socket as simple-websocket found it
                self.raw = self.ws.sock
            result = self.app(self)
            if self.ws.mode == "gunicorn":
                raise StopIteration()
            if self.ws.mode == "werkzeug":
                raise ConnectionError()
            return result
        finally:
            if _SOCKETS.get(sid) is self:
                del _SOCKETS[sid]

    def send(self, message):
        """engineio's writer thread: the same path as a broadcast, so ordering holds across both."""
        try:
            self.write(message)
        except (simple_websocket.ConnectionClosed, LocalProtocolError):
            raise OSError()

    def close(self):
        try:
            if self.ws.connected:
                self.ws.close()  # its closing frame comes back through the guarded socket, under the lock
        except simple_websocket.ConnectionClosed:
            pass

    def ready(self) -> bool:
        engine = self.engine_socket
        ws = getattr(self, "ws", None)
        return (ws is not None and ws.connected and engine.upgraded and not engine.upgrading
                and not engine.closing and not engine.closed)

    def write(self, message: str | bytes, frame: bytes | None = None) -> None:
        """Frame `message` and write it now if the kernel takes it whole; else queue it behind the backlog.
        `frame`: the message already framed by `text_frame`, used unless this socket compresses."""
        ws = self.ws
        with self.lock:
            if not ws.connected:
                raise simple_websocket.ConnectionClosed(ws.close_reason, ws.close_message)
            if frame is not None and not _compresses(ws.ws):
                data = frame  # wsproto keeps no per-message state for whole uncompressed frames
            else:
                event = BytesMessage(data=message) if isinstance(message, bytes) else TextMessage(data=message)
                data = ws.ws.send(event)  # compressed here when the client asked for it
            self._put(data)

    def write_bytes(self, data: bytes) -> None:
        """Bytes simple-websocket framed itself (a pong, a closing frame), in turn with everything else."""
        with self.lock:
            self._put(data)

    def _put(self, data: bytes) -> None:
        """Under the lock: to the kernel now, or behind the backlog."""
        if self.backlog is not None:
            self.backlog.append(data)
            return
        sent = _send_now(self.raw, data)
        if sent < len(data):
            self.backlog = [data[sent:]]
            threading.Thread(target=self._spill, daemon=True, name="fanout-spill").start()

    def _spill(self) -> None:
        """Write a slow client's backlog with blocking sends, outside the lock, oldest first."""
        while True:
            with self.lock:
                if not self.backlog:
                    self.backlog = None
                    return
                data = b"".join(self.backlog)
                self.backlog.clear()
            try:
                self.raw.sendall(data)
            except OSError:  # the client went away; its reader thread closes the socket
                with self.lock:
                    self.backlog = None
                return


class _GuardedSocket:
    """The connection's socket as simple-websocket sees it: reading and closing as usual, but what its
    reader thread sends goes through DirectWebSocket's lock and backlog."""

    def __init__(self, owner: DirectWebSocket, sock):
        self._owner, self._sock = owner, sock

    def send(self, data: bytes) -> int:
        self._owner.write_bytes(data)
        return len(data)

    def __getattr__(self, name):
        return getattr(self._sock, name)


def text_frame(text: str) -> bytes:
    """A whole, unmasked, uncompressed text frame (RFC 6455 section 5.2): the same bytes for every
    socket that did not negotiate permessage-deflate, so a broadcast frames its message once."""
    payload = text.encode()
    size = len(payload)
    if size < 126:
        header = bytes((0x81, size))
    elif size < 1 << 16:
        header = bytes((0x81, 126)) + size.to_bytes(2, "big")
    else:
        header = bytes((0x81, 127)) + size.to_bytes(8, "big")
    return header + payload


def _compresses(connection) -> bool:
    """Whether this wsproto connection negotiated an extension (permessage-deflate: browsers ask)."""
    opened = connection.connection
    return opened is None or bool(opened._proto.extensions)


def _send_now(sock, data: bytes) -> int:
    """Bytes the kernel accepted at once (0 when its buffer is full); never waits."""
    try:
        if sock.gettimeout() is None:
            return sock.send(data, socket.MSG_DONTWAIT)
        return os.write(sock.fileno(), data)  # a socket with a timeout is non-blocking underneath
    except BlockingIOError:
        return 0
    except OSError:
        return len(data)  # closed or reset: nothing more can reach it; its reader thread cleans up


def deliver(eio_sid: str, text: str, frame: bytes | None = None) -> bool:
    """Write one encoded Engine.IO packet to a websocket of this process; False when it is not one."""
    target = _SOCKETS.get(eio_sid)
    if target is None or not target.ready():
        return False
    try:
        target.write(text, frame)
    except (simple_websocket.ConnectionClosed, LocalProtocolError):
        pass  # closed or closing: a message to it is dropped, as engineio's writer drops it
    return True


# An emit of this event is an order to this process's sockets, never sent to a client. It travels
# like any emit (through Redis to every process when there are several; a write-only emitter of the
# CLI or scheduler sends it too), so access lost anywhere is enforced on every process's sockets.
CONTROL_EVENT = "_control"


class _FanOut:
    """Local delivery of an emit: encoded once, then written to every websocket of the room."""

    def emit(self, event, data, namespace, room=None, skip_sid=None, callback=None, to=None, **kwargs):
        room = to or room
        if event == CONTROL_EVENT:
            return self._control(namespace, room, data if isinstance(data, dict) else {})
        if callback or namespace not in self.rooms:  # acknowledged emits need one packet per client
            return super().emit(event, data, namespace, room=room, skip_sid=skip_sid, callback=callback, **kwargs)
        data = list(data) if isinstance(data, tuple) else [] if data is None else [data]
        skip = skip_sid if isinstance(skip_sid, list) else [skip_sid]
        encoded = self.server.packet_class(sio_packet.EVENT, namespace=namespace, data=[event] + data).encode()
        packets = [eio_packet.Packet(eio_packet.MESSAGE, p) for p in
                   (encoded if isinstance(encoded, list) else [encoded])]
        texts = [p.encode() if not p.binary else None for p in packets]
        frames = [text_frame(text) if text is not None else None for text in texts]
        for sid, eio_sid in self.get_participants(namespace, room):
            if sid in skip:
                continue
            for pkt, text, frame in zip(packets, texts, frames):
                if text is None or not deliver(eio_sid, text, frame):
                    self.server._send_eio_packet(eio_sid, pkt)

    def _control(self, namespace, room, order: dict) -> None:
        """Every socket of `room` in this process leaves the rooms `order["leave"]` names, or, with
        `order["disconnect"]`, leaves every room and is disconnected."""
        if room is None or namespace not in self.rooms:
            return
        sids = [sid for sid, _eio_sid in self.get_participants(namespace, room)]
        for sid in sids:
            rooms = [r for r in self.get_rooms(sid, namespace) if r != sid] if order.get("disconnect") \
                else order.get("leave") or []
            for name in rooms:  # out of the rooms at once: not one more push, even before the close
                self.basic_leave_room(sid, namespace, name)
        if order.get("disconnect"):
            for sid in sids:
                self._disconnect(sid, namespace)

    def _disconnect(self, sid, namespace) -> None:
        # The disconnect handler writes to the database. This thread may be inside the after-commit
        # hook of a request's session, which can emit no more SQL: the handler gets an app context
        # (so a session) of its own. Flask-SocketIO keeps the app in every socket's environ.
        app = (self.server.get_environ(sid, namespace) or {}).get("flask.app")
        with app.app_context() if app is not None else nullcontext():
            self.server.disconnect(sid, namespace=namespace, ignore_queue=True)


class Manager(_FanOut, socketio.Manager):
    """One process: rooms in memory."""


class RedisManager(socketio.RedisManager, _FanOut, socketio.Manager):
    """Several processes: emits travel through Redis; each process's listener delivers to its own sockets."""


def client_manager(redis_url: str | None, channel: str):
    return RedisManager(redis_url, channel=channel) if redis_url else Manager()


def install(server) -> None:
    """Serve this socketio.Server's websockets with DirectWebSocket (this server only, nothing global)."""
    server.eio._async = dict(server.eio._async, websocket=DirectWebSocket)
