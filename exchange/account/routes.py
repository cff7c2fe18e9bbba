"""My time account: balance, limits, statement and its CSV, gifts; the common pot's ledger
and the coordinators' retributions from it."""

from __future__ import annotations

from datetime import date
from typing import TypedDict

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from exchange.account.forms import POT, GiftForm, PeriodForm, RetributeForm
from exchange.actions import act
from exchange.forms_common import int_arg
from exchange.forms_people import explain_pick, partner_picker
from exchange.forms_time import ask_to_confirm
from exchange.services.errors import LargeAmountUnconfirmed
from exchange.services.ledger import gifts, statements, transfers
from exchange.services.ledger import limits as ledger_limits
from exchange.services.moderation import rights
from exchange.services.money import amounts
from exchange.web import transfer_kind_label
from models.ledger import TRANSFER_KINDS

bp = Blueprint("account", __name__)


def _period() -> tuple[PeriodForm, date | None, date | None]:
    form = PeriodForm(request.args)
    if not form.validate():
        return form, None, None
    start, end = form.du.data, form.au.data
    if start and end and start > end:
        start, end = end, start
    return form, start, end


class Cursor(TypedDict):
    before: int | None
    after: int | None


def _cursor() -> Cursor:
    """Where the page starts: older than the entry `avant`, or newer than `apres` (entry
    ids); anything else is the first page."""
    return {"before": int_arg("avant"), "after": int_arg("apres")}


@bp.route("/compte")
@login_required
def statement():
    """My balance, my limits and my statement with its running balance, newest first, a
    page at a time."""
    form, start, end = _period()
    account = transfers.account_of(current_user.id)
    return render_template(
        "account/statement.html",
        account=account,
        limits=ledger_limits.limits_of(account),
        st=statements.page(account, start, end, **_cursor()),
        period=form,
    )


def _csv_words():
    """`describe(row)` for the CSV: each word translated once, not once a row."""
    kinds = {kind: transfer_kind_label(kind) for kind in TRANSFER_KINDS}
    pot, welcome = _("Caisse commune"), _("Bienvenue dans le réseau")

    def describe(row) -> tuple[str, str, str]:
        return (
            kinds.get(row.kind, row.kind),
            pot if row.counterpart_kind == "pot" else row.counterpart_name,
            welcome if row.kind == "grant" else row.reason,
        )

    return describe


@bp.route("/compte/releve.csv")
@login_required
def statement_csv():
    """My statement as CSV: UTF-8 with its BOM, `;` between cells (LibreOffice, Excel in French),
    every movement of the period oldest first, streamed as it is read."""
    _form, start, end = _period()
    found = statements.movements(transfers.account_of(current_user.id), start, end)
    headers = [
        _("Date"),
        _("Mouvement"),
        _("Contrepartie"),
        _("Motif"),
        _("Minutes"),
        _("Heures"),
        _("Durée"),
        _("Solde (minutes)"),
        _("Solde (heures)"),
        _("Référence"),
    ]
    body = stream_with_context(statements.csv_chunks(found, headers, _csv_words()))
    name = "releve-archipel.csv"
    if start or end:
        name = f"releve-archipel-{start or 'debut'}-{end or 'fin'}.csv"
    return Response(
        body,
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Content-Type": "text/csv; charset=utf-8",
        },
    )


@bp.route("/compte/donner", methods=["GET", "POST"])
@login_required
def give():
    """Give time to a member or to the common pot, with a message (pay it forward)."""
    if not current_user.active_memberships():
        flash(_("Rejoignez d'abord un lieu du réseau : les dons se font entre membres."), "info")
        return redirect(url_for("spaces.index"))
    form = GiftForm()
    if request.method == "GET":
        form.to_pot.data = request.args.get("a") == POT
    elif form.to_pot.data or form.recipient.data == POT:
        form.recipient.data, form.to_pot.data = POT, True
    candidates = partner_picker(form.recipient, form.recipient_name, current_user.id)
    status, large = 400 if request.method == "POST" else 200, None
    if not form.validate_on_submit():
        explain_pick(form.recipient, form.recipient_name, candidates)
    else:
        to = None if form.recipient.data == POT else int(form.recipient.data)
        given = act(
            lambda: gifts.give(
                current_user.id,
                minutes=form.minutes.minutes,
                message=form.message.data or "",
                to_member_id=to,
                request_key=form.request_key.data or None,
                confirmed_large=form.confirmed_large.confirms(
                    form.minutes.minutes, form.recipient.data
                ),
            ),
            form=form,
            done=_("Merci : votre don est enregistré."),
            answered=(LargeAmountUnconfirmed,),
        )
        if given:
            return redirect(url_for("account.statement"))
        if isinstance(given.error, LargeAmountUnconfirmed):  # asked again, to confirm in words
            status, large = 200, ask_to_confirm(form, given.error.minutes, form.recipient.data)
    account = transfers.account_of(current_user.id)
    return render_template(
        "account/give.html",
        form=form,
        account=account,
        limits=ledger_limits.limits_of(account),
        large=large,
        candidates=candidates,
    ), status


@bp.route("/caisse-commune")
def pot():
    """Every movement of the common pot, for everyone to read (PRODUCT.md: transparency); the
    words members join to gifts and corrections are for members."""
    form, start, end = _period()
    return render_template(
        "account/pot.html",
        st=statements.pot_page(start, end, for_members=current_user.is_authenticated, **_cursor()),
        period=form,
        can_retribute=rights.is_moderator(current_user),
        fees_on=amounts.online_fees_enabled(),
    )


@bp.route("/caisse-commune/retribuer", methods=["GET", "POST"])
@login_required
def retribute():
    """A coordinator pays a member from the pot for a contribution to the commons."""
    if not rights.is_moderator(current_user):
        abort(403)
    form = RetributeForm()
    scope = rights.scope(current_user)
    candidates = partner_picker(form.recipient, form.recipient_name, current_user.id, scope)
    valid = form.validate_on_submit()
    if not valid:
        explain_pick(form.recipient, form.recipient_name, candidates)
    if valid and act(
        lambda: gifts.retribute(
            current_user.id,
            int(form.recipient.data),
            minutes=form.minutes.minutes,
            reason=form.reason.data,
            request_key=form.request_key.data or None,
        ),
        form=form,
        done=_("Rétribution versée et consignée au journal."),
    ):
        return redirect(url_for("account.pot"))
    return render_template(
        "account/retribute.html", form=form, pot=transfers.pot(), candidates=candidates
    ), 400 if request.method == "POST" else 200
