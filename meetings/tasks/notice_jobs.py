"""The conclusion notice's background job: rendering and signing the issued notice in the worker."""
from datetime import datetime

from meetings import jobs
from meetings.extensions import db
from meetings.tasks.models import ConclusionNotice


# A failed signing (the database gone a moment) is tried again; the notice waits as "signing".
@jobs.job("sign_notice", retries=3, retry_delay=30)
def sign_notice(notice_id: int, at: str) -> str:
    from meetings.tasks.conclusion_notice import sign_issued

    notice = db.session.get(ConclusionNotice, notice_id, with_for_update=True)
    if notice is None or notice.status != "signing":  # signed already (a job run twice) or gone
        return "nothing to do"
    sign_issued(notice, datetime.fromisoformat(at))
    return "signed"
