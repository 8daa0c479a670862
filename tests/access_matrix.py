"""The access matrix: for every route with an object in its URL, and every method, the answer each
role gets. tests/test_access_matrix.py asks every one of them and fails on a route missing here.

The roles (tests/access_world.py): an admin; an office secretary (thư ký văn phòng, not in the
meeting); the leader who chairs the meeting (chủ trì); a leader who does not take part; a member
who takes part; a member who does not (outsider); a participant since deactivated; anonymous.

The answers, as the access modules document them (meetings/*/access.py, auth/permissions.py):
- OK: the role may; a GET answers 2xx/3xx, a write with an empty body anything but a refusal
  (a 422 for the missing fields is fine) and never a 5xx;
- NO (403): the role knows the object (may see it) but may not do this;
- HIDDEN (404): the role may not see the object, so it does not exist for them;
- LOGIN: the API answers 401, a page sends to the sign-in page. A deactivated person is anonymous.
"""
from dataclasses import dataclass, field

OK, NO, HIDDEN, LOGIN = "ok", "403", "404", "login"
ROLES = ("admin", "secretary", "chair", "leader", "participant", "outsider", "deactivated", "anonymous")


def answers(admin, secretary, chair, leader, participant, outsider, deactivated=LOGIN, anonymous=LOGIN) -> dict:
    return dict(zip(ROLES, (admin, secretary, chair, leader, participant, outsider, deactivated, anonymous)))


# The meeting's rules (dossiers.access): managers = admins and office secretaries; the chair and the
# participants see a published meeting; anyone else gets 404 for the meeting and all it holds.
SEE_MEETING = answers(OK, OK, OK, HIDDEN, OK, HIDDEN)
MANAGE_MEETING = answers(OK, OK, NO, HIDDEN, NO, HIDDEN)
RUN_MEETING = answers(OK, OK, OK, HIDDEN, NO, HIDDEN)  # live.access.can_run_meeting: managers and the chair
TAKE_PART = answers(NO, NO, OK, HIDDEN, OK, HIDDEN)  # speak, vote: participants only
ADMIN_HIDDEN = answers(OK, HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN)
# The directory and the calendar (auth.permissions, calendar.access): managed by admins and
# secretaries; an ordinary internal entry, the weeks and people are seen by everyone signed in.
MANAGE_DIRECTORY = answers(OK, OK, NO, NO, NO, NO)
MANAGE_CALENDAR = MANAGE_DIRECTORY
SIGNED_IN = answers(OK, OK, OK, OK, OK, OK)
ADMIN_ONLY = answers(OK, NO, NO, NO, NO, NO)
# Tasks (tasks.access.task_rights): the task is given to a unit none of the roles belongs to, from
# the meeting, and reported done with a file: managers manage it, the chair sees it, nobody else
# knows it.
SEE_TASK = answers(OK, OK, OK, HIDDEN, HIDDEN, HIDDEN)
MANAGE_TASK = answers(OK, OK, NO, HIDDEN, HIDDEN, HIDDEN)
SEE_CONSULTATION = answers(OK, OK, OK, HIDDEN, OK, HIDDEN)
MANAGE_CONSULTATION = answers(OK, OK, NO, HIDDEN, NO, HIDDEN)
ANSWER_CONSULTATION = answers(NO, NO, OK, HIDDEN, OK, HIDDEN)
# Naming who answers for a unit: its head alone (the participant heads the unit asked).
DELEGATE_CONSULTATION = answers(NO, NO, NO, HIDDEN, OK, HIDDEN)
# Owned by the participant (a notification, an API token, a private note): theirs alone.
PARTICIPANTS_OWN = answers(HIDDEN, HIDDEN, HIDDEN, HIDDEN, OK, HIDDEN)
# A feed address is its own credential: whoever holds it reads the feed, signed in or not.
BY_TOKEN = answers(OK, OK, OK, OK, OK, OK, OK, OK)


@dataclass(frozen=True)
class Row:
    expect: dict
    # URL arguments made new for each permitted request (see World.values), so that what it
    # destroys or changes is not what later rows ask about; "name=kind" picks another kind.
    fresh: tuple[str, ...] = ()
    args: dict = field(default_factory=dict)  # URL arguments other than the world's usual ones
    body: dict = field(default_factory=dict)  # what a write sends, when an empty body asks something else


def rows(spec: dict) -> dict:
    return {key: value if isinstance(value, Row) else Row(value) for key, value in spec.items()}


MATRIX = rows({
    # Directory administration: pages for managers only.
    "GET /admin/rooms/<int:room_id>": MANAGE_DIRECTORY,
    "POST /admin/rooms/<int:room_id>": Row(MANAGE_DIRECTORY, fresh=("room_id",)),
    "GET /admin/units/<int:unit_id>": MANAGE_DIRECTORY,
    "POST /admin/units/<int:unit_id>": Row(MANAGE_DIRECTORY, fresh=("unit_id",)),
    "POST /admin/units/<int:unit_id>/delete": Row(MANAGE_DIRECTORY, fresh=("unit_id",)),
    "GET /admin/users/<int:user_id>": MANAGE_DIRECTORY,
    "POST /admin/users/<int:user_id>": Row(MANAGE_DIRECTORY, fresh=("user_id",)),
    "POST /admin/outbox/<int:email_id>/retry": ADMIN_ONLY,
    "PATCH /api/v1/rooms/<int:room_id>": MANAGE_DIRECTORY,
    "GET /api/v1/users/<int:user_id>": SIGNED_IN,
    "PATCH /api/v1/users/<int:user_id>": MANAGE_DIRECTORY,

    # A meeting's documents (dossiers.access.can_see_document and friends).
    "GET /api/v1/documents/<int:document_id>": SEE_MEETING,
    "PATCH /api/v1/documents/<int:document_id>": MANAGE_MEETING,
    "DELETE /api/v1/documents/<int:document_id>": Row(MANAGE_MEETING, fresh=("document_id",)),
    "GET /api/v1/documents/<int:document_id>/annotated": SEE_MEETING,
    "GET /api/v1/documents/<int:document_id>/annotations": SEE_MEETING,
    "GET /api/v1/documents/<int:document_id>/carry-over": SEE_MEETING,
    "POST /api/v1/documents/<int:document_id>/carry-over": SEE_MEETING,
    "GET /api/v1/documents/<int:document_id>/file": SEE_MEETING,
    "GET /api/v1/documents/<int:document_id>/layout": SEE_MEETING,
    "GET /api/v1/documents/<int:document_id>/log": MANAGE_MEETING,
    "GET /api/v1/documents/<int:document_id>/original": ADMIN_HIDDEN,
    "GET /api/v1/documents/<int:document_id>/pages/<int:page>": SEE_MEETING,
    "GET /api/v1/documents/<int:document_id>/pages/<int:page>/words": SEE_MEETING,
    "GET /api/v1/documents/<int:document_id>/thumbnails/<int:page>": SEE_MEETING,
    "POST /api/v1/documents/<int:document_id>/versions": MANAGE_MEETING,
    "GET /meetings/documents/<int:document_id>": SEE_MEETING,
    "POST /meetings/documents/<int:document_id>/delete": Row(MANAGE_MEETING, fresh=("document_id",)),
    "POST /meetings/documents/<int:document_id>/settings": Row(MANAGE_MEETING, fresh=("document_id",)),
    "POST /meetings/documents/<int:document_id>/versions": MANAGE_MEETING,
    "GET /reader/documents/<int:document_id>": SEE_MEETING,
    # The participant's shared note (reader.access): others who see the document read it, only
    # its author changes it.
    "PUT /api/v1/documents/<int:document_id>/annotations/<annotation_id>":
        answers(NO, NO, NO, HIDDEN, OK, HIDDEN),
    "DELETE /api/v1/documents/<int:document_id>/annotations/<annotation_id>":
        Row(answers(NO, NO, NO, HIDDEN, OK, HIDDEN), fresh=("annotation_id",)),

    # The meeting itself, its agenda, participants and dossier.
    "GET /api/v1/meetings/<int:meeting_id>": SEE_MEETING,
    # Answers before the meeting (dossiers.rsvp): participants answer; managers remind.
    "PUT /api/v1/meetings/<int:meeting_id>/rsvp": TAKE_PART,
    "POST /meetings/<int:meeting_id>/rsvp": TAKE_PART,
    "GET /api/v1/meetings/<int:meeting_id>/rsvp/delegates": SEE_MEETING,  # whom I may send: none if I take no part
    "POST /api/v1/meetings/<int:meeting_id>/rsvp/reminders": MANAGE_MEETING,
    "POST /meetings/<int:meeting_id>/rsvp/reminders": MANAGE_MEETING,
    "PATCH /api/v1/meetings/<int:meeting_id>": MANAGE_MEETING,
    "GET /api/v1/meetings/<int:meeting_id>/changes": SEE_MEETING,
    "GET /api/v1/meetings/<int:meeting_id>/dossier": SEE_MEETING,
    "GET /api/v1/meetings/<int:meeting_id>/search": SEE_MEETING,
    "GET /api/v1/meetings/<int:meeting_id>/unread": MANAGE_MEETING,
    "GET /api/v1/meetings/<int:meeting_id>/my-notes": SEE_MEETING,
    "GET /api/v1/meetings/<int:meeting_id>/my-notes/pdf": SEE_MEETING,
    "POST /api/v1/meetings/<int:meeting_id>/agenda": MANAGE_MEETING,
    "PUT /api/v1/meetings/<int:meeting_id>/agenda/order": MANAGE_MEETING,
    "PATCH /api/v1/meetings/<int:meeting_id>/agenda/<int:item_id>": MANAGE_MEETING,
    "DELETE /api/v1/meetings/<int:meeting_id>/agenda/<int:item_id>": Row(MANAGE_MEETING, fresh=("item_id",)),
    "POST /api/v1/meetings/<int:meeting_id>/documents": MANAGE_MEETING,
    "POST /api/v1/meetings/<int:meeting_id>/participants": MANAGE_MEETING,
    "PATCH /api/v1/meetings/<int:meeting_id>/participants/<int:user_id>": Row(MANAGE_MEETING, fresh=("user_id",)),
    "DELETE /api/v1/meetings/<int:meeting_id>/participants/<int:user_id>": Row(MANAGE_MEETING, fresh=("user_id",)),
    "POST /api/v1/meetings/<int:meeting_id>/template": MANAGE_MEETING,
    "GET /meetings/<int:meeting_id>": SEE_MEETING,
    "POST /meetings/<int:meeting_id>/agenda": MANAGE_MEETING,
    "POST /meetings/<int:meeting_id>/agenda/<int:item_id>": Row(MANAGE_MEETING, fresh=("item_id",)),
    "POST /meetings/<int:meeting_id>/documents": MANAGE_MEETING,
    "POST /meetings/<int:meeting_id>/participants": MANAGE_MEETING,
    "POST /meetings/<int:meeting_id>/participants/<int:user_id>": Row(MANAGE_MEETING, fresh=("user_id",)),
    "POST /meetings/<int:meeting_id>/status": MANAGE_MEETING,
    "POST /meetings/<int:meeting_id>/template": MANAGE_MEETING,

    # The live room (live.access).
    "GET /meetings/<int:meeting_id>/live": SEE_MEETING,
    "POST /api/v1/meetings/<int:meeting_id>/current": RUN_MEETING,
    "POST /api/v1/meetings/<int:meeting_id>/presenter": RUN_MEETING,
    "POST /api/v1/meetings/<int:meeting_id>/notices": MANAGE_MEETING,
    "POST /api/v1/meetings/<int:meeting_id>/votes": RUN_MEETING,
    "POST /api/v1/votes/<int:vote_id>/ballot": TAKE_PART,
    "POST /api/v1/votes/<int:vote_id>/close": Row(RUN_MEETING, fresh=("vote_id",)),
    "POST /api/v1/meetings/<int:meeting_id>/speaking": TAKE_PART,
    "PUT /api/v1/meetings/<int:meeting_id>/speaking/order": RUN_MEETING,
    # The participant's own request: the chair may also withdraw it; office staff do not speak.
    "DELETE /api/v1/meetings/<int:meeting_id>/speaking/<int:request_id>":
        Row(answers(NO, NO, OK, HIDDEN, OK, HIDDEN), fresh=("request_id=own_request",)),
    "POST /api/v1/meetings/<int:meeting_id>/speaking/<int:request_id>/grant": Row(RUN_MEETING, fresh=("request_id",)),
    # The speaker or the chair ends a turn (live.speaking.finish); office staff who are not
    # participants are not in the queue at all, though they may grant the floor.
    "POST /api/v1/meetings/<int:meeting_id>/speaking/<int:request_id>/finish":
        Row(answers(NO, NO, OK, HIDDEN, NO, HIDDEN), fresh=("request_id",)),
    # Participants check themselves in (the participant is the user in the URL); managers anyone.
    "POST /api/v1/meetings/<int:meeting_id>/check-ins/<int:user_id>": answers(OK, OK, NO, HIDDEN, OK, HIDDEN),

    # Minutes, conclusions, the conclusion notice (tasks.access).
    "GET /api/v1/meetings/<int:meeting_id>/minutes.pdf": SEE_MEETING,
    "GET /tasks/meetings/<int:meeting_id>/minutes": SEE_MEETING,
    "POST /tasks/meetings/<int:meeting_id>/minutes/generate": MANAGE_MEETING,
    "POST /tasks/meetings/<int:meeting_id>/minutes/edit": MANAGE_MEETING,
    "POST /tasks/meetings/<int:meeting_id>/minutes/approve": answers(NO, NO, OK, HIDDEN, NO, HIDDEN),
    "POST /tasks/meetings/<int:meeting_id>/minutes/reopen": answers(OK, OK, OK, HIDDEN, NO, HIDDEN),
    "GET /api/v1/meetings/<int:meeting_id>/conclusions": Row(SEE_MEETING),
    "POST /api/v1/meetings/<int:meeting_id>/conclusions": Row(MANAGE_MEETING),
    "GET /tasks/meetings/<int:meeting_id>": Row(SEE_MEETING),
    "POST /tasks/meetings/<int:meeting_id>/conclusions": Row(MANAGE_MEETING),
    # The issued notice is read by the meeting's people (and its recipients and signer); only its
    # managers prepare it, preview it and issue it.
    "GET /api/v1/meetings/<int:meeting_id>/notice.pdf": SEE_MEETING,
    "GET /tasks/meetings/<int:meeting_id>/notice.pdf": SEE_MEETING,
    "GET /tasks/meetings/<int:meeting_id>/notice": SEE_MEETING,
    "POST /tasks/meetings/<int:meeting_id>/notice": MANAGE_MEETING,
    "GET /tasks/meetings/<int:meeting_id>/notice/preview.pdf": MANAGE_MEETING,
    "POST /tasks/meetings/<int:meeting_id>/notice/issue": MANAGE_MEETING,

    # Tasks.
    "GET /api/v1/tasks/<int:task_id>": SEE_TASK,
    # An empty change is a progress report, the unit's to make: the rows edit the priority instead.
    "PATCH /api/v1/tasks/<int:task_id>": Row(MANAGE_TASK, body={"priority": "high"}),
    "GET /tasks/<int:task_id>": SEE_TASK,
    "POST /tasks/<int:task_id>/change": Row(MANAGE_TASK, body={"priority": "high"}),
    "GET /tasks/<int:task_id>/report-file": SEE_TASK,

    # The calendar: an internal, published entry; weeks; leaders' and rooms' schedules.
    "GET /api/v1/events/<int:event_id>": SIGNED_IN,
    "PATCH /api/v1/events/<int:event_id>": MANAGE_CALENDAR,
    "GET /api/v1/events/<int:event_id>/history": SIGNED_IN,
    "POST /api/v1/events/<int:event_id>/cancel": Row(MANAGE_CALENDAR, fresh=("event_id",)),
    "PATCH /api/v1/events/<int:event_id>/occurrences/<original_start>": Row(MANAGE_CALENDAR, fresh=("event_id=series",)),
    "GET /schedule/events/<int:event_id>": SIGNED_IN,
    "POST /schedule/events/<int:event_id>/cancel": Row(MANAGE_CALENDAR, fresh=("event_id",)),
    "GET /schedule/events/<int:event_id>/edit": MANAGE_CALENDAR,
    "POST /schedule/events/<int:event_id>/edit": Row(MANAGE_CALENDAR, fresh=("event_id",)),
    "POST /schedule/events/<int:event_id>/occurrences/<original>/cancel": Row(MANAGE_CALENDAR, fresh=("event_id=series",)),
    "POST /schedule/events/<int:event_id>/occurrences/<original>/move": Row(MANAGE_CALENDAR, fresh=("event_id=series",)),
    "GET /schedule/events/<int:event_id>/occurrences/<original>/following": Row(MANAGE_CALENDAR,
                                                                                fresh=("event_id=series",)),
    "POST /schedule/events/<int:event_id>/occurrences/<original>/following": Row(MANAGE_CALENDAR,
                                                                                 fresh=("event_id=series",)),
    # Turning an entry into a meeting: the office's secretaries (dossiers.access.can_create_meeting).
    "POST /api/v1/events/<int:event_id>/meeting": Row(MANAGE_CALENDAR, fresh=("event_id",)),
    "POST /meetings/from-entry/<int:event_id>": Row(MANAGE_CALENDAR, fresh=("event_id",)),
    "GET /schedule/leader/<int:leader_id>": SIGNED_IN,
    "GET /schedule/leader/<int:leader_id>/week/<key>": SIGNED_IN,
    "GET /schedule/mine/week/<key>": SIGNED_IN,
    "GET /schedule/rooms/week/<key>": SIGNED_IN,
    "GET /schedule/week/<key>": SIGNED_IN,
    "GET /schedule/week/<key>.pdf": SIGNED_IN,
    "GET /schedule/week/<key>/changes": SIGNED_IN,
    "GET /schedule/week/<key>/copy": MANAGE_CALENDAR,
    "POST /schedule/week/<key>/copy": MANAGE_CALENDAR,
    "POST /schedule/week/<key>/publish": MANAGE_CALENDAR,
    "GET /api/v1/weeks/<key>": SIGNED_IN,
    "GET /api/v1/weeks/<key>/changes": SIGNED_IN,
    "POST /api/v1/weeks/<key>/publish": MANAGE_CALENDAR,
    "GET /meetings/rooms/<int:room_id>/link": SIGNED_IN,

    # Feeds: each person's own feed addresses; an upload to import is its uploader's alone.
    "GET /feeds/<token>.ics": BY_TOKEN,
    "POST /api/v1/me/feeds/<key>/revoke": Row(SIGNED_IN, args={"key": "personal"}),
    "POST /api/v1/me/feeds/<key>/rotate": Row(SIGNED_IN, args={"key": "personal"}),
    "POST /feeds/manage/<key>/revoke": Row(SIGNED_IN, args={"key": "personal"}),
    "POST /feeds/manage/<key>/rotate": Row(SIGNED_IN, args={"key": "personal"}),
    "POST /feeds/import/<upload_id>/confirm": answers(HIDDEN, HIDDEN, NO, NO, NO, NO),

    # Written opinions (consultations.access): asked are the chair in person and the participant's
    # unit (the participant is its head); managers are the office's secretaries and admins; the
    # others get 404. Answering is for those asked; managers see the summary, those asked may not.
    "GET /consultations/<int:consultation_id>": SEE_CONSULTATION,
    "POST /consultations/<int:consultation_id>/answer": ANSWER_CONSULTATION,
    "POST /consultations/<int:consultation_id>/documents": MANAGE_CONSULTATION,
    "POST /consultations/<int:consultation_id>/send": MANAGE_CONSULTATION,
    "POST /consultations/<int:consultation_id>/extend": MANAGE_CONSULTATION,
    "POST /consultations/<int:consultation_id>/close": Row(MANAGE_CONSULTATION, fresh=("consultation_id",)),
    "POST /consultations/<int:consultation_id>/remind": MANAGE_CONSULTATION,
    "GET /api/v1/consultations/<int:consultation_id>": SEE_CONSULTATION,
    "PUT /api/v1/consultations/<int:consultation_id>/answer": ANSWER_CONSULTATION,
    "POST /api/v1/consultations/<int:consultation_id>/documents": MANAGE_CONSULTATION,
    "POST /api/v1/consultations/<int:consultation_id>/send": MANAGE_CONSULTATION,
    "POST /api/v1/consultations/<int:consultation_id>/extend": MANAGE_CONSULTATION,
    "POST /api/v1/consultations/<int:consultation_id>/close": Row(MANAGE_CONSULTATION, fresh=("consultation_id",)),
    "POST /api/v1/consultations/<int:consultation_id>/remind": MANAGE_CONSULTATION,
    "POST /api/v1/consultations/<int:consultation_id>/answer/file": ANSWER_CONSULTATION,
    "PUT /api/v1/consultations/<int:consultation_id>/delegate": DELEGATE_CONSULTATION,
    "POST /consultations/<int:consultation_id>/delegate": DELEGATE_CONSULTATION,
    # The chair's answer, sent with a file: the chair and the managers see it; the participant is
    # asked too, but as a unit, and sees only the unit's own answer.
    "GET /api/v1/consultations/<int:consultation_id>/answers/<int:recipient_id>/file":
        answers(OK, OK, OK, HIDDEN, HIDDEN, HIDDEN),
    "GET /api/v1/consultations/<int:consultation_id>/rounds": SEE_CONSULTATION,
    "GET /consultations/<int:consultation_id>/rounds": SEE_CONSULTATION,
    "GET /api/v1/consultations/<int:consultation_id>/summary.pdf": MANAGE_CONSULTATION,
    "GET /api/v1/consultations/<int:consultation_id>/summary.csv": MANAGE_CONSULTATION,

    # What belongs to one person.
    "GET /notifications/<int:notification_id>": PARTICIPANTS_OWN,
    "POST /profile/tokens/<int:token_id>/revoke": Row(PARTICIPANTS_OWN, fresh=("token_id",)),
})
