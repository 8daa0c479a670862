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
        with scheduler_lock(now_utc):
            results = run_all_once(now_utc())
        for job_id, result in results.items():
            click.echo(f"{job_id}: {result}")
        return
    click.echo(f"scheduler: {len(JOBS)} jobs: {', '.join(JOBS)}")
    run_forever(current_app._get_current_object(), now_utc)


def init_app(app: Flask) -> None:
    app.cli.add_command(scheduler_command)
