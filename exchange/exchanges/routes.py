"""Exchanges: propose on a listing, answer, log the time, confirm or dispute, resolve;
log time given outside a listing; my exchanges."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from exchange.actions import act, info_when_done_elsewhere
from exchange.durations import duration_text
from exchange.exchanges.forms import (
    AcceptForm,
    DirectLogForm,
    DisputeForm,
    LogTimeForm,
    MessageForm,
    ProposeForm,
    ResolveForm,
)
from exchange.forms_common import int_arg
from exchange.forms_people import explain_pick, partner_picker
from exchange.forms_time import ask_to_confirm
from exchange.payments.forms import RefundForm
from exchange.services.errors import LargeAmountUnconfirmed
from exchange.services.exchanges import direct, disputes, lifecycle, stewards
from exchange.services.exchanges import queries as exchange_queries
from exchange.services.ledger import rules
from exchange.services.listings import queries as listing_queries
from exchange.services.money import amounts, connect, fees
from exchange.services.paging import Window
from exchange.services.reputation import feedback

bp = Blueprint("exchanges", __name__)

# My exchanges list the feedback I owe whose window closes first; the rest is a page of its own.
TO_WRITE_SHOWN = 10


def _needs_a_space():
    """Exchanges are between members of the network's spaces: join one first (as for
    publishing), rather than fill a form that would be refused."""
    if current_user.active_memberships():
        return None
    flash(_("Rejoignez d'abord un lieu du réseau : les échanges se font entre membres."), "info")
    return redirect(url_for("spaces.index"))


@bp.route("/echanges")
@login_required
def index():
    """My exchanges: what waits on me first, then what waits on others, then the closed ones,
    a page at a time (`avant=`/`apres=` an exchange of that history)."""
    return render_template(
        "exchanges/index.html",
        mine=exchange_queries.for_member(
            current_user.id, before=int_arg("avant"), after=int_arg("apres")
        ),
        to_write=feedback.to_write(current_user.id, Window(per_page=TO_WRITE_SHOWN)),
        window_end=feedback.window_end,
    )


@bp.route("/annonces/<int:listing_id>/proposer", methods=["GET", "POST"])
@login_required
def propose(listing_id: int):
    """Answer a listing with a proposal: a message and the time foreseen."""
    listing = listing_queries.get_for(current_user, listing_id)
    if not listing.is_public():  # its author and its coordinators still see it, nobody answers it
        abort(404)
    if listing.author_id == current_user.id:
        flash(_("C'est votre annonce : les autres membres vous proposeront des échanges."), "info")
        return redirect(url_for("listings.show", listing_id=listing.id))
    if (away := _needs_a_space()) is not None:
        return away
    form = ProposeForm()
    if request.method == "GET" and listing.estimated_minutes:
        form.minutes.data = duration_text(listing.estimated_minutes)
    if form.validate_on_submit() and (
        proposed := act(
            lambda: lifecycle.propose(
                current_user.id,
                listing.id,
                message=form.message.data,
                foreseen_minutes=form.minutes.minutes,
            ),
            form=form,
            done=_("Proposition envoyée à %(name)s.", name=listing.author.display_name),
        )
    ):
        return redirect(url_for("exchanges.show", exchange_id=proposed.value.id))
    return render_template(
        "exchanges/propose.html", form=form, listing=listing
    ), 400 if request.method == "POST" else 200


def _page(exchange_id: int, status: int = 200, large: int | None = None, **forms):
    exchange = exchange_queries.get_for(current_user, exchange_id)
    defaults = {
        "message_form": MessageForm(formdata=None),
        "accept_form": AcceptForm(formdata=None),
        "log_form": LogTimeForm(formdata=None),
        "dispute_form": DisputeForm(formdata=None),
        # A coordinator starts from the duration that was declared.
        "resolve_form": ResolveForm(formdata=None, minutes=duration_text(exchange.minutes)),
        "refund_form": RefundForm(formdata=None),
    }
    defaults.update(forms)
    fee = fees.of_exchange(exchange.id)
    fees_on = amounts.online_fees_enabled()
    return render_template(
        "exchanges/show.html",
        exchange=exchange,
        me=current_user.id,
        waits_on_me=exchange_queries.waits_on(exchange, current_user.id),
        can_resolve=stewards.can_resolve(current_user, exchange),
        feedback=feedback.on_exchange(exchange, current_user),
        fee=fee,
        fees_on=fees_on,
        # The provider may attach a fee while accepting or logging, if none is attached yet.
        may_attach_fee=fees_on and fee is None and current_user.id == exchange.provider_id,
        fee_cap=amounts.euros_text(rules.current().fee_cap_cents),
        provider_stripe=connect.state_of(exchange.provider_id) if fees_on else "none",
        can_refund=fee is not None and fees.can_refund(current_user, fee),
        large=large,
        **defaults,
    ), status


@bp.route("/echanges/<int:exchange_id>")
@login_required
def show(exchange_id: int):
    """One exchange, its history and what I can do next."""
    return _page(exchange_id)


def _act(exchange_id: int, form, call, done: str, form_name: str):
    """Check the form, call the use case, say what happened; re-show the page on an error."""
    exchange_queries.get_for(current_user, exchange_id)  # 404 for those who may not see it
    if form.validate_on_submit():
        stepped = act(
            lambda: call(form),
            form=form,
            done=done,
            category=info_when_done_elsewhere,
            answered=(LargeAmountUnconfirmed,),
        )
        if isinstance(stepped.error, LargeAmountUnconfirmed):  # shown again, to confirm in words
            large = ask_to_confirm(form, stepped.error.minutes)
            return _page(exchange_id, 200, large, **{form_name: form})
        # Done, or already done elsewhere (a conflict naming no field: said, move on).
        refused = stepped.error
        if refused is None or (refused.status_code == 409 and not refused.field):
            return redirect(url_for("exchanges.show", exchange_id=exchange_id))
    return _page(exchange_id, 400, **{form_name: form})


@bp.route("/echanges/<int:exchange_id>/accepter", methods=["POST"])
@login_required
def accept(exchange_id: int):
    """Accept a proposal."""
    return _act(
        exchange_id,
        AcceptForm(),
        lambda f: lifecycle.accept(
            current_user.id,
            exchange_id,
            f.message.data,
            fee_cents=f.fee_amount.cents,
            fee_covers=f.fee_covers.data or "",
        ),
        _("Échange accepté. Une fois le temps donné, l'un de vous le déclare."),
        "accept_form",
    )


@bp.route("/echanges/<int:exchange_id>/decliner", methods=["POST"])
@login_required
def decline(exchange_id: int):
    """Decline a proposal."""
    return _act(
        exchange_id,
        MessageForm(),
        lambda f: lifecycle.decline(current_user.id, exchange_id, f.message.data),
        _("Proposition déclinée."),
        "message_form",
    )


@bp.route("/echanges/<int:exchange_id>/annuler", methods=["POST"])
@login_required
def cancel(exchange_id: int):
    """Call the exchange off before any time is logged."""
    return _act(
        exchange_id,
        MessageForm(),
        lambda f: lifecycle.cancel(current_user.id, exchange_id, f.message.data),
        _("Échange annulé."),
        "message_form",
    )


@bp.route("/echanges/<int:exchange_id>/temps", methods=["POST"])
@login_required
def log_time(exchange_id: int):
    """Log the time actually given."""
    return _act(
        exchange_id,
        LogTimeForm(),
        lambda f: lifecycle.log_time(
            current_user.id,
            exchange_id,
            minutes=f.minutes.minutes,
            performed_on=f.performed_on.data,
            note=f.note.data,
            fee_cents=f.fee_amount.cents,
            fee_covers=f.fee_covers.data or "",
            confirmed_large=f.confirmed_large.confirms(f.minutes.minutes),
        ),
        _("Temps déclaré : l'autre personne va le confirmer."),
        "log_form",
    )


@bp.route("/echanges/<int:exchange_id>/confirmer", methods=["POST"])
@login_required
def confirm(exchange_id: int):
    """Confirm the time the other side logged: the credits move."""
    return _act(
        exchange_id,
        MessageForm(),
        lambda f: lifecycle.confirm(current_user.id, exchange_id),
        _("Temps confirmé : les crédits ont bougé."),
        "message_form",
    )


@bp.route("/echanges/<int:exchange_id>/contester", methods=["POST"])
@login_required
def dispute(exchange_id: int):
    """Dispute the time the other side logged, saying why."""
    return _act(
        exchange_id,
        DisputeForm(),
        lambda f: disputes.dispute(current_user.id, exchange_id, f.reason.data),
        _("Contestation envoyée : la coordination va trancher."),
        "dispute_form",
    )


@bp.route("/echanges/<int:exchange_id>/trancher", methods=["POST"])
@login_required
def resolve(exchange_id: int):
    """A coordinator settles a dispute."""
    if not stewards.can_resolve(current_user, exchange_queries.get_for(current_user, exchange_id)):
        abort(404)  # a party: the dispute is not theirs to settle
    return _act(
        exchange_id,
        ResolveForm(),
        lambda f: disputes.resolve(
            current_user.id,
            exchange_id,
            outcome=f.outcome.data,
            minutes=f.minutes.minutes,
            reason=f.reason.data,
        ),
        _("Décision enregistrée et consignée au journal ; les deux personnes sont prévenues."),
        "resolve_form",
    )


@bp.route("/echanges/declarer", methods=["GET", "POST"])
@login_required
def log_direct():
    """Log time given or received outside a listing; nothing moves until the other confirms."""
    if (away := _needs_a_space()) is not None:
        return away
    form = DirectLogForm()
    candidates = partner_picker(form.counterpart, form.counterpart_name, current_user.id)
    status, large = 400 if request.method == "POST" else 200, None
    if not form.validate_on_submit():
        explain_pick(form.counterpart, form.counterpart_name, candidates)
    else:
        who = (form.counterpart.data, form.direction.data)  # what the confirmation names
        logged = act(
            lambda: direct.log_direct(
                current_user.id,
                counterpart_id=int(form.counterpart.data),
                gave=form.direction.data == "gave",
                minutes=form.minutes.minutes,
                title=form.title.data,
                performed_on=form.performed_on.data,
                message=form.message.data or "",
                fee_cents=form.fee_amount.cents,
                fee_covers=form.fee_covers.data or "",
                confirmed_large=form.confirmed_large.confirms(form.minutes.minutes, *who),
            ),
            form=form,
            done=_("Temps déclaré : rien ne bouge tant que l'autre personne n'a pas confirmé."),
            answered=(LargeAmountUnconfirmed,),
        )
        if logged:
            return redirect(url_for("exchanges.show", exchange_id=logged.value.id))
        if isinstance(logged.error, LargeAmountUnconfirmed):  # asked again, to confirm in words
            status, large = 200, ask_to_confirm(form, logged.error.minutes, *who)
    return render_template(
        "exchanges/log.html",
        form=form,
        fees_on=amounts.online_fees_enabled(),
        fee_cap=amounts.euros_text(rules.current().fee_cap_cents),
        direct_log=True,
        large=large,
        candidates=candidates,
    ), status
