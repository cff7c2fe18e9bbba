"""Offers and requests: search them, read one, publish, edit, pause, reopen, close, renew."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms import SelectChoice

from exchange import dates
from exchange.actions import act
from exchange.durations import duration_text
from exchange.forms_common import int_arg
from exchange.listings.forms import ActionForm, ListingForm
from exchange.services.community import members
from exchange.services.listings import publishing
from exchange.services.listings import queries as listing_queries
from exchange.services.listings.publishing import ListingInput
from exchange.services.listings.queries import Filters
from exchange.services.reputation import summaries

bp = Blueprint("listings", __name__)


@bp.route("/annonces")
def search():
    """Search the offers and requests of every space."""
    args = request.args
    filters = Filters(
        q=args.get("q", "")[:200],
        kind={"offre": "offer", "demande": "request"}.get(args.get("type", ""), ""),
        space_id=int_arg("lieu"),
        category=args.get("categorie", "")[:60],
        tag=args.get("tag", "")[:60],
        mode={"distance": "remote", "sur-place": "on_site", "les-deux": "both"}.get(
            args.get("mode", ""), ""
        ),
        city=args.get("ville", "")[:80],
        sort="newest" if args.get("tri") == "recent" else "relevance",
    )
    page = listing_queries.find(filters, page=min(int_arg("page", 1), 1000))
    summaries.preload_cards([listing.author_id for listing in page.items])
    return render_template(
        "listings/search.html",
        page=page,
        filters=filters,
        args=args,
        spaces=members.all_spaces(),
        categories=publishing.categories(),
        cities=listing_queries.cities(),
        tags=listing_queries.popular_tags(24),
        locale=str(get_locale()),
    )


@bp.route("/annonces/<int:listing_id>")
def show(listing_id: int):
    """One listing; 404 unless public, the viewer's own, or theirs to moderate."""
    listing = listing_queries.get_for(current_user, listing_id)
    return render_template(
        "listings/show.html",
        listing=listing,
        is_author=current_user.is_authenticated and current_user.id == listing.author_id,
        can_moderate=listing_queries.can_moderate(current_user, listing),
        action_form=ActionForm(),
        author_actions=publishing.author_actions(listing),
        locale=str(get_locale()),
    )


def _fill_choices(form: ListingForm) -> None:
    locale = str(get_locale())
    form.category_id.choices = [SelectChoice("", _("— choisir —"))] + [
        SelectChoice(str(c.id), c.name(locale)) for c in publishing.categories()
    ]
    form.space_id.choices = [
        SelectChoice(str(m.space_id), m.space.name) for m in current_user.active_memberships()
    ]


def _input(form: ListingForm) -> ListingInput:
    return ListingInput(
        kind=form.kind.data,
        title=form.title.data,
        summary=form.summary.data,
        details=form.details.data or "",
        next_steps=form.next_steps.data or "",
        tags=form.tags.data or "",
        category_id=int(form.category_id.data) if form.category_id.data else None,
        mode=form.mode.data,
        space_id=int(form.space_id.data),
        estimated_minutes=form.estimated_hours.minutes,
        expires_on=form.expires_on.data,
    )


@bp.route("/annonces/nouvelle", methods=["GET", "POST"])
@login_required
def create():
    """Publish an offer or a request."""
    if not current_user.active_memberships():
        flash(_("Rejoignez d'abord un lieu : chaque annonce est rattachée à un lieu."), "info")
        return redirect(url_for("spaces.index"))
    form = ListingForm()
    _fill_choices(form)
    if request.method == "GET":
        form.kind.data = "request" if request.args.get("type") == "demande" else "offer"
        form.expires_on.data = publishing.default_expiry()
        if len(form.space_id.choices) == 1:
            form.space_id.data = form.space_id.choices[0].value
    if form.validate_on_submit() and (
        made := act(lambda: publishing.create(current_user.id, _input(form)), form=form)
    ):
        listing = made.value
        if listing.moderation == "pending":
            flash(
                _("Annonce envoyée : les coordinateurs du lieu la publieront après relecture."),
                "info",
            )
        else:
            flash(_("Annonce publiée."), "success")
        return redirect(url_for("listings.show", listing_id=listing.id))
    return render_template(
        "listings/form.html", form=form, listing=None
    ), 400 if form.errors else 200


@bp.route("/annonces/<int:listing_id>/modifier", methods=["GET", "POST"])
@login_required
def edit(listing_id: int):
    """The author edits their listing."""
    listing = listing_queries.get_for(current_user, listing_id)
    if listing.author_id != current_user.id:
        abort(403)
    # The listing fills the form on GET only: a POST is what was sent, missing fields included.
    form = ListingForm(obj=listing if request.method == "GET" else None)
    _fill_choices(form)
    if request.method == "GET":
        form.tags.data = ", ".join(s.name for s in listing.skills)
        form.category_id.data = str(listing.category_id or "")
        form.space_id.data = str(listing.space_id)
        form.expires_on.data = listing.expires_at.date()
        if listing.estimated_minutes:
            form.estimated_hours.data = duration_text(listing.estimated_minutes)
    if form.validate_on_submit() and (
        saved := act(
            lambda: publishing.update(current_user.id, listing.id, _input(form)), form=form
        )
    ):
        if saved.value.moderation == "pending":
            flash(
                _("Modification enregistrée : elle attend la relecture des coordinateurs."),
                "info",
            )
        else:
            flash(_("Annonce enregistrée."), "success")
        return redirect(url_for("listings.show", listing_id=listing_id))
    return render_template(
        "listings/form.html", form=form, listing=listing
    ), 400 if form.errors else 200


@bp.route("/annonces/<int:listing_id>/etat", methods=["POST"])
@login_required
def change_status(listing_id: int):
    """Pause, reopen or close (withdraw) my listing."""
    action = request.form.get("action", "")
    listing_queries.get_for(current_user, listing_id)  # 404 for a listing this member cannot see
    if ActionForm().validate_on_submit():
        messages = {
            "pause": _("Annonce mise en pause : elle n'apparaît plus dans la recherche."),
            "reopen": _("Annonce rouverte."),
            "close": _("Annonce retirée."),
        }
        act(
            lambda: publishing.change_status(current_user.id, listing_id, action),
            done=messages.get(action),
            category="info",
        )
    return redirect(url_for("listings.show", listing_id=listing_id))


@bp.route("/annonces/<int:listing_id>/renouveler", methods=["POST"])
@login_required
def renew(listing_id: int):
    """Give my listing another 90 days."""
    listing_queries.get_for(current_user, listing_id)  # 404 for a listing this member cannot see
    if ActionForm().validate_on_submit():
        act(
            lambda: publishing.renew(current_user.id, listing_id),
            done=lambda listing: _(
                "Annonce prolongée jusqu'au %(date)s.", date=dates.day(listing.expires_at)
            ),
            category="info",
        )
    return redirect(url_for("listings.show", listing_id=listing_id))


@bp.route("/mes-annonces")
@login_required
def mine():
    """My listings, whatever their state, with what happened to them."""
    return render_template(
        "listings/mine.html",
        items=listing_queries.by_author(current_user.id, public_only=False),
        locale=str(get_locale()),
    )
