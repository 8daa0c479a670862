"""`flask worker`: the process that runs background jobs (uploads, personal copies made ahead)."""
import os
import threading

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from meetings.drawpool import keep_freed_memory
from meetings.timeutil import now_utc

BEAT_EVERY = 20  # seconds; /readyz wants a beat fresher than 2 minutes
DEFAULT_NICE = 10


@click.command("worker")
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64),
              help="Jobs run at once (each process has its own MuPDF, so processes run in parallel).")
@click.option("--threads", is_flag=True, help="Run the jobs in threads of this process instead of processes.")
@click.option("--nice", "niceness", default=DEFAULT_NICE, show_default=True, type=click.IntRange(0, 19),
              help="Lower CPU priority (added to this process's): page turns in the web processes come first.")
@with_appcontext
def worker_command(workers: int, threads: bool, niceness: int):
    """Run background jobs in the foreground until Ctrl+C (beside `flask run` and `flask scheduler`)."""
    from meetings import jobs

    app = current_app._get_current_object()
    if app.config.get("JOBS_IMMEDIATE"):
        raise click.ClickException("JOBS_IMMEDIATE is set: jobs run inside the web process, no worker needed")
    # Jobs can wait a second; a reader turning a page cannot. A 1,000-page intake in two processes would
    # otherwise take both cores from the web process at equal priority. Inherited by the forked workers.
    os.nice(niceness)
    # The worker's processes draw in the thread that runs the job: they are already processes of their
    # own, and a drawing pool per job process would only add children competing for the same cores.
    app.config["DRAW_PROCESSES"] = 0
    keep_freed_memory()  # an intake draws and frees page after page, as the drawing pool's children do
    queue, tasks = jobs.queue_of(app)
    click.echo(f"worker: {jobs.backend_name(app.config)} queue {queue.name!r}, {workers} "
               f"{'threads' if threads else 'processes'}, jobs: {', '.join(sorted(tasks))}")
    # Beating starts in each worker once it runs (huey's start-up hook), never in this process before
    # it forks them: a thread running at fork time can leave a lock held forever in the child.
    queue.on_startup("heartbeat")(lambda: _start_heartbeat(app))
    consumer = queue.create_consumer(workers=workers, worker_type="thread" if threads else "process",
                                     periodic=False, initial_delay=0.05, backoff=1.5, max_delay=1.0)
    consumer.run()


_beating_in: set[int] = set()  # process ids with a beating thread (thread workers share one)
_beating_lock = threading.Lock()


def _start_heartbeat(app) -> None:
    from meetings.heartbeat import beat

    with _beating_lock:
        if os.getpid() in _beating_in:
            return
        _beating_in.add(os.getpid())
    stop = threading.Event()

    def loop():
        while not stop.is_set():
            with app.app_context():
                try:
                    beat("worker", now_utc())
                except Exception:  # noqa: BLE001 - a database hiccup must not stop the worker; /readyz will tell
                    app.logger.exception("worker heartbeat failed")
                finally:
                    from meetings.extensions import db

                    db.session.remove()
            stop.wait(BEAT_EVERY)

    threading.Thread(target=loop, name="worker-heartbeat", daemon=True).start()


def init_app(app: Flask) -> None:
    app.cli.add_command(worker_command)
