"""The direct broadcast path never waits for a slow client, and what it could not write at once
arrives later, whole and in order (a socket pair whose reader does not read stands for bad Wi-Fi)."""
import socket
import threading
from types import SimpleNamespace

from wsproto import ConnectionType, WSConnection
from wsproto.events import AcceptConnection, Request, TextMessage

from meetings.fanout import DirectWebSocket, text_frame


def _connected_pair():
    server_side, client_side = socket.socketpair()
    server_side.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4096)
    server, client = WSConnection(ConnectionType.SERVER), WSConnection(ConnectionType.CLIENT)
    server.receive_data(client.send(Request(host="tablet", target="/socket.io/")))
    list(server.events())
    client.receive_data(server.send(AcceptConnection()))
    list(client.events())
    direct = DirectWebSocket.__new__(DirectWebSocket)  # the socket part only, without engineio around it
    direct.lock, direct.backlog = threading.Lock(), None
    direct.ws = SimpleNamespace(connected=True, ws=server, sock=server_side)
    return direct, client, client_side


def test_a_client_that_does_not_read_neither_blocks_the_sender_nor_loses_or_reorders_frames():
    direct, client, client_side = _connected_pair()
    messages = [f"42/live,[\"meeting_update\",{{\"version\":{n},\"pad\":\"{'x' * 2000}\"}}]" for n in range(200)]
    for message in messages:  # 400 kB into a 4 kB buffer nobody reads: returns, or this test would hang
        direct.write(message)
    assert direct.backlog is not None  # the rest waits for the spill thread
    client_side.settimeout(30)
    received, part = [], ""
    while len(received) < len(messages):
        client.receive_data(client_side.recv(65536))
        for event in client.events():
            if isinstance(event, TextMessage):
                part += event.data
                if event.message_finished:
                    received.append(part)
                    part = ""
    assert received == messages
    client_side.close()
    direct.ws.sock.close()


def test_a_broadcast_frame_made_once_is_what_wsproto_would_write_to_each_socket():
    direct, client, client_side = _connected_pair()
    for size in (10, 125, 126, 200, 65535, 65536, 70000):
        message = "42/live," + "ệ" * (size // 3) + "x" * (size % 3)
        direct.write(message, text_frame(message))
        assert text_frame(message) == bytes(direct.ws.ws.send(TextMessage(data=message)))
    client_side.settimeout(30)
    received, part, wanted = [], "", 7
    while len(received) < wanted:
        client.receive_data(client_side.recv(1 << 20))
        for event in client.events():
            if isinstance(event, TextMessage):
                part += event.data
                if event.message_finished:
                    received.append(part)
                    part = ""
    assert [len(m) for m in received] == [len("42/live,") + s // 3 + s % 3 for s in (10, 125, 126, 200, 65535, 65536,
                                                                                     70000)]
    client_side.close()
    direct.ws.sock.close()
