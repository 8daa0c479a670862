"""A Python client of the live room that follows the same rules as static/js/live-meeting.js:
join with since_version, apply each change once in version order, rejoin on a gap or a reconnect.

Used by the multi-process tests and the benchmark. Waiting is on a condition, bounded by a timeout.
"""
import threading

import socketio


class RoomClient:
    def __init__(self, url: str, token: str, meeting_id: int, reconnect: bool = True, **client_options):
        self.url, self.token, self.meeting_id = url, token, meeting_id
        self.version = None
        self.applied: list[int] = []  # every version applied, in order: the test checks it is gapless
        self.state = None
        self.errors: list = []
        self._waiting: list[dict] = []
        self._joining = False
        self._changed = threading.Condition()
        self.sio = socketio.Client(reconnection=reconnect, reconnection_delay=0.2, reconnection_delay_max=2,
                                   randomization_factor=0.5, **client_options)
        self.sio.on("connect", self._on_connect, namespace="/live")
        self.sio.on("meeting_update", self._on_update, namespace="/live")

    def connect(self, transports=("websocket",)) -> "RoomClient":
        """Straight to a websocket; ("polling", "websocket") starts as browsers do, then upgrades."""
        self.sio.connect(self.url, namespaces=["/live"], transports=list(transports), auth={"token": self.token},
                         wait_timeout=10)
        return self

    def close(self) -> None:
        self.sio.disconnect()

    def _on_connect(self):
        self._join(self.version)

    def _join(self, since):
        with self._changed:
            self._joining = True
        self.sio.emit("join_meeting", {"meeting_id": self.meeting_id, "since_version": since}, namespace="/live",
                      callback=self._on_ack)

    def _on_ack(self, ack):
        with self._changed:
            self._joining = False
            if "error" in ack:
                self.errors.append(ack["error"])
            elif "state" in ack:
                self.state, self.version = ack["state"], ack["version"]
                self.applied.append(("state", ack["version"]))
            else:
                for change in ack["changes"]:
                    self._apply(change)
            pending, self._waiting = sorted(self._waiting, key=lambda u: u["version"]), []
            for update in pending:
                self._receive(update)
            self._changed.notify_all()

    def _on_update(self, update):
        if update["meeting_id"] != self.meeting_id:
            return
        with self._changed:
            self._receive(update)
            self._changed.notify_all()

    def _receive(self, update):
        if self._joining or self.version is None:
            self._waiting.append(update)
        elif update["version"] <= self.version:
            return
        elif update["version"] > self.version + 1:
            self._waiting.append(update)
            self._join(self.version)
        else:
            self._apply(update)

    def _apply(self, change):
        if change["version"] != self.version + 1:
            self.errors.append(("out of order", self.version, change["version"]))
            return
        self.version = change["version"]
        self.applied.append(change["version"])
        self.on_change(change)

    def on_change(self, change) -> None:
        """Hook for the benchmark (timing); the tests only look at versions."""

    def wait_for_version(self, version: int, timeout: float = 15) -> bool:
        with self._changed:
            return self._changed.wait_for(lambda: self.version is not None and self.version >= version, timeout)

    def gapless(self) -> bool:
        """After the last full state, versions rise by exactly one each."""
        numbers, last = [], None
        for entry in self.applied:
            if isinstance(entry, tuple):
                numbers, last = [], entry[1]
            else:
                numbers.append(entry)
        return last is not None and numbers == list(range(last + 1, last + 1 + len(numbers)))
