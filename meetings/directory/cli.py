"""`flask rooms create`: rooms from the command line."""
import click
from flask import Flask
from flask.cli import AppGroup

from meetings.directory import services
from meetings.errors import ServiceError

rooms_cli = AppGroup("rooms", help="Manage meeting rooms.")


@rooms_cli.command("create")
@click.argument("name")
@click.option("--capacity", type=int, default=None)
@click.option("--location", default=None, help="Floor or building.")
def create_room(name, capacity, location):
    """Create a room and print its id."""
    try:
        room = services.create_room({"name": name, "capacity": capacity, "location": location})
    except ServiceError as exc:
        raise click.ClickException(exc.summary())
    click.echo(room.id)


def init_app(app: Flask) -> None:
    app.cli.add_command(rooms_cli)
