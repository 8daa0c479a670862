"""`flask scheduler [--once]`: the one scheduler process, or a single pass over every job."""
import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from meetings.notify import jobs  # noqa: F401  (registers the sweepers)
from meetings.notify.scheduler import JOBS, run_all_once, run_forever, scheduler_lock
from meetings.timeutil import now_utc


@click.command("scheduler")
@click.option("--once", is_flag=True, help="Run every due job once and exit.")
@with_appcontext
def scheduler_command(once: bool):
    """Run the scheduler in the foreground (never inside web workers)."""
    if once:
        from meetings.heartbeat import beat

        with scheduler_lock(now_utc):
            results = run_all_once(now_utc())
            beat("scheduler", now_utc())  # a cron set-up runs --once every minute: that is its heartbeat
        for job_id, result in results.items():
            click.echo(f"{job_id}: {result}")
        return
    click.echo(f"scheduler: {len(JOBS)} jobs: {', '.join(JOBS)}")
    run_forever(current_app._get_current_object(), now_utc)


@click.command("notify")
@click.argument("email")
@click.argument("title")
@click.option("--url", default=None, help="Where the notification leads, e.g. /schedule.")
@with_appcontext
def notify_command(email: str, title: str, url: str | None):
    """Send one person a notification (in the app, and by e-mail when they want it)."""
    from meetings.directory.services import user_by_email
    from meetings.extensions import db
    from meetings.notify.services import notify

    user = user_by_email(email)
    if user is None:
        raise click.ClickException(f"no user with e-mail {email}")
    item = notify(user, "system", title, now_utc(), url=url)
    db.session.commit()
    click.echo(item.id if item else "switched off by the user")


def init_app(app: Flask) -> None:
    app.cli.add_command(scheduler_command)
    app.cli.add_command(notify_command)
