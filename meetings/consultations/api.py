"""/api/v1/consultations: requests for written opinions. Thin: parse, call a service, serialise."""
from flask import g, request
from flask_babel import gettext as _

from meetings import downloads
from meetings.api import bp
from meetings.api.routes import json_body
from meetings.consultations import access, answers, api_docs, delegation, periodic, services, summary  # noqa: F401
from meetings.consultations.notices import remind
from meetings.consultations.services import Closed, NotSent
from meetings.consultations.present import consultation_json, summary_json
from meetings.dossiers import documents
from meetings.dossiers.api import uploaded
from meetings.dossiers.present import document_json
from meetings.dossiers.responses import private_pdf
from meetings.errors import Forbidden
from meetings.extensions import db
from meetings.timeutil import now_utc


def _json(consultation_id: int) -> dict:
    db.session.expire_all()
    return consultation_json(services.get(consultation_id, g.api_user), g.api_user)


@bp.get("/consultations")
def list_consultations():
    return {"consultations": [summary_json(c) for c in services.visible(g.api_user)]}


@bp.post("/consultations")
def create_consultation():
    consultation = services.create(json_body(), g.api_user, now_utc())
    return _json(consultation.id), 201


@bp.get("/consultations/<int:consultation_id>")
def get_consultation(consultation_id: int):
    return _json(consultation_id)


@bp.post("/consultations/<int:consultation_id>/documents")
def upload_consultation_document(consultation_id: int):
    """A draft document, through the meetings' own upload (checks, sanitising, versions, stamps)."""
    consultation = services.managed(consultation_id, g.api_user, lock=False)
    if consultation.status == "closed":
        raise Closed(_("This request is closed: its documents are final."))
    data, filename = uploaded()
    settings = {k: v for k, v in request.form.items() if k in ("title", "access", "read_only")}
    document = documents.upload(consultation.carrier_id, data, filename, settings, g.api_user, now_utc())
    return document_json(document, g.api_user, True), 202  # taken: the worker checks it, as for meetings


@bp.post("/consultations/<int:consultation_id>/send")
def send_consultation(consultation_id: int):
    services.send(consultation_id, g.api_user, now_utc())
    return _json(consultation_id)


@bp.put("/consultations/<int:consultation_id>/answer")
def answer_consultation(consultation_id: int):
    answers.answer(consultation_id, json_body(), g.api_user, now_utc())
    return _json(consultation_id)


@bp.put("/consultations/<int:consultation_id>/delegate")
def delegate_consultation(consultation_id: int):
    """A unit's head names the member who answers for the unit ({"unit_id", "user_id"}), or takes
    it back ("user_id": null)."""
    delegation.name_delegate(consultation_id, json_body(), g.api_user, now_utc())
    return _json(consultation_id)


@bp.post("/consultations/<int:consultation_id>/answer/file")
def attach_to_answer(consultation_id: int):
    """A file with the answer (multipart `file`; `for_user_id` / `unit_id` as for PUT answer)."""
    data, filename = uploaded()
    answers.attach(consultation_id, {k: v for k, v in request.form.items() if k in ("for_user_id", "unit_id")},
                   (data, filename), g.api_user, now_utc())
    return _json(consultation_id)


@bp.get("/consultations/<int:consultation_id>/answers/<int:recipient_id>/file")
def answer_file(consultation_id: int, recipient_id: int):
    name, pdf = answers.attachment(consultation_id, recipient_id, request.args.get("version", type=int), g.api_user)
    return private_pdf(pdf, name)


@bp.post("/consultations/<int:consultation_id>/extend")
def extend_consultation(consultation_id: int):
    services.extend(consultation_id, json_body(), g.api_user, now_utc())
    return _json(consultation_id)


@bp.post("/consultations/<int:consultation_id>/close")
def close_consultation(consultation_id: int):
    services.close(consultation_id, g.api_user, now_utc())
    return _json(consultation_id)


@bp.post("/consultations/<int:consultation_id>/remind")
def remind_consultation(consultation_id: int):
    """A reminder by hand to everyone who has not answered yet."""
    now = now_utc()
    consultation = services.managed(consultation_id, g.api_user)
    if consultation.status != "sent":
        raise NotSent(_("Only a sent request that is not closed can be reminded of."))
    sent = sum(remind(consultation, r, f"manual:{now.isoformat(timespec='seconds')}", now, by=g.api_user)
               for r in consultation.recipients)
    db.session.commit()
    return {"reminded": sent}


@bp.get("/consultations/<int:consultation_id>/rounds")
def consultation_rounds(consultation_id: int):
    """A periodic report's table: per unit and period, on time / late / missing."""
    return periodic.table(services.get(consultation_id, g.api_user), g.api_user, now_utc())


def _summary_of(consultation_id: int):
    consultation = services.get(consultation_id, g.api_user)
    if not access.can_manage(g.api_user, consultation):
        raise Forbidden(_("Only the office's secretaries see the summary of every answer."))
    return consultation


@bp.get("/consultations/<int:consultation_id>/summary.pdf")
def consultation_summary_pdf(consultation_id: int):
    consultation = _summary_of(consultation_id)
    return private_pdf(summary.pdf_of(consultation, now_utc()), f"tong-hop-y-kien-{consultation.id}.pdf",
                       inline=request.args.get("download") is None)


@bp.get("/consultations/<int:consultation_id>/summary.csv")
def consultation_summary_csv(consultation_id: int):
    consultation = _summary_of(consultation_id)
    return summary.csv_of(consultation), 200, {
        "Content-Type": "text/csv; charset=utf-8", "Cache-Control": "private, no-store",
        **downloads.headers(f"tong-hop-y-kien-{consultation.id}.csv")}
