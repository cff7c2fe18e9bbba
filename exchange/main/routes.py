"""Home page and the member's notifications."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_babel import get_locale
from flask_login import current_user, login_required

from exchange.forms_common import Form
from exchange.services.community import first_steps, members, spaces
from exchange.services.listings import queries as listing_queries
from exchange.services.notify import notifications
from exchange.services.reputation import summaries

bp = Blueprint("main", __name__)


@bp.route("/")
def index():
    """What Archipel is, the spaces, the latest members, and the way in."""
    latest = listing_queries.latest(6)
    newcomers = members.search_members(per_page=8).items
    summaries.preload_cards([listing.author_id for listing in latest])
    return render_template(
        "main/index.html",
        latest=latest,
        locale=str(get_locale()),
        spaces=spaces.list_spaces(),
        newcomers=newcomers,
        skills=members.popular_skills(18),
        # A newcomer's checklist, until every step is done (then the page stays, unannounced).
        first_steps=first_steps.progress(current_user.id)
        if current_user.is_authenticated
        else None,
    )


@bp.route("/notifications")
@login_required
def notification_list():
    """What happened that concerns me."""
    return render_template(
        "main/notifications.html",
        items=notifications.for_member(current_user.id),
        describe=notifications.describe,
        form=Form(),
    )


@bp.route("/notifications/lues", methods=["POST"])
@login_required
def mark_read():
    """Mark all my notifications as read."""
    if Form().validate_on_submit():
        notifications.mark_all_read(current_user.id)
    return redirect(url_for("main.notification_list"))
