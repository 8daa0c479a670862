"""The minutes' first draft, written from the meeting's record: who came (and why others did not),
each agenda item with when it started, who spoke, how votes went, what was concluded and which
tasks followed.

The text is plain: headings in capitals, list lines starting with "- ", indented lines for
detail. The secretary edits it as text and the PDF lays it out by those same marks (printing.py).
A secret vote (phiếu kín) contributes only its counts: neither its voters nor its ballots' keys
are read here, so no name can reach the text, whoever edits or prints it.
"""
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from meetings.directory.models import User
from meetings.dossiers import agenda
from meetings.dossiers.models import AgendaItem, Meeting
from meetings.extensions import db
from meetings.live.models import Ballot, CheckIn, ItemTiming, SpeakingRequest, Vote
from meetings.live.votes import counts
from meetings.tasks import conclusions as conclusion_records
from meetings.timeutil import app_zone, format_day, format_time

ROMAN = ("I", "II", "III", "IV", "V", "VI")
ROLE_ORDER = {"chair": 0, "secretary": 1, "member": 2, "guest": 3}


@dataclass
class ItemRecord:
    item: AgendaItem
    number: str
    timing: ItemTiming | None
    speakers: list[SpeakingRequest] = field(default_factory=list)
    votes: list[Vote] = field(default_factory=list)
    conclusions: list = field(default_factory=list)


def person(user: User | None) -> str:
    """'Nguyễn Văn Minh, Thứ trưởng, Vụ Pháp chế': name, title and unit as far as known."""
    if user is None:
        return _("(unknown)")
    return ", ".join(part for part in (user.name, user.title, user.unit.name if user.unit else None) if part)


def _during(timing: ItemTiming | None, moment: datetime | None) -> bool:
    return (timing is not None and moment is not None and timing.started_at <= moment
            and (timing.ended_at is None or moment < timing.ended_at))


def _item_of(records: list[ItemRecord], moment: datetime | None) -> ItemRecord | None:
    """The item under discussion at `moment` (the latest started, should timings overlap)."""
    found = [r for r in records if _during(r.timing, moment)]
    return max(found, key=lambda r: r.timing.started_at) if found else None


def _people(meeting: Meeting, role: str) -> str:
    return "; ".join(person(p.user) for p in meeting.participants if p.role == role)


def header_lines(meeting: Meeting) -> list[str]:
    event, zone = meeting.event, app_zone()
    place = ", ".join(part for part in (event.room.name if event.room else None, event.location) if part)
    lines = [_("Time: from %(start)s to %(end)s, %(day)s", start=format_time(event.start_at, zone),
               end=format_time(event.end_at, zone), day=format_day(event.start_at.astimezone(zone).date())),
             _("Place: %(place)s", place=place or "—")]
    if event.online_url:
        lines.append(_("Online: %(url)s", url=event.online_url))
    lines += [_("Chaired by: %(names)s", names=_people(meeting, "chair") or "—"),
              _("Secretary: %(names)s", names=_people(meeting, "secretary") or "—")]
    return lines


def attendance_lines(meeting: Meeting) -> list[str]:
    """Every participant, once, under how they attended; an absence with its reason."""
    checks = {c.user_id: c for c in db.session.scalars(select(CheckIn).where(CheckIn.meeting_id == meeting.id))}
    groups = {"in_person": [], "online": [], "absent": [], "not_yet": []}
    delegates = {p.delegate_for_id: p.user for p in meeting.participants if p.delegate_for_id is not None}
    for part in sorted(meeting.participants, key=lambda p: (ROLE_ORDER.get(p.role, 9), p.id)):
        check = checks.get(part.user_id)
        status = check.status if check is not None else "not_yet"
        line = person(part.user)
        if part.delegate_for is not None:
            line += "; " + _("in place of %(name)s", name=part.delegate_for.name)
        if status == "absent":
            line += "; " + _("reason: %(reason)s", reason=check.reason or "—")
        elif status == "not_yet" and part.rsvp == "delegated" and part.user_id in delegates:
            # Their answer before the meeting stands for the day: absent, with who came instead.
            status = "absent"
            line += "; " + _("sent %(name)s in their place", name=delegates[part.user_id].name)
        elif status == "not_yet" and part.rsvp == "declined":
            status = "absent"
            line += "; " + _("sent apologies: %(reason)s", reason=part.rsvp_reason or "—")
        elif status == "not_yet" and part.attendance == "declined":
            line += "; " + _("sent apologies")
        groups[status].append(line)
    titles = {"in_person": _("Present in person (%(n)d):", n=len(groups["in_person"])),
              "online": _("Attending online (%(n)d):", n=len(groups["online"])),
              "absent": _("Absent (%(n)d):", n=len(groups["absent"])),
              "not_yet": _("Not checked in (%(n)d):", n=len(groups["not_yet"]))}
    lines = []
    for status, names in groups.items():
        if names or status != "not_yet":
            lines.append(titles[status])
            lines += [f"- {name}" for name in names] or ["- " + _("none")]
    return lines


def option_label(option: str) -> str:
    """The default options are codes (yes/no/abstain); the chair's own options are words already."""
    return {"yes": _("Yes"), "no": _("No"), "abstain": _("Abstain")}.get(option, option)


def vote_lines(vote: Vote) -> list[str]:
    lines = [(_("Secret ballot: %(question)s", question=vote.question) if vote.secret
              else _("Open vote: %(question)s", question=vote.question))]
    tally = (vote.result or {}).get("counts") if vote.status == "closed" else None
    tally = tally or counts(vote)
    total = (vote.result or {}).get("voters", sum(tally.values()))
    result = "; ".join(f"{option_label(option)}: {tally.get(option, 0)}" for option in vote.options)
    lines.append("  " + _("Result: %(result)s (%(n)d voted)", result=result, n=total))
    if vote.status != "closed":
        lines.append("  " + _("The vote was still open when this text was written."))
    if not vote.secret:  # an open vote's roll call: who chose what
        ballots = db.session.execute(select(Ballot.voter_key, Ballot.choice).where(Ballot.vote_id == vote.id)).all()
        names = {b.voter_key: db.session.get(User, int(b.voter_key)) for b in ballots if b.voter_key.isdigit()}
        for option in vote.options:
            chosen = sorted(names[b.voter_key].name for b in ballots
                            if b.choice == option and names.get(b.voter_key) is not None)
            if chosen:
                lines.append("  " + f"{option_label(option)}: {', '.join(chosen)}")
    return lines


def conclusion_lines(conclusion) -> list[str]:
    lines = [f"- {conclusion.text}"]
    for task in conclusion.tasks:
        if task.status == "cancelled":
            continue
        lines.append("  " + _("Task: %(title)s; responsible unit: %(unit)s; due %(due)s", title=task.title,
                                unit=task.unit.name, due=f"{task.due_date:%d/%m/%Y}"))
    return lines


def _speaker_line(request: SpeakingRequest) -> str:
    return f"- {person(db.session.get(User, request.user_id))} ({format_time(request.started_at)})"


def item_lines(record: ItemRecord) -> list[str]:
    item = record.item
    lines = [f"{record.number}. {item.title}"]
    presenter = item.presenter.name if item.presenter else (item.presenter_unit.name if item.presenter_unit else None)
    if presenter:
        lines.append("  " + _("Presented by: %(name)s", name=presenter))
    started = format_time(record.timing.started_at) if record.timing else _("not taken up")
    planned = _("%(n)d minutes planned", n=item.duration_minutes) if item.duration_minutes else _("no time planned")
    lines.append("  " + _("Started: %(start)s (%(planned)s)", start=started, planned=planned))
    if record.speakers:
        lines.append("  " + _("Speakers:"))
        lines += ["  " + _speaker_line(r) for r in record.speakers]
    for vote in record.votes:
        lines += ["  " + line for line in vote_lines(vote)]
    if record.conclusions:
        lines.append("  " + _("Conclusions:"))
        for conclusion in record.conclusions:
            lines += ["  " + line for line in conclusion_lines(conclusion)]
    return lines


def compose(meeting: Meeting) -> str:
    """The whole first draft, in the caller's (the office's) language."""
    numbers = agenda.numbering(meeting)
    timings = {t.agenda_item_id: t for t in db.session.scalars(
        select(ItemTiming).where(ItemTiming.meeting_id == meeting.id))}
    records = [ItemRecord(item, numbers[item.id], timings.get(item.id)) for item in agenda.ordered(meeting)]
    by_id = {r.item.id: r for r in records}
    loose_speakers, loose_votes, general = [], [], []
    spoke = db.session.scalars(select(SpeakingRequest).where(
        SpeakingRequest.meeting_id == meeting.id, SpeakingRequest.started_at.is_not(None),
        SpeakingRequest.status.in_(("speaking", "done"))).order_by(SpeakingRequest.started_at, SpeakingRequest.id))
    for request in spoke:
        record = _item_of(records, request.started_at)
        (record.speakers if record else loose_speakers).append(request)
    for vote in db.session.scalars(select(Vote).where(Vote.meeting_id == meeting.id).order_by(Vote.id)):
        record = _item_of(records, vote.opened_at)
        (record.votes if record else loose_votes).append(vote)
    for conclusion in conclusion_records.conclusions_of(meeting.event):
        record = by_id.get(conclusion.agenda_item_id)
        (record.conclusions if record else general).append(conclusion)

    sections = [(_("ATTENDANCE"), attendance_lines(meeting))]
    body = [line for record in records for line in item_lines(record)]
    sections.append((_("AGENDA AND PROCEEDINGS"), body or ["- " + _("No agenda items.")]))
    other = []
    if loose_speakers:
        other += [_("Speakers outside the agenda items:")] + [_speaker_line(r) for r in loose_speakers]
    for vote in loose_votes:
        other += vote_lines(vote)
    if other:
        sections.append((_("OTHER PROCEEDINGS"), other))
    if general:
        sections.append((_("GENERAL CONCLUSIONS"), [line for c in general for line in conclusion_lines(c)]))
    end = max((t.ended_at for t in timings.values() if t.ended_at), default=None)

    lines = header_lines(meeting)
    for number, (title, content) in enumerate(sections):
        lines += ["", f"{ROMAN[number]}. {title}"] + content
    lines.append("")
    if end is not None:
        lines.append(_("The meeting ended at %(time)s.", time=format_time(end)))
    lines.append(_("The minutes were drawn up at the meeting and read to those present."))
    return "\n".join(lines) + "\n"
