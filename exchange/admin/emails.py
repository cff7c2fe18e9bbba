"""The admin's list of emails that could not leave, and the buttons to send them again."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from exchange.admin.routes import bp
from exchange.email_labels import email_label
from exchange.forms_common import Form, int_arg
from exchange.services.notify import outbox


@bp.route("/admin/courriels")
def emails():
    """Failed emails and those waiting: recipient, what kind of email, attempts, error; never
    a subject nor a body (they may quote a member's words or carry a personal link)."""
    page = int_arg("page", 1) or 1
    return render_template(
        "admin/emails.html",
        view=outbox.overview(page),
        attempts=outbox.ATTEMPTS,
        email_label=email_label,
    )


@bp.route("/admin/courriels/renvoyer", methods=["POST"])
def retry_all_emails():
    """Put every failed email back in the queue (logged)."""
    return _retry(None)


@bp.route("/admin/courriels/<int:email_id>/renvoyer", methods=["POST"])
def retry_email(email_id: int):
    """Put one failed email back in the queue (logged)."""
    return _retry(email_id)


def _retry(email_id: int | None):
    if Form().validate_on_submit():
        count = outbox.retry(current_user.id, email_id)
        if count:
            flash(
                ngettext(
                    "%(num)d courriel remis dans la file d'envoi.",
                    "%(num)d courriels remis dans la file d'envoi.",
                    count,
                ),
                "success",
            )
        else:
            flash(_("Aucun courriel en échec à renvoyer."), "info")
    return redirect(url_for("admin.emails"))
