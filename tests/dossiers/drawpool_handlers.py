"""Handlers for the drawing pool's own tests: what a child answers, and a child that dies mid-task."""
import os


def _die():
    os._exit(3)


def _refuse(text):
    raise ValueError(text)


HANDLERS = {"pid": os.getpid, "echo": lambda value: value, "die": _die, "refuse": _refuse}
