"""`flask search reindex`: rebuild the search index from the stored texts, with progress."""
import time

import click
from flask import Flask
from flask.cli import AppGroup

from meetings.search import reindex as rebuild

search_cli = AppGroup("search", help="The search index.")


@search_cli.command("reindex")
def reindex_command():
    """Rebuild the whole index (after a migration, or to repair it); searches keep working meanwhile
    on the old rows until the one commit at the end."""
    started = time.monotonic()
    total = rebuild.reindex(lambda kind, done, of: click.echo(f"{kind}: {done}/{of}"))
    click.echo(f"search index rebuilt: {total} rows in {time.monotonic() - started:.1f} s")


def init_app(app: Flask) -> None:
    app.cli.add_command(search_cli)
