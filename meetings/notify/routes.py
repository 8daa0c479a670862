"""Pages: my notifications and preferences; the outbox for admins (failed e-mail, try again)."""
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from meetings.auth.permissions import can_see_outbox
from meetings.errors import ValidationFailed
from meetings.extensions import db
from meetings.notify import bp, mail, services
from meetings.notify.kinds import CHANNELS, KINDS
from meetings.notify.models import OutboxEmail
from meetings.timeutil import now_utc


@bp.get("/notifications")
@login_required
def notifications():
    items = services.recent(current_user, 100)
    return render_template("notify/notifications.html", items=items, kinds=KINDS, channels=CHANNELS,
                           wants=lambda kind, channel: services.wants(current_user, kind, channel),
                           times=services.reminder_times(current_user))


@bp.post("/notifications/read")
@login_required
def mark_all_read():
    services.mark_read(current_user, None, now_utc())
    return redirect(url_for("notify.notifications"))


@bp.get("/notifications/<int:notification_id>")
@login_required
def open_notification(notification_id: int):
    """Mark read, then go to the thing it is about."""
    from meetings.notify.models import Notification

    item = db.session.get(Notification, notification_id)
    if item is None or item.user_id != current_user.id:
        abort(404)
    services.mark_read(current_user, [item.id], now_utc())
    return redirect(item.url or url_for("notify.notifications"))


@bp.post("/notifications/preferences")
@login_required
def save_preferences():
    for kind in KINDS:
        for channel in CHANNELS:
            services.set_preference(current_user, kind, channel, f"{kind}:{channel}" in request.form)
    db.session.commit()
    flash(_("Notification settings saved."), "success")
    return redirect(url_for("notify.notifications"))


@bp.post("/notifications/reminders")
@login_required
def save_reminder_times():
    try:
        services.set_reminder_times(current_user, request.form.get("day_before_at", ""),
                                    request.form.get("minutes_before", ""), request.form.get("digest_at", ""))
    except ValidationFailed as exc:
        for message in exc.fields.values():
            flash(message, "error")
    else:
        db.session.commit()
        flash(_("Reminder times saved."), "success")
    return redirect(url_for("notify.notifications") + "#reminders")


@bp.get("/admin/outbox")
@login_required
def outbox():
    if not can_see_outbox(current_user):
        abort(403)
    keeping = current_app.config.get("MAIL_TRANSPORT", "smtp") == "outbox"
    status = request.args.get("status", "held" if keeping else "failed")
    rows = list(db.session.scalars(select(OutboxEmail).where(OutboxEmail.status == status)
                                   .order_by(OutboxEmail.created_at.desc()).limit(200)))
    return render_template("notify/outbox.html", rows=rows, status=status, keeping=keeping)


@bp.post("/admin/outbox/<int:email_id>/retry")
@login_required
def retry_email(email_id: int):
    if not can_see_outbox(current_user):
        abort(403)
    mail.requeue(email_id, now_utc())
    flash(_("The message will be sent again."), "success")
    return redirect(url_for("notify.outbox"))
