"""A member's data: taking it as a ZIP (at once, or later from a job's file)."""

from __future__ import annotations

from flask import Response, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from exchange.actions import act
from exchange.members.routes import bp
from exchange.services.exchanges.lifecycle import today
from exchange.services.privacy import export


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
