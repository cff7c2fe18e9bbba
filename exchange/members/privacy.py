"""A member's data: taking it as a ZIP (at once, or later from a job's file), and leaving."""

from __future__ import annotations

from flask import Response, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from exchange.actions import act
from exchange.members.forms import LeaveForm
from exchange.members.routes import bp
from exchange.services.exchanges.lifecycle import today
from exchange.services.privacy import erasure, export


def _attachment(data: bytes) -> Response:
    name = f"archipel-donnees-{today().isoformat()}.zip"
    return Response(
        data,
        mimetype="application/zip",
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "no-store",
        },
    )


@bp.route("/compte/donnees", methods=["POST"])
@login_required
def export_data():
    """Everything Archipel holds about me, as one ZIP: at once, or prepared and offered later."""
    outcome = act(lambda: export.request_export(current_user.id))
    if outcome and isinstance(outcome.value, bytes):
        return _attachment(outcome.value)
    if outcome:
        flash(
            _(
                "Votre export est en préparation : vous serez prévenu·e ici et par e-mail dès "
                "qu'il sera prêt."
            ),
            "success",
        )
    return redirect(url_for("members.account_settings", _anchor="donnees"))


@bp.route("/compte/donnees/<int:export_id>", methods=["POST"])
@login_required
def take_export(export_id: int):
    """Download my prepared export, once: the file is then deleted."""
    outcome = act(lambda: export.take(current_user.id, export_id))
    if outcome:
        return _attachment(outcome.value)
    return redirect(url_for("members.account_settings", _anchor="donnees"))


@bp.route("/compte/supprimer", methods=["GET", "POST"])
@login_required
def leave():
    """Delete my account: what it erases and what it keeps, then my password."""
    form = LeaveForm()
    outcome = None
    if form.validate_on_submit():
        outcome = act(lambda: erasure.leave(current_user.id, form.current_password.data), form=form)
        if outcome:
            logout_user()
            flash(_("Votre compte a été supprimé. Merci pour le temps partagé."), "success")
            return redirect(url_for("main.index"))
    page = render_template(
        "members/leave.html", form=form, account_balance=erasure.balance_left(current_user.id)
    )
    return page, outcome.error.status_code if outcome is not None and outcome.error else (
        400 if form.errors else 200
    )
