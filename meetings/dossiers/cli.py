"""`flask purge-cache`: clear this host's generated files that nobody has read for 30 days.

Each host keeps its own MEETINGS_CACHE, and the scheduler's nightly sweep runs on one host only, so
every other web host runs this from a timer (deploy/meetings-purge-cache.timer)."""
import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from meetings.dossiers.jobs import purge_generated_files
from meetings.timeutil import now_utc


@click.command("purge-cache")
@with_appcontext
def purge_cache_command():
    """Remove stamped copies and page images unread for 30 days from this host's cache."""
    removed = purge_generated_files(now_utc())
    click.echo(f"{current_app.config['MEETINGS_CACHE']}: {removed} unread files removed")


def init_app(app: Flask) -> None:
    app.cli.add_command(purge_cache_command)
