"""A real server process for multi-process tests: `python -m tests.server_main`.

Configured like production, from the environment (DATABASE_URL, REDIS_URL, SECRET_KEY, ...), and
built by the production entry point (wsgi.py), so it starts up as gunicorn's worker does.
It binds its socket first and then prints "PORT n", so the test waits on that line, not a clock.
"""
import os
import socket

from werkzeug.serving import make_server


def main() -> None:
    from wsgi import app  # creates the app from the environment, as gunicorn's `wsgi:app` does
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    # A fixed MEETINGS_TEST_PORT lets a restart test bring the server back where its clients left it.
    listener.bind(("127.0.0.1", int(os.environ.get("MEETINGS_TEST_PORT", "0"))))
    listener.listen(1024)  # 300 tablets connecting at once must not overflow the accept queue
    server = make_server("127.0.0.1", listener.getsockname()[1], app, threaded=True, fd=listener.fileno())
    print(f"PORT {listener.getsockname()[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
