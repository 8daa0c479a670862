"""`flask backup DIR` and `flask restore DIR` (the work is in backup.py)."""
import click
from flask import Flask
from flask.cli import with_appcontext

from meetings.ops import backup
from meetings.timeutil import now_utc


@click.command("backup")
@click.argument("directory", type=click.Path(file_okay=False))
@with_appcontext
def backup_command(directory: str):
    """Write a consistent copy of the database and the documents into DIRECTORY (new or empty)."""
    try:
        manifest = backup.make_backup(directory, now_utc())
    except backup.BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"backup written to {directory}: database ({manifest['database']['engine']}), "
               f"{len(manifest['files'])} files; not included: {', '.join(manifest['excluded'])}")


@click.command("restore")
@click.argument("directory", type=click.Path(exists=True, file_okay=False))
@with_appcontext
def restore_command(directory: str):
    """Bring the backup in DIRECTORY into this installation, which must be empty."""
    try:
        manifest = backup.restore_backup(directory)
    except backup.BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"restored {len(manifest['files'])} files and the database from {manifest['created_at']}")


def init_app(app: Flask) -> None:
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
