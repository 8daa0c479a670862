"""A few child processes that draw for a web process, so that drawing uses every core.

A web process serves its readers from threads of one Python process: MuPDF is not thread-safe (one
lock, meetings/mupdf.py) and the GIL holds the JPEG encoder's Python side, so everything it drew ran
on one core, and 300 tablets asking for new pages waited in one line (issue 18). The pool's children
each have their own MuPDF and run in parallel. Started on the first drawing (never in a process that
only migrates or forks workers), one child per core by default (`MEETINGS_DRAW_PROCESSES`; 0 draws
in the asking thread, as the tests and the worker do).

The children are plain `python -c` processes talking over their stdin and stdout (a length and a
pickle each way), not multiprocessing's: they import only the PDF engine (~65 MB, 0.4 s), not the
app with Flask's extensions (~130 MB, 2 s), and a child that dies is replaced without breaking the
pool. Single flight stays with the asker: the web thread holds the cache key's flock while a child
draws (meetings/singleflight.py), so two processes still never draw the same file.

A message is (kind, args) for a handler of the module named at start; the answer (True, value) or
(False, exception). A child ends when its stdin closes, i.e. when the web process goes.
"""
import os
import pickle
import queue
import struct
import subprocess
import sys
import threading
from concurrent.futures import Future
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
_HEADER = struct.Struct("!I")

# The child loads `meetings` as a bare namespace (no create_app imports), then the handler module.
_CHILD = """
import sys, types
for name, where in (("meetings", {package!r}), ("meetings.dossiers", {package!r} + "/dossiers")):
    module = types.ModuleType(name)
    module.__path__ = [where]
    sys.modules[name] = module
from meetings.drawpool import serve
serve({handlers!r})
"""


class DrawingFailed(RuntimeError):
    """A child died while drawing (killed, out of memory): the asker gets this, the next task a fresh child."""


class Pool:
    def __init__(self, size: int, handlers: str):
        self.size, self.handlers = size, handlers  # handlers: a module with HANDLERS = {kind: function}
        self.tasks: queue.SimpleQueue = queue.SimpleQueue()
        self.started = False
        self.lock = threading.Lock()
        self.pid = os.getpid()

    def run(self, kind: str, *args, timeout: float | None = None):
        """Do `kind(*args)` in a child and return its value (or raise its exception) in this thread."""
        self._start()
        future: Future = Future()
        self.tasks.put((future, kind, args))
        return future.result(timeout)

    def close(self) -> None:
        """End the children once the tasks already given are done (a child also ends with this process)."""
        with self.lock:
            if self.started:
                for _ in range(self.size):
                    self.tasks.put(None)
                self.started = False

    def _start(self) -> None:
        with self.lock:
            if not self.started:
                for number in range(self.size):
                    threading.Thread(target=self._feed, name=f"drawpool-{number}", daemon=True).start()
                self.started = True

    def _feed(self) -> None:
        """One thread per child: take the next task, hand it over, wait for the answer."""
        try:  # every child starts with the first drawing, not one by one as the askers pile up
            child = self._spawn()
        except OSError:
            child = None  # tried again with the first task, whose asker then hears why
        while True:
            task = self.tasks.get()
            if task is None:  # close(): the child reads the end of its input and exits
                if child is not None:
                    _end(child)
                return
            future, kind, args = task
            if not future.set_running_or_notify_cancel():
                continue
            try:
                if child is None or child.poll() is not None:
                    child = self._spawn()
                _send(child.stdin, (kind, args))
                ok, value = _receive(child.stdout)
            except Exception as exc:  # noqa: BLE001 - a broken pipe or a dead child: replace it
                if child is not None:
                    child.kill()
                    _end(child)
                child = None
                future.set_exception(DrawingFailed(f"the drawing process failed: {exc!r}"))
                continue
            if ok:
                future.set_result(value)
            else:
                future.set_exception(value)

    def _spawn(self) -> subprocess.Popen:
        code = _CHILD.format(package=str(PACKAGE), handlers=self.handlers)
        return subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                cwd=PACKAGE.parent, close_fds=True)


# glibc hands blocks over 128 KiB out as fresh mappings and unmaps them when freed (raising that
# threshold only slowly), so each page drawn faulted in ~13 MB of new zeroed memory (MuPDF's pixmap, its
# copy, Pillow's image): a 1024 px text page cost 14 ms of CPU, 6 ms with the freed memory kept for the
# next page; 2048 px, 53 ms against 21. A child keeps up to 128 MiB of freed heap for that.
M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3
KEEP_FREED, MMAP_ABOVE = 128 << 20, 32 << 20


def keep_freed_memory() -> None:
    """Tell glibc's malloc to reuse freed pixel buffers instead of giving them back to the kernel."""
    import ctypes

    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:  # not glibc (musl, macOS): their allocators behave otherwise
        return
    libc.mallopt(M_MMAP_THRESHOLD, MMAP_ABOVE)
    libc.mallopt(M_TRIM_THRESHOLD, KEEP_FREED)


def _end(child: subprocess.Popen) -> None:
    for stream in (child.stdin, child.stdout):
        try:
            stream.close()
        except OSError:  # a pipe to a killed child may refuse the flush
            pass
    child.wait()


def serve(handlers: str) -> None:
    """The child's loop: answer messages from stdin on stdout until stdin closes."""
    import importlib

    keep_freed_memory()
    answers = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # anything a library prints goes to stderr, never into the answers
    table = importlib.import_module(handlers).HANDLERS
    asks = sys.stdin.buffer
    while True:
        try:
            kind, args = _receive(asks)
        except EOFError:
            return
        try:
            answer = (True, table[kind](*args))
        except Exception as exc:  # noqa: BLE001 - the asker re-raises it
            answer = (False, exc)
        try:
            _send(answers, answer)
        except (pickle.PicklingError, TypeError, AttributeError):
            _send(answers, (False, RuntimeError(repr(answer[1]))))


def _send(stream, message) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_HEADER.pack(len(data)) + data)
    stream.flush()


def _receive(stream):
    header = stream.read(_HEADER.size)
    if len(header) < _HEADER.size:
        raise EOFError
    (length,) = _HEADER.unpack(header)
    data = stream.read(length)
    if len(data) < length:
        raise EOFError
    return pickle.loads(data)
