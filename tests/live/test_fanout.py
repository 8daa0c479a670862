"""The direct broadcast path never waits for a slow client, and what it could not write at once
arrives later, whole and in order (a socket pair whose reader does not read stands for bad Wi-Fi)."""
import socket
import threading
from types import SimpleNamespace

from wsproto import ConnectionType, WSConnection
from wsproto.events import AcceptConnection, Pong, Request, TextMessage

from meetings.fanout import DirectWebSocket, _GuardedSocket, text_frame


def _connected_pair():
    server_side, client_side = socket.socketpair()
    server_side.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4096)
    server, client = WSConnection(ConnectionType.SERVER), WSConnection(ConnectionType.CLIENT)
    server.receive_data(client.send(Request(host="tablet", target="/socket.io/")))
    list(server.events())
    client.receive_data(server.send(AcceptConnection()))
    list(client.events())
    direct = DirectWebSocket.__new__(DirectWebSocket)  # the socket part only, without engineio around it
    direct.lock, direct.backlog, direct.raw = threading.Lock(), None, server_side
    direct.ws = SimpleNamespace(connected=True, ws=server, sock=_GuardedSocket(direct, server_side))
    return direct, client, client_side


def _read(client, client_side, count: int) -> list:
    """The next `count` messages the client receives, whole: texts, and pongs as ("pong", payload)."""
    client_side.settimeout(30)  # a guard against a hang, not a wait for an event
    received, part = [], ""
    while len(received) < count:
        client.receive_data(client_side.recv(1 << 20))
        for event in client.events():
            if isinstance(event, TextMessage):
                part += event.data
                if event.message_finished:
                    received.append(part)
                    part = ""
            elif isinstance(event, Pong):
                received.append(("pong", bytes(event.payload)))
            else:
                raise AssertionError(f"unexpected {event!r}")
    return received


def test_a_client_that_does_not_read_neither_blocks_the_sender_nor_loses_or_reorders_frames():
    direct, client, client_side = _connected_pair()
    messages = [f"42/live,[\"meeting_update\",{{\"version\":{n},\"pad\":\"{'x' * 2000}\"}}]" for n in range(200)]
    for message in messages:  # 400 kB into a 4 kB buffer nobody reads: returns, or this test would hang
        direct.write(message)
    assert direct.backlog is not None  # the rest waits for the spill thread
    assert _read(client, client_side, len(messages)) == messages
    client_side.close()
    direct.raw.close()


def test_a_broadcast_frame_made_once_is_what_wsproto_would_write_to_each_socket():
    direct, client, client_side = _connected_pair()
    for size in (10, 125, 126, 200, 65535, 65536, 70000):
        message = "42/live," + "ệ" * (size // 3) + "x" * (size % 3)
        direct.write(message, text_frame(message))
        assert text_frame(message) == bytes(direct.ws.ws.send(TextMessage(data=message)))
    received = _read(client, client_side, 7)
    assert [len(m) for m in received] == [len("42/live,") + s // 3 + s % 3 for s in (10, 125, 126, 200, 65535, 65536,
                                                                                     70000)]
    client_side.close()
    direct.raw.close()


def test_a_pong_from_the_reader_thread_waits_behind_a_half_written_frame():
    """simple-websocket's reader answers a client's ping by itself; the answer must not cut into the
    frames still waiting for a slow client, or the client reads garbage from then on."""
    direct, client, client_side = _connected_pair()
    messages = [f"42/live,[\"meeting_update\",{{\"version\":{n},\"pad\":\"{'x' * 3000}\"}}]" for n in range(50)]
    for message in messages:
        direct.write(message)
    assert direct.backlog is not None  # a frame is half written, the rest waits
    # What the reader thread does on a ping; in a thread of its own, as a blocking send would block here.
    reader = threading.Thread(target=direct.ws.sock.send, args=(direct.ws.ws.send(Pong(b"tablet")),))
    reader.start()
    assert _read(client, client_side, len(messages) + 1) == messages + [("pong", b"tablet")]
    reader.join()
    client_side.close()
    direct.raw.close()
