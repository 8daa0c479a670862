"""Votes (biểu quyết), the speaking queue and access changes, as the room sees them."""
from sqlalchemy import select

from meetings.extensions import db
from meetings.live.models import Ballot, Vote, Voter
from tests.live.conftest import events, join, updates


def test_open_vote_count_for_the_chair_and_result_for_everyone(meeting):
    chair, member = meeting.socket(meeting.chair), meeting.socket(meeting.members[0])
    join(chair, meeting.id)
    join(member, meeting.id)
    vote = meeting.call(meeting.chair, "POST", f"/api/v1/meetings/{meeting.id}/votes",
                        {"question": "Thông qua dự thảo?", "options": None, "secret": False}, expect=201)
    assert vote["options"] == ["yes", "no", "abstain"]
    meeting.call(meeting.members[0], "POST", f"/api/v1/votes/{vote['id']}/ballot", {"choice": "no"})
    meeting.call(meeting.members[0], "POST", f"/api/v1/votes/{vote['id']}/ballot", {"choice": "yes"})  # changed
    meeting.call(meeting.members[1], "POST", f"/api/v1/votes/{vote['id']}/ballot", {"choice": "yes"})
    meeting.call(meeting.guest, "POST", f"/api/v1/votes/{vote['id']}/ballot", {"choice": "yes"}, expect=403)
    meeting.call(meeting.members[1], "POST", f"/api/v1/votes/{vote['id']}/ballot", {"choice": "maybe"}, expect=422)
    received = chair.get_received("/live")
    tallies = [p["args"][0] for p in received if p["name"] == "vote_tally"]
    assert tallies[-1]["counts"] == {"yes": 2, "no": 0, "abstain": 0}
    assert events(member, "vote_tally") == []  # the live count is the chair's
    meeting.call(meeting.members[0], "POST", f"/api/v1/votes/{vote['id']}/close", expect=403)
    closed = meeting.call(meeting.chair, "POST", f"/api/v1/votes/{vote['id']}/close")
    assert closed["result"] == {"counts": {"yes": 2, "no": 0, "abstain": 0}, "voters": 2}
    meeting.call(meeting.members[1], "POST", f"/api/v1/votes/{vote['id']}/ballot", {"choice": "no"}, expect=409)
    assert updates(member)[-1]["data"]["vote"]["result"]["counts"]["yes"] == 2


def test_a_vote_has_two_to_twenty_different_text_options(meeting):
    url = f"/api/v1/meetings/{meeting.id}/votes"
    for options in ([f"Phương án {n}" for n in range(21)], ["Có", "Có"], ["Có", "x" * 201], [{}, []], ["Có", "a\x00"]):
        answer = meeting.call(meeting.chair, "POST", url, {"question": "Chọn?", "options": options}, expect=422)
        assert any(name.split("[")[0] == "options" for name in answer["error"]["fields"])  # options or options[1]
    twenty = [f"Phương án {n}" for n in range(20)]
    assert meeting.call(meeting.chair, "POST", url, {"question": "Chọn?", "options": twenty}, expect=201)["options"] == twenty


def test_a_secret_ballot_keeps_no_link_and_is_never_broadcast(meeting, app):
    member = meeting.socket(meeting.members[1])
    join(member, meeting.id)
    vote = meeting.call(meeting.chair, "POST", f"/api/v1/meetings/{meeting.id}/votes",
                        {"question": "Bầu trưởng ban", "options": ["An", "Bình"], "secret": True}, expect=201)
    meeting.call(meeting.members[0], "POST", f"/api/v1/votes/{vote['id']}/ballot", {"choice": "Bình"})
    meeting.call(meeting.members[0], "POST", f"/api/v1/votes/{vote['id']}/ballot", {"choice": "An"})
    meeting.call(meeting.chair, "POST", f"/api/v1/votes/{vote['id']}/ballot", {"choice": "Bình"})
    mine = meeting.call(meeting.members[0], "GET", f"/api/v1/meetings/{meeting.id}")["live"]["votes"][0]
    assert mine["my_choice"] == "An" and "counts" not in mine
    pushed = [u for u in updates(member) if u["type"] == "ballot"]
    assert pushed and all(set(u["data"]) == {"vote_id", "voters"} for u in pushed)
    meeting.call(meeting.chair, "POST", f"/api/v1/votes/{vote['id']}/close")
    with app.app_context():
        stored = db.session.get(Vote, vote["id"])
        ballots = db.session.scalars(select(Ballot).where(Ballot.vote_id == vote["id"])).all()
        voters = db.session.scalars(select(Voter.user_id).where(Voter.vote_id == vote["id"])).all()
        assert stored.ballot_key is None and stored.result["counts"] == {"An": 1, "Bình": 1}
        assert sorted(voters) == sorted([meeting.members[0].id, meeting.chair.id])
        keys = {b.voter_key for b in ballots}
        assert not keys & {str(meeting.members[0].id), str(meeting.chair.id)}
        assert [b.choice for b in sorted(ballots, key=lambda b: b.id)] == ["An", "Bình"]  # rewritten in choice order
        assert db.session.scalars(select(Ballot.id)).all()  # nothing else stores a choice


def test_speaking_queue_request_reorder_grant_withdraw(meeting):
    base = f"/api/v1/meetings/{meeting.id}/speaking"
    first = meeting.call(meeting.members[0], "POST", base, expect=201)["id"]
    second = meeting.call(meeting.members[1], "POST", base, expect=201)["id"]
    meeting.call(meeting.members[1], "POST", base, expect=409)
    meeting.call(meeting.members[0], "PUT", f"{base}/order", {"request_ids": [second, first]}, expect=403)
    version = meeting.version()
    meeting.call(meeting.chair, "PUT", f"{base}/order", {"request_ids": [second, first], "version": version})
    meeting.call(meeting.chair, "PUT", f"{base}/order", {"request_ids": [first, second], "version": version},
                 expect=409)
    queue = meeting.call(meeting.chair, "POST", f"{base}/{second}/grant")["queue"]
    assert [(r["id"], r["status"]) for r in queue] == [(second, "speaking"), (first, "waiting")]
    assert queue[0]["started_at"]
    meeting.call(meeting.members[1], "DELETE", f"{base}/{first}", expect=403)
    meeting.call(meeting.members[0], "DELETE", f"{base}/{first}", expect=204)
    assert meeting.call(meeting.members[1], "POST", f"{base}/{second}/finish")["queue"] == []


def test_a_notice_reaches_every_screen_and_only_secretaries_send_one(meeting):
    screens = [meeting.socket(u) for u in (meeting.chair, meeting.guest)]
    for screen in screens:
        join(screen, meeting.id)
    for screen in screens:
        updates(screen)
    meeting.call(meeting.members[0], "POST", f"/api/v1/meetings/{meeting.id}/notices", {"text": "x"}, expect=403)
    meeting.call(meeting.secretary, "POST", f"/api/v1/meetings/{meeting.id}/notices", {"text": "Bắt đầu họp"},
                 expect=201)
    for screen in screens:
        [notice] = updates(screen)
        assert notice["type"] == "notice" and notice["data"]["text"] == "Bắt đầu họp"


def test_a_revoked_document_is_told_only_to_those_who_lost_it(meeting, app):
    from meetings.dossiers.models import Document, Meeting

    with app.app_context():  # a document row without a file is enough for an access change
        record = db.session.get(Meeting, meeting.id)
        record.documents.append(Document(title="Tờ trình", audience="all", pages=3, current_version=1))
        db.session.commit()
        document_id = record.documents[0].id
    keeps, loses = meeting.socket(meeting.members[0]), meeting.socket(meeting.members[1])
    for screen in (keeps, loses):
        join(screen, meeting.id)
        screen.get_received("/live")
    meeting.call(meeting.secretary, "PATCH", f"/api/v1/documents/{document_id}",
                 {"audience": "chosen", "reader_ids": [meeting.members[0].id]})
    loses_events = loses.get_received("/live")
    assert [p["args"][0]["document_id"] for p in loses_events if p["name"] == "document_revoked"] == [document_id]
    assert [p for p in keeps.get_received("/live") if p["name"] == "document_revoked"] == []


def test_presenter_page_is_pushed_and_only_the_presenter_turns_it(meeting, app):
    from meetings.dossiers.models import Document, Meeting

    with app.app_context():
        record = db.session.get(Meeting, meeting.id)
        record.documents.append(Document(title="Báo cáo", audience="all", pages=5, current_version=1))
        db.session.commit()
        document_id = record.documents[0].id
    follower = meeting.socket(meeting.members[0])
    join(follower, meeting.id)
    updates(follower)
    meeting.call(meeting.members[0], "POST", f"/api/v1/meetings/{meeting.id}/presenter",
                 {"document_id": document_id, "page": 2}, expect=403)
    meeting.call(meeting.chair, "POST", f"/api/v1/meetings/{meeting.id}/presenter",
                 {"document_id": document_id, "page": 9}, expect=422)
    meeting.call(meeting.chair, "POST", f"/api/v1/meetings/{meeting.id}/presenter",
                 {"document_id": document_id, "page": 3})
    [turned] = updates(follower)
    assert turned["type"] == "presenter_page" and turned["data"]["page"] == 3


def test_a_vote_has_two_to_twenty_distinct_options_of_at_most_200_characters(meeting):
    url = f"/api/v1/meetings/{meeting.id}/votes"
    for options in ([f"Phương án {n}" for n in range(21)], ["A" * 201, "B"], ["Có", "Có\u200b"], ["Có", "\u200b"],
                    ["Có", 1], "Có"):
        refused = meeting.call(meeting.chair, "POST", url, {"question": "Chọn?", "options": options}, expect=422)
        assert "options" in refused["error"]["fields"], options
    vote = meeting.call(meeting.chair, "POST", url, {"question": "Chọn?", "options": [f"Phương án {n}" for n in range(20)]},
                        expect=201)
    assert len(vote["options"]) == 20
    vote = meeting.call(meeting.chair, "POST", url, {"question": "Chọn?", "options": [" An ", "B" * 200]}, expect=201)
    assert vote["options"] == ["An", "B" * 200]
