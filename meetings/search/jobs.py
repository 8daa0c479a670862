"""Keeping PostgreSQL's GIN indexes of search_index merged (see models.GIN_PENDING): a job queued at
the commit of each new version, right after it, and a sweep every five minutes for everything else
(an entry, a conclusion: a few rows each, merged in the next sweep; searched in the list meanwhile)."""
from meetings import jobs
from meetings.extensions import db
from meetings.notify.scheduler import job
from meetings.search.indexing import MERGE_JOB, merge_pending


@jobs.job(MERGE_JOB)
def merge_after_commit() -> int:
    """The pages merged (0 on SQLite, or when another merge took them first)."""
    merged = merge_pending(db.session.connection())
    db.session.commit()
    return merged


@job(MERGE_JOB, minutes=5)
def sweep_pending(now) -> int:
    return merge_after_commit()
