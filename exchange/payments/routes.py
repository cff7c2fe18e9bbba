"""Money: Stripe's webhook, a provider's Stripe account, paying a fee, settling or refunding
it, and the money ledger every member reads."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from exchange.actions import act, info_when_done_elsewhere
from exchange.extensions import csrf
from exchange.forms_common import int_arg
from exchange.payments.forms import RefundForm
from exchange.services.errors import DomainError
from exchange.services.exchanges import queries as exchange_queries
from exchange.services.money import amounts, checkout, connect, fees, records, stripe_events
from exchange.web import dispute_label, fee_state_label

bp = Blueprint("payments", __name__)

# ---------------------------------------------------------------------------- Stripe's calls


@bp.route("/webhooks/stripe", methods=["POST"])
@csrf.exempt
def stripe_webhook():
    """Stripe's events: 400 for anything not signed by Stripe within five minutes (nothing is
    written); otherwise recorded once and answered at once, handled after the answer."""
    if not amounts.online_fees_enabled():
        abort(404)
    try:
        row = stripe_events.receive(request.get_data(), request.headers.get("Stripe-Signature"))
    except stripe_events.BadSignature:
        return jsonify(error="invalid signature"), 400
    response = jsonify(received=True)
    if row is not None:
        # The app itself, not the proxy: the handler runs after the request's context is gone.
        app, row_id = current_app._get_current_object(), row.id  # type: ignore[attr-defined]

        def handle_after_answer():
            with app.app_context():
                stripe_events.handle(row_id)

        response.call_on_close(handle_after_answer)
    return response


# ---------------------------------------------------------------------------- my Stripe account


def _back_to_profile():
    return redirect(url_for("members.profile", user_id=current_user.id))


@bp.route("/compte/paiements/connecter", methods=["POST"])
@login_required
def connect_start():
    """Open (or finish opening) my Stripe account, on Stripe's onboarding pages."""
    onboarding = act(lambda: connect.onboarding_url(current_user.id))
    return redirect(onboarding.value, 303) if onboarding else _back_to_profile()


@bp.route("/compte/paiements/relancer")
@login_required
def connect_refresh():
    """Stripe's link expired or was used: a fresh one, for an account already opened (a GET
    never opens one: that takes the profile's button)."""
    if not amounts.online_fees_enabled() or not connect.has_account(current_user.id):
        return _back_to_profile()
    return connect_start()


@bp.route("/compte/paiements/retour")
@login_required
def connect_return():
    """Back from Stripe's onboarding: ask Stripe where the account stands."""
    refreshed = act(lambda: connect.refresh(current_user.id), access=())
    if not refreshed:
        return _back_to_profile()
    state = refreshed.value
    if state == "ready":
        flash(
            _("Votre compte de paiement est prêt : vous pouvez recevoir des frais en ligne."),
            "success",
        )
    elif state == "pending":
        flash(
            _(
                "Stripe n'a pas encore tout ce qu'il lui faut : votre compte de paiement est en "
                "attente. Vous pouvez reprendre l'inscription depuis votre profil."
            ),
            "info",
        )
    return _back_to_profile()


# ---------------------------------------------------------------------------- a fee


def _exchange_page(exchange_id: int):
    return redirect(url_for("exchanges.show", exchange_id=exchange_id))


def _fee_act(exchange_id: int, call, done: str):
    exchange_queries.get_for(current_user, exchange_id)  # 404 for those who may not see it
    act(call, done=done, category=info_when_done_elsewhere)
    return _exchange_page(exchange_id)


@bp.route("/echanges/<int:exchange_id>/frais/payer", methods=["POST"])
@login_required
def pay(exchange_id: int):
    """The receiver pays the fee on Stripe Checkout."""
    exchange_queries.get_for(current_user, exchange_id)
    started = act(
        lambda: checkout.start_checkout(current_user.id, exchange_id),
        category=info_when_done_elsewhere,
    )
    return redirect(started.value, 303) if started else _exchange_page(exchange_id)


@bp.route("/echanges/<int:exchange_id>/frais/paye")
@login_required
def checkout_return(exchange_id: int):
    """Back from Checkout: ask Stripe at once, without waiting for the webhook."""
    exchange_queries.get_for(current_user, exchange_id)
    fee = fees.of_exchange(exchange_id)
    session_id = request.args.get("session_id", "")
    if fee is None or session_id != fee.checkout_session_id:
        return _exchange_page(exchange_id)
    try:
        fee = checkout.sync_checkout(session_id)
    except DomainError:  # Stripe unreachable: no refusal to tell, the webhook will say it
        fee = None
    if fee is not None and fee.state == "paid":
        flash(_("Paiement reçu : merci. Les frais sont réglés."), "success")
    else:
        flash(
            _(
                "Paiement en cours de confirmation par Stripe : cette page le dira dès qu'il est reçu."
            ),
            "info",
        )
    return _exchange_page(exchange_id)


@bp.route("/echanges/<int:exchange_id>/frais/regle", methods=["POST"])
@login_required
def settle(exchange_id: int):
    """The provider says the fee was paid outside Archipel."""
    return _fee_act(
        exchange_id,
        lambda: fees.settle_outside(current_user.id, exchange_id),
        _("Frais marqués comme réglés hors d'Archipel."),
    )


@bp.route("/echanges/<int:exchange_id>/frais/rembourser", methods=["POST"])
@login_required
def refund(exchange_id: int):
    """A coordinator resolving a dispute refunds the paid fee."""
    exchange_queries.get_for(current_user, exchange_id)
    form = RefundForm()
    if not form.validate_on_submit():
        for message in form.reason.errors or [_("Dites pourquoi.")]:
            flash(message, "error")
        return _exchange_page(exchange_id)
    return _fee_act(
        exchange_id,
        lambda: fees.refund(current_user.id, exchange_id, form.reason.data),
        _(
            "Remboursement demandé à Stripe et consigné au journal ; les deux personnes sont prévenues."
        ),
    )


# ---------------------------------------------------------------------------- the money ledger


@bp.route("/caisse-commune/argent")
@login_required
def money():
    """Every fee, each month's totals and what went to the commons."""
    if "frais" in request.args:  # a notice's link to a fee's line: the page that lists it
        fee_id = int_arg("frais", 0)
        return redirect(
            url_for("payments.money", page=records.page_of(fee_id), _anchor=f"frais-{fee_id}")
        )
    return render_template(
        "payments/money.html",
        fees_on=amounts.online_fees_enabled(),
        totals=records.totals(),
        page=records.page(int_arg("page", 1)),
        shows_dispute=records.shows_dispute,
    )


@bp.route("/caisse-commune/argent.csv")
@login_required
def money_csv():
    headers = [
        _("Date"),
        _("Échange"),
        _("Ce que couvrent les frais"),
        _("Montant (euros)"),
        _("Montant (centimes)"),
        _("Part des communs (euros)"),
        _("État"),
        _("Donne son temps"),
        _("Reçoit"),
        _("Payé le"),
        _("Remboursé le"),
        _("Réglé hors d'Archipel le"),
        _("Litige bancaire"),
        _("Rendu par la banque le"),
        _("Référence"),
    ]
    return Response(
        records.to_csv(headers, fee_state_label, dispute_label),
        mimetype="text/csv",
        headers={
            "Content-Disposition": 'attachment; filename="argent-archipel.csv"',
            "Content-Type": "text/csv; charset=utf-8",
        },
    )
