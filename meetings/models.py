"""Imports every feature's models so that SQLAlchemy and Alembic see the whole schema."""
from meetings.auth.models import ApiToken  # noqa: F401
from meetings.directory.models import Room, Unit, User  # noqa: F401
from meetings.calendar.models import (Event, EventChange, EventLeader, EventOverride, EventParticipant,  # noqa: F401
                                      LastSeen, WeekRevision, WeekSchedule)
from meetings.notify.models import (Notification, NotificationPreference, OutboxEmail,  # noqa: F401
                                    ReminderSetting, SchedulerLease)
from meetings.feeds.models import FeedToken, ImportedEntry  # noqa: F401
from meetings.dossiers.models import (AgendaItem, Document, DocumentAccess, DocumentPage, DocumentReader,  # noqa: F401
                                      DocumentVersion, Meeting, MeetingChange, MeetingParticipant, MeetingTemplate)
from meetings.reader.models import Annotation  # noqa: F401
from meetings.live.models import (Ballot, CheckIn, ItemTiming, Notice, Presence, PresenterPage,  # noqa: F401
                                  SpeakingRequest, Vote, Voter)
from meetings.tasks.models import Conclusion, Minutes, Task, TaskChange, TaskCooperatingUnit  # noqa: F401
from meetings.search.models import SearchEntry  # noqa: F401
from meetings.ops.models import Heartbeat  # noqa: F401
from meetings.consultations.models import (AnswerVersion, Consultation, Extension, Question, Recipient,  # noqa: F401
                                           Reminder)
