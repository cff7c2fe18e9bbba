"""The coordinators' desk: what waits for them, and the log of every act."""

from __future__ import annotations

from flask import abort, render_template
from flask_login import current_user, login_required

from exchange.moderation import bp
from exchange.services import moderation
from exchange.spaces.forms import DecisionForm


@bp.route("/moderation")
@login_required
def index():
    """Pending requests of my spaces and the moderation log (coordinators and admins)."""
    if not (current_user.is_admin or current_user.coordinated_space_ids()):
        abort(403)
    pending = moderation.pending_requests(current_user)
    return render_template(
        "moderation/index.html",
        pending=pending,
        forms={m.id: DecisionForm(prefix=f"m{m.id}") for m in pending},
        log=moderation.log_for(current_user),
    )
