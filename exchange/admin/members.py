"""The admin deletes a member's account at their request, with the request in the log."""

from __future__ import annotations

from flask import redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from exchange.actions import act
from exchange.admin.forms import EraseMemberForm
from exchange.admin.routes import bp
from exchange.services.community import members
from exchange.services.privacy import erasure


@bp.route("/admin/membres/<int:user_id>/supprimer", methods=["GET", "POST"])
def erase_member(user_id: int):
    """What deleting this account erases and keeps, and the request it answers."""
    member = members.get_member(user_id)
    name = member.display_name
    form = EraseMemberForm()
    if form.validate_on_submit() and act(
        lambda: erasure.erase_on_request(current_user.id, member.id, form.reason.data),
        form=form,
        done=_("Le compte de %(name)s a été supprimé ; la demande est consignée.", name=name),
    ):
        return redirect(url_for("members.directory"))
    page = render_template(
        "admin/erase_member.html",
        form=form,
        member=member,
        account_balance=erasure.balance_left(member.id),
    )
    return page, 400 if form.errors else 200
