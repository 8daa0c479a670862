"""The floor for bench/live_broadcast.py: plain websockets on the same stack (Werkzeug threads and
simple-websocket) without Socket.IO, rooms or a database. A message on /go is sent to every /ws client;
"COUNT" on /go answers how many /ws clients are registered (a client's handshake can finish before its
server thread has registered it, so the bench waits for the count before the first round)."""
import os
import socket
import threading

from simple_websocket import ConnectionClosed, Server
from werkzeug.serving import make_server

clients, lock = [], threading.Lock()


def app(environ, start_response):
    ws = Server(environ)
    if environ["PATH_INFO"] == "/ws":
        with lock:
            clients.append(ws)
    try:
        while True:
            message = ws.receive()
            if environ["PATH_INFO"] == "/go" and message == "COUNT":
                with lock:
                    ws.send(str(len(clients)))
            elif environ["PATH_INFO"] == "/go":
                with lock:
                    targets = list(clients)
                for client in targets:
                    client.send(message)
    except ConnectionClosed:
        pass
    return []


def main() -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(512)
    server = make_server("127.0.0.1", listener.getsockname()[1], app, threaded=True, fd=listener.fileno())
    print(f"PORT {listener.getsockname()[1]} PID {os.getpid()}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
