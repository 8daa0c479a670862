"""Pages: the list, setting up a request (secretaries), and one request's page, which is the follow-up
for the secretaries and the reading-and-answering page for those asked. Thin: the rules are in
services.py, answers.py and access.py; forms post here and come back with a message."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from meetings.calendar.rule_words import describe_rule
from meetings.consultations import access, answers, bp, delegation, periodic, services
from meetings.consultations.notices import remind
from meetings.consultations.present import consultation_documents
from meetings.dossiers import documents
from meetings.dossiers.access import can_see_document
from meetings.errors import NotFound, ValidationFailed
from meetings.extensions import db
from meetings.tasks.routes import choices
from meetings.timeutil import app_zone, now_utc, to_local
from meetings.web import flashed_errors, set_nav_endpoint

set_nav_endpoint("consultations", "consultations.index")

DEFAULT_OPTIONS = "Đồng ý\nKhông đồng ý\nÝ kiến khác"


@bp.get("")
@login_required
def index():
    found = services.visible(current_user)
    return render_template("consultations/index.html", consultations=found,
                           can_create=access.can_create(current_user), now=now_utc())


def _form_data(form) -> dict:
    """The set-up form as the API's body: one question per block, options one per line."""
    questions = []
    for n in range(1, 6):
        text = (form.get(f"q{n}_text") or "").strip()
        if not text:
            continue
        kind = form.get(f"q{n}_kind") or "choice"
        options = [line.strip() for line in (form.get(f"q{n}_options") or "").splitlines() if line.strip()]
        questions.append({"kind": kind, "text": text, "options": options if kind == "choice" else []})
    return {"title": form.get("title"), "questions": questions, "deadline": form.get("deadline"),
            "user_ids": form.getlist("user_ids"), "unit_ids": form.getlist("unit_ids"),
            "meeting_id": form.get("meeting_id") or None, "recurrence": form.get("recurrence") or None,
            "lead_days": form.get("lead_days") or None}


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    if not access.can_create(current_user):
        abort(403)
    errors, status = {}, 200
    if request.method == "POST":
        try:
            consultation = services.create(_form_data(request.form), current_user, now_utc())
        except ValidationFailed as exc:
            errors, status = exc.fields, 422
        else:
            flash(_("Draft saved. Add the draft documents, then send it."), "success")
            return redirect(url_for("consultations.page", consultation_id=consultation.id))
    return render_template("consultations/new.html", errors=errors, form=request.form,
                           default_options=DEFAULT_OPTIONS, **choices()), status


@bp.get("/<int:consultation_id>")
@login_required
def page(consultation_id: int):
    try:
        consultation = services.get(consultation_id, current_user)
    except NotFound:
        abort(404)
    now = now_utc()
    manages = access.can_manage(current_user, consultation)
    mine = [r for r in access.recipients_of(current_user, consultation) if access.can_prepare(current_user, r)
            and consultation.status != "recurring"]  # a periodic report is answered in its rounds
    docs = [d for d in consultation_documents(consultation) if can_see_document(current_user, d)]
    return render_template(
        "consultations/page.html", consultation=consultation, manages=manages, mine=mine, documents=docs,
        open=services.is_open(consultation, now), pending=services.pending(consultation),
        answered=sum(1 for r in consultation.recipients if r.submitted is not None),
        can_submit={r.id: access.can_submit(current_user, r) for r in consultation.recipients},
        members={r.id: delegation.members(r) for r in mine if access.can_name_delegate(current_user, r)},
        delegates={r.id: access.delegate_of(r) for r in mine if r.unit_id},
        deadline_local=to_local(consultation.deadline).strftime("%Y-%m-%dT%H:%M"),
        recurrence_words=describe_rule(consultation.recurrence, consultation.deadline, app_zone()),
        rounds=periodic.rounds(consultation) if consultation.recurrence else [])


@bp.get("/<int:consultation_id>/rounds")
@login_required
def rounds(consultation_id: int):
    """A periodic report's table: per unit and period, on time / late / missing (one's own row only
    for those asked)."""
    try:
        consultation = services.get(consultation_id, current_user)
    except NotFound:
        abort(404)
    return render_template("consultations/rounds.html", consultation=consultation,
                           table=periodic.table(consultation, current_user, now_utc()),
                           periods=periodic.rounds(consultation),
                           words=describe_rule(consultation.recurrence, consultation.deadline, app_zone()))


def _back(consultation_id: int):
    return redirect(url_for("consultations.page", consultation_id=consultation_id))


@bp.post("/<int:consultation_id>/answer")
@login_required
def answer(consultation_id: int):
    try:
        consultation = services.get(consultation_id, current_user)
    except NotFound:
        abort(404)
    form = request.form
    submit = form.get("action") == "submit"
    given = [{"question": q.position, "choice": form.get(f"choice_{q.position}") or None,
              "text": form.get(f"text_{q.position}") or None} for q in consultation.questions]
    data = {"answers": given, "submit": submit, "no_opinion": form.get("no_opinion") == "on"}
    for name in ("for_user_id", "unit_id"):
        if form.get(name):
            data[name] = form.get(name)
    file = request.files.get("file")
    upload = (file.read(), file.filename or "") if file and file.filename else None
    with flashed_errors() as saved:
        answers.answer(consultation_id, data, current_user, now_utc(), upload=upload)
    if saved.ok:
        flash(_("Your answer has been sent.") if submit else _("Draft saved; it is not sent yet."), "success")
    return _back(consultation_id)


@bp.post("/<int:consultation_id>/delegate")
@login_required
def delegate(consultation_id: int):
    """The unit's head names who answers for the unit (an empty choice: the head answers again)."""
    with flashed_errors() as saved:
        recipient = delegation.name_delegate(consultation_id, {"unit_id": request.form.get("unit_id"),
                                                               "user_id": request.form.get("user_id")},
                                             current_user, now_utc())
    if saved.ok:
        person = access.delegate_of(recipient)
        flash(_("%(name)s now answers for the unit and has been told.", name=person.name) if person
              else _("You answer for the unit yourself again."), "success")
    return _back(consultation_id)


@bp.post("/<int:consultation_id>/documents")
@login_required
def upload(consultation_id: int):
    file = request.files.get("file")
    with flashed_errors() as saved:
        consultation = services.managed(consultation_id, current_user, lock=False)
        data = file.read() if file else None
        documents.upload(consultation.carrier_id, data, file.filename if file else "", {}, current_user, now_utc())
    if saved.ok:
        flash(_("Document added."), "success")
    return _back(consultation_id)


@bp.post("/<int:consultation_id>/send")
@login_required
def send(consultation_id: int):
    with flashed_errors() as saved:
        services.send(consultation_id, current_user, now_utc())
    if saved.ok:
        flash(_("Sent: everyone asked has been told."), "success")
    return _back(consultation_id)


@bp.post("/<int:consultation_id>/extend")
@login_required
def extend(consultation_id: int):
    with flashed_errors() as saved:
        services.extend(consultation_id, {"deadline": request.form.get("deadline")}, current_user, now_utc())
    if saved.ok:
        flash(_("Deadline extended; those who have not answered are told."), "success")
    return _back(consultation_id)


@bp.post("/<int:consultation_id>/close")
@login_required
def close(consultation_id: int):
    with flashed_errors() as saved:
        services.close(consultation_id, current_user, now_utc())
    if saved.ok:
        flash(_("Closed. The summary is final."), "success")
    return _back(consultation_id)


@bp.post("/<int:consultation_id>/remind")
@login_required
def remind_now(consultation_id: int):
    now = now_utc()
    with flashed_errors() as saved:
        consultation = services.managed(consultation_id, current_user)
        count = sum(remind(consultation, r, f"manual:{now.isoformat(timespec='seconds')}", now, by=current_user)
                    for r in consultation.recipients) if consultation.status == "sent" else 0
        db.session.commit()
    if saved.ok:
        flash(_("Reminder sent to %(n)d who have not answered.", n=count), "success")
    return _back(consultation_id)
