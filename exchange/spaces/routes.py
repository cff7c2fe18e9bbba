"""The spaces of the network: browse, join, and (for coordinators) welcome members."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from exchange.actions import act
from exchange.services.community import memberships, spaces
from exchange.services.listings import queries as listing_queries
from exchange.services.reputation import summaries
from exchange.spaces.forms import (
    AppointForm,
    DecisionForm,
    JoinForm,
    ReasonForm,
    SimpleForm,
    SpaceForm,
)

bp = Blueprint("spaces", __name__)


def _require_coordinator(space_id: int) -> None:
    if not spaces.can_coordinate(current_user, space_id):
        abort(403)


@bp.route("/lieux")
def index():
    """Every space of the archipelago."""
    return render_template("spaces/index.html", spaces=spaces.list_spaces())


@bp.route("/lieux/<int:space_id>")
def show(space_id: int):
    """One space: what it is, who coordinates it, who is there, and how to join."""
    return _show_page(spaces.get_space(space_id))


def _show_page(space, *, appoint_form=None, failed_remove=None, status: int = 200):
    """The space page; a form that failed comes back with its errors beside its fields."""
    membership = (
        memberships.membership_of(current_user.id, space.id)
        if current_user.is_authenticated
        else None
    )
    can_coordinate = spaces.can_coordinate(current_user, space.id)
    coordinators = spaces.coordinators(space.id)
    remove_forms = {c.id: ReasonForm(prefix=f"c{c.id}", formdata=None) for c in coordinators}
    if failed_remove is not None:
        remove_forms[failed_remove[0]] = failed_remove[1]
    space_listings = listing_queries.find(listing_queries.Filters(space_id=space.id), per_page=6)
    summaries.preload_cards([listing.author_id for listing in space_listings.items])
    page = render_template(
        "spaces/show.html",
        space=space,
        membership=membership,
        coordinators=coordinators,
        members=spaces.members(space.id),
        member_count=spaces.member_count(space.id),
        space_listings=space_listings,
        locale=str(get_locale()),
        pending_count=len(memberships.pending_requests([space.id])) if can_coordinate else 0,
        can_coordinate=can_coordinate,
        join_form=JoinForm(formdata=None),
        leave_form=SimpleForm(formdata=None),
        appoint_form=appoint_form or AppointForm(formdata=None),
        remove_forms=remove_forms,
    )
    return page, status


def _space_fields(form: SpaceForm) -> dict:
    return {
        "name": form.name.data,
        "city": form.city.data,
        "description": form.description.data,
        "join_policy": form.join_policy.data,
        "premoderation": form.premoderation.data,
    }


@bp.route("/lieux/nouveau", methods=["GET", "POST"])
@login_required
def create():
    """An admin adds a space."""
    if not current_user.is_admin:
        abort(403)
    form = SpaceForm()
    if form.validate_on_submit() and (
        made := act(
            lambda: spaces.create_space(current_user.id, **_space_fields(form)),
            form=form,
            done=_("Lieu créé. Nommez maintenant ses coordinateurs."),
        )
    ):
        return redirect(url_for("spaces.show", space_id=made.value.id))
    return render_template("spaces/form.html", form=form, space=None), 400 if form.errors else 200


@bp.route("/lieux/<int:space_id>/modifier", methods=["GET", "POST"])
@login_required
def edit(space_id: int):
    """An admin or one of the space's coordinators edits it."""
    space = spaces.get_space(space_id)
    _require_coordinator(space.id)
    form = SpaceForm(obj=space)
    if form.validate_on_submit() and act(
        lambda: spaces.update_space(current_user.id, space_id, **_space_fields(form)),
        form=form,
        done=_("Lieu enregistré."),
    ):
        return redirect(url_for("spaces.show", space_id=space_id))
    return render_template("spaces/form.html", form=form, space=space), 400 if form.errors else 200


@bp.route("/lieux/<int:space_id>/rejoindre", methods=["POST"])
@login_required
def join(space_id: int):
    """Join an open space, or ask to join one that approves its members."""
    form = JoinForm()
    if form.validate_on_submit():
        joined = act(
            lambda: memberships.request_join(current_user.id, space_id, form.message.data or ""),
            category="info",
            access=(404,),
        )
        if not joined:
            return redirect(url_for("spaces.show", space_id=space_id))
        membership = joined.value
        if membership.status == "active":
            flash(_("Vous avez rejoint %(space)s.", space=membership.space.name), "success")
        else:
            flash(
                _(
                    "Demande envoyée aux coordinateurs de %(space)s. Vous serez prévenu·e de leur réponse.",
                    space=membership.space.name,
                ),
                "success",
            )
    elif form.not_text_message:
        flash(form.not_text_message, "error")
    elif form.message.errors:
        flash(_("Votre message est trop long (500 caractères au plus)."), "error")
    else:
        flash(_("Le formulaire a expiré. Rechargez la page et réessayez."), "error")
    return redirect(url_for("spaces.show", space_id=space_id))


@bp.route("/lieux/<int:space_id>/quitter", methods=["POST"])
@login_required
def leave(space_id: int):
    """Leave a space, or withdraw a pending request."""
    if SimpleForm().validate_on_submit():
        space = spaces.get_space(space_id)
        act(
            lambda: memberships.leave(current_user.id, space.id),
            done=_("C'est noté."),
            done_as="info",
            category="info",
            refusal=_("Vous n'êtes pas membre de ce lieu."),
            access=(),
        )
    return redirect(url_for("spaces.show", space_id=space_id))


@bp.route("/lieux/<int:space_id>/demandes")
@login_required
def requests(space_id: int):
    """The requests to join waiting for this space's coordinators."""
    space = spaces.get_space(space_id)
    _require_coordinator(space.id)
    return _requests_page(space)


def _requests_page(space, failed=None, status: int = 200):
    pending = memberships.pending_requests([space.id])
    forms = {m.id: DecisionForm(prefix=f"m{m.id}", formdata=None) for m in pending}
    if failed is not None:
        forms[failed[0]] = failed[1]
    return render_template(
        "spaces/requests.html", space=space, pending=pending, forms=forms
    ), status


def _back_to_queue_or(default: str) -> str:
    """Decisions taken from /moderation go back there."""
    return url_for("moderation.index") if request.form.get("next") == "moderation" else default


@bp.route("/lieux/<int:space_id>/demandes/<int:membership_id>", methods=["POST"])
@login_required
def decide(space_id: int, membership_id: int):
    """Accept or decline one request (declining says why)."""
    space = spaces.get_space(space_id)
    _require_coordinator(space.id)
    form = DecisionForm(prefix=f"m{membership_id}")
    back = _back_to_queue_or(url_for("spaces.requests", space_id=space.id))
    if form.validate_on_submit():
        decided = act(
            lambda: memberships.decide_join(
                current_user.id,
                membership_id,
                approve=form.decision.data == "approve",
                reason=form.reason.data or "",
                space_id=space.id,
            ),
            form=form,
            category="info",  # already decided by someone else, say
        )
        if decided:
            name = decided.value.user.display_name
            if decided.value.status == "active":
                flash(_("%(name)s fait maintenant partie du lieu.", name=name), "success")
            else:
                flash(_("Demande déclinée ; %(name)s a reçu votre message.", name=name), "info")
        if decided or not form.errors:
            return redirect(back)
    memberships.get_membership_in(space.id, membership_id)  # 404 for a request of another space
    return _requests_page(space, failed=(membership_id, form), status=400)


@bp.route("/lieux/<int:space_id>/coordinateurs", methods=["POST"])
@login_required
def appoint(space_id: int):
    """An admin names a coordinator of the space."""
    if not current_user.is_admin:
        abort(403)
    space = spaces.get_space(space_id)
    form = AppointForm()
    if form.validate_on_submit():
        named = act(
            lambda: memberships.appoint_coordinator(
                current_user.id, space_id, email=form.email.data
            ),
            form=form,
            done=lambda membership: _(
                "%(name)s coordonne maintenant ce lieu.", name=membership.user.display_name
            ),
            access=(),
        )
        if named or not form.errors:
            return redirect(url_for("spaces.show", space_id=space_id))
    return _show_page(space, appoint_form=form, status=400)


@bp.route("/lieux/<int:space_id>/coordinateurs/<int:user_id>/retirer", methods=["POST"])
@login_required
def remove_coordinator(space_id: int, user_id: int):
    """An admin withdraws a coordinator's role, saying why."""
    if not current_user.is_admin:
        abort(403)
    space = spaces.get_space(space_id)
    form = ReasonForm(prefix=f"c{user_id}")
    if form.validate_on_submit():
        removed = act(
            lambda: memberships.remove_coordinator(
                current_user.id, space_id, user_id, form.reason.data
            ),
            form=form,
            done=_("Rôle de coordination retiré."),
            done_as="info",
            access=(404,),
        )
        if removed or not form.errors:
            return redirect(url_for("spaces.show", space_id=space_id))
    return _show_page(space, failed_remove=(user_id, form), status=400)
