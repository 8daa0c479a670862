"""`flask scheduler [--once]`: the one scheduler process, or a single pass over every job."""
from datetime import datetime, timezone

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from meetings.notify import jobs  # noqa: F401  (registers the sweepers)
from meetings.notify.scheduler import JOBS, run_all_once, run_forever, scheduler_lock
from meetings.timeutil import now_utc


def _moment(_context, _param, value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter("an ISO 8601 moment with its offset, e.g. 2026-12-02T08:00+07:00") from None
    if moment.tzinfo is None:
        raise click.BadParameter("give the offset too, e.g. 2026-12-02T08:00+07:00")
    return moment.astimezone(timezone.utc)


@click.command("scheduler")
@click.option("--once", is_flag=True, help="Run every due job once and exit.")
@click.option("--now", "as_of", default=None, callback=_moment,
              help="With --once: run the jobs as of this moment (ISO 8601 with its offset) instead of the "
                   "clock's, to replay a missed pass or to test a process with a fixed time.")
@with_appcontext
def scheduler_command(once: bool, as_of: datetime | None):
    """Run the scheduler in the foreground (never inside web workers)."""
    if as_of is not None and not once:
        raise click.UsageError("--now goes with --once: the running scheduler follows the clock.")
    if once:
        from meetings.heartbeat import beat

        with scheduler_lock(now_utc):
            results = run_all_once(as_of or now_utc())
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
