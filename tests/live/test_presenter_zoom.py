"""The presenter's zoom travels with the page, so a follower's reader shows what the presenter shows."""
import pytest

from meetings.dossiers.models import Document, Meeting
from meetings.extensions import db
from tests.live.conftest import join, updates


@pytest.fixture
def document_id(app, meeting):
    with app.app_context():
        record = db.session.get(Meeting, meeting.id)
        record.documents.append(Document(title="Báo cáo", audience="all", pages=5, current_version=1))
        db.session.commit()
        return record.documents[0].id


def test_zoom_is_pushed_kept_in_the_state_and_checked(meeting, document_id):
    url = f"/api/v1/meetings/{meeting.id}/presenter"
    follower = meeting.socket(meeting.members[0])
    join(follower, meeting.id)
    updates(follower)
    assert meeting.call(meeting.chair, "POST", url, {"document_id": document_id, "page": 2, "zoom": 1.5})["zoom"] == 1.5
    [turned] = updates(follower)
    assert turned["data"] == {"presenter_id": meeting.chair.id, "document_id": document_id, "page": 2, "zoom": 1.5}
    state = join(follower, meeting.id)["state"]
    assert state["live"]["presenter"]["zoom"] == 1.5
    # Without a zoom the page is shown at the page's width.
    meeting.call(meeting.chair, "POST", url, {"document_id": document_id, "page": 3})
    assert join(follower, meeting.id)["state"]["live"]["presenter"]["zoom"] == 1
    for zoom in (0.5, 7, "2", True, [2]):
        refused = meeting.call(meeting.chair, "POST", url, {"document_id": document_id, "page": 2, "zoom": zoom},
                               expect=422)
        assert "zoom" in refused["error"]["fields"], zoom
