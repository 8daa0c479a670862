"""Listeners told of every saved change to an entry, inside the change's transaction.

The calendar does not know who listens (the feeds feature queues iTIP invitations here); a
listener only adds rows to the same session, so its work commits or rolls back with the change.
"""
LISTENERS: list = []


def listen(function):
    LISTENERS.append(function)
    return function


def entry_changed(event, changes: dict, actor, now, created: bool = False) -> None:
    """`changes` maps each changed field to (old, new); "occurrence" for a moved or cancelled one."""
    for function in LISTENERS:
        function(event, changes, actor, now, created)
