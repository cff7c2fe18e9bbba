"""Logging time given or received outside a listing (`/echanges/declarer`)."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from exchange.actions import act
from exchange.exchanges.forms import DirectLogForm
from exchange.exchanges.routes import bp, needs_a_space
from exchange.forms_people import explain_pick, partner_picker
from exchange.forms_time import ask_to_confirm
from exchange.services.errors import LargeAmountUnconfirmed
from exchange.services.exchanges import direct as direct_logs
from exchange.services.ledger import rules
from exchange.services.money import amounts


@bp.route("/echanges/declarer", methods=["GET", "POST"])
@login_required
def log_direct():
    """Log time given or received outside a listing; nothing moves until the other confirms."""
    if (away := needs_a_space()) is not None:
        return away
    form = DirectLogForm()
    candidates = partner_picker(form.counterpart, form.counterpart_name, current_user.id)
    status, large = 400 if request.method == "POST" else 200, None
    if not form.validate_on_submit():
        explain_pick(form.counterpart, form.counterpart_name, candidates)
    else:
        who = (form.counterpart.data, form.direction.data)  # what the confirmation names
        logged = act(
            lambda: direct_logs.log_direct(
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
