"""The suggestions of the pages' member pickers: a small JSON list, only of the members the
page may offer to the one typing."""

from __future__ import annotations

from flask import jsonify, request, url_for
from flask_login import current_user, login_required

from exchange.members.routes import bp
from exchange.services.community import members
from exchange.services.moderation import rights
from exchange.text import initials

# A gift, a direct log, a retribution from the pot; the member a coordinator acts for.
PURPOSES = ("don", "declarer", "retribuer", "agir")


@bp.route("/membres/suggestions")
@login_required
def suggestions():
    """Up to eight members whose name starts (by a word) with `q`, two letters at least: name,
    picture, spaces. A retribution, or acting for a member, offers the members of the spaces
    one coordinates."""
    purpose = request.args.get("pour", "don")
    if purpose not in PURPOSES:
        purpose = "don"
    scope = None
    if purpose in ("retribuer", "agir"):
        if not rights.is_moderator(current_user):
            return jsonify(members=[]), 403
        scope = rights.scope(current_user)
    found = members.partner_suggestions(current_user.id, request.args.get("q", "")[:80], scope)
    response = jsonify(members=[_shown(m) for m in found])
    response.headers["Cache-Control"] = "no-store"
    return response


def _shown(member) -> dict:
    photo = (
        url_for("members.photo", user_id=member.id, size="small", photo=member.photo)
        if member.photo
        else None
    )
    return {
        "id": member.id,
        "name": member.display_name,
        "photo": photo,
        "initials": initials(member.display_name),
        "hue": member.id % 8,
        "spaces": " · ".join(m.space.name for m in member.active_memberships()),
    }
