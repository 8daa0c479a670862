"""`flask users create|token`: accounts from the command line."""
import click
from flask import Flask
from flask.cli import AppGroup

from meetings.auth import services as auth_services
from meetings.directory import services as directory
from meetings.directory.models import ROLES
from meetings.errors import ServiceError
from meetings.timeutil import now_utc

users_cli = AppGroup("users", help="Manage user accounts.")


@users_cli.command("create")
@click.argument("email")
@click.option("--name", required=True, help="Full name, e.g. 'Nguyễn Văn An'.")
@click.option("--role", required=True, type=click.Choice(ROLES))
@click.option("--password", required=True)
@click.option("--unit", default=None, help="The unit's name; created when new.")
@click.option("--title", default=None, help="Title (chức vụ), e.g. 'Thứ trưởng'.")
def create_user(email, name, role, password, unit, title):
    """Create a user and print the new user's id."""
    try:
        unit_id = directory.unit_by_name(unit, create=True).id if unit else None
        user = directory.create_user({"email": email, "name": name, "role": role, "password": password,
                                      "unit_id": unit_id, "title": title})
    except ServiceError as exc:
        raise click.ClickException(exc.summary())
    click.echo(user.id)


@users_cli.command("token")
@click.argument("email")
@click.option("--name", default="CLI", help="A label to tell this token apart.")
def create_token(email, name):
    """Print a new API token for EMAIL, and nothing else."""
    user = directory.user_by_email(email)
    if user is None:
        raise click.ClickException(f"no user with e-mail {email}")
    _token, plain = auth_services.create_token(user, name, now_utc())
    click.echo(plain)


def init_app(app: Flask) -> None:
    app.cli.add_command(users_cli)
