"""The scheduler: one process (`flask scheduler`) runs every registered sweeper on its trigger.

Jobs are sweepers: each finds what is due in the database and records what it did in the same
transaction, so running one twice, late, or from two processes sends nothing twice. The lock
below keeps a second scheduler waiting anyway, so that work is not done twice for nothing.
"""
import os
import socket
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Callable

from flask import Flask, current_app
from sqlalchemy import delete, select, text

from meetings.extensions import db
from meetings.notify.models import SchedulerLease

LOCK_NAME = "scheduler"
PG_LOCK_KEY = 0x6D656574  # "meet": one advisory-lock key for the whole app
LEASE = timedelta(minutes=2)


@dataclass
class Job:
    id: str
    function: Callable[[datetime], object]  # receives `now`, commits its own work
    trigger: str  # "interval" or "cron" (APScheduler 3 triggers)
    trigger_args: dict = field(default_factory=dict)


JOBS: dict[str, Job] = {}


def job(job_id: str, trigger: str = "interval", **trigger_args):
    """Register a sweeper: @job("deliver_email", minutes=1) or @job("digest", "cron", hour=17)."""
    def register(function):
        JOBS[job_id] = Job(job_id, function, trigger, trigger_args)
        return function
    return register


def run_all_once(now: datetime) -> dict[str, object]:
    """Every job once, in registration order: `flask scheduler --once`, tests, and cron set-ups."""
    results = {}
    for item in list(JOBS.values()):
        try:
            results[item.id] = item.function(now)
        except Exception:  # one broken job must not stop the others
            db.session.rollback()
            current_app.logger.exception("job %s failed", item.id)
            results[item.id] = "error"
    return results


def _holder() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _try_lease(now: datetime, holder: str) -> bool:
    lease = db.session.get(SchedulerLease, LOCK_NAME)
    if lease is None:
        db.session.add(SchedulerLease(name=LOCK_NAME, holder=holder, expires_at=now + LEASE))
    elif lease.holder == holder or lease.expires_at <= now:
        lease.holder, lease.expires_at = holder, now + LEASE
    else:
        db.session.rollback()
        return False
    try:
        db.session.commit()
    except Exception:  # another process inserted the row first
        db.session.rollback()
        return False
    return True


@contextmanager
def scheduler_lock(clock: Callable[[], datetime], wait: Callable[[float], None] = time.sleep, poll: float = 5.0):
    """Hold the one scheduler lock: a PostgreSQL advisory lock, or a lease row elsewhere.

    A second scheduler waits here until the first stops (or, with a lease, until it stops renewing).
    """
    if db.engine.dialect.name == "postgresql":
        connection = db.engine.connect()
        try:
            connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": PG_LOCK_KEY})
            yield lambda: None
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": PG_LOCK_KEY})
            connection.close()
        return
    holder = _holder()
    while not _try_lease(clock(), holder):
        wait(poll)
    try:
        yield lambda: _try_lease(clock(), holder)  # renew: called by the running scheduler
    finally:
        db.session.execute(delete(SchedulerLease).where(SchedulerLease.name == LOCK_NAME,
                                                        SchedulerLease.holder == holder))
        db.session.commit()


def _run_job(app: Flask, item: Job, clock) -> None:
    from meetings.ops.logs import job_run

    with app.app_context():
        try:
            with job_run(item.id):
                item.function(clock())
        except Exception:
            db.session.rollback()
            app.logger.exception("job %s failed", item.id)


def _beat(app: Flask, clock) -> None:
    """The scheduler's heartbeat (read by /readyz): from its own loop, so a stuck loop stops beating."""
    from meetings.heartbeat import beat

    with app.app_context():
        try:
            beat("scheduler", clock())
        except Exception:  # the database may be away for a moment; the next beat tries again
            app.logger.exception("scheduler heartbeat failed")


def run_forever(app: Flask, clock) -> None:
    """The scheduler process's main loop (APScheduler 3, BlockingScheduler)."""
    from apscheduler.schedulers.blocking import BlockingScheduler

    with app.app_context():
        zone = app.config["MEETINGS_TIMEZONE"]
        with scheduler_lock(clock) as renew:
            scheduler = BlockingScheduler(timezone=zone)
            for item in JOBS.values():
                # coalesce: after downtime, run a missed sweeper once, not once per missed slot; the
                # sweeper catches up on everything due anyway. A late run is still useful for an hour.
                scheduler.add_job(_run_job, item.trigger, args=[app, item, clock], id=item.id,
                                  coalesce=True, max_instances=1, misfire_grace_time=3600, **item.trigger_args)
            scheduler.add_job(lambda: _renew(app, renew), "interval", seconds=30, id="renew_lock")
            scheduler.add_job(_beat, "interval", args=[app, clock], minutes=1, id="heartbeat",
                              next_run_time=clock())
            app.logger.info("scheduler running %d jobs", len(JOBS))
            scheduler.start()


def _renew(app: Flask, renew) -> None:
    with app.app_context():
        renew()


def lease_holder() -> str | None:
    return db.session.scalar(select(SchedulerLease.holder).where(SchedulerLease.name == LOCK_NAME))
