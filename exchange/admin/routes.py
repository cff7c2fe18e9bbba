"""Network administration: listing categories, the network's rules, corrections of transfers."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from exchange.actions import act
from exchange.admin.forms import CategoryForm, CorrectionForm, RetentionForm, RulesForm
from exchange.durations import duration_text
from exchange.forms_common import Form, int_arg
from exchange.services.conversations import retention
from exchange.services.errors import InvalidInput
from exchange.services.ledger import gifts, statements
from exchange.services.ledger import rules as network_rules
from exchange.services.listings import categories
from exchange.services.money import amounts

bp = Blueprint("admin", __name__)


@bp.before_request
@login_required
def admins_only():
    if not current_user.is_admin:
        abort(403)


@bp.route("/admin/categories", methods=["GET", "POST"])
def category_list():
    """The categories, their use, and a form to add one."""
    form = CategoryForm()
    if form.validate_on_submit() and act(
        lambda: categories.create(
            current_user.id, name_fr=form.name_fr.data, name_en=form.name_en.data
        ),
        form=form,
        done=_("Catégorie ajoutée."),
        access=(),
    ):
        return redirect(url_for("admin.category_list"))
    return render_template(
        "admin/categories.html",
        items=categories.with_counts(),
        form=form,
        edit_forms={},
        action_form=Form(),
    ), 400 if form.errors else 200


@bp.route("/admin/categories/<int:category_id>", methods=["POST"])
def category_update(category_id: int):
    """Rename, move or delete one category."""
    action = request.form.get("action", "rename")
    if action == "delete" and Form().validate_on_submit():
        act(
            lambda: categories.delete(current_user.id, category_id),
            done=_("Catégorie supprimée."),
            done_as="info",
            access=(404,),
        )
    elif action in ("up", "down") and Form().validate_on_submit():
        act(
            lambda: categories.move(current_user.id, category_id, -1 if action == "up" else 1),
            access=(404,),
        )
    elif action == "rename":
        form = CategoryForm()
        if form.validate_on_submit():
            act(
                lambda: categories.rename(
                    current_user.id,
                    category_id,
                    name_fr=form.name_fr.data,
                    name_en=form.name_en.data,
                ),
                done=_("Catégorie renommée."),
                access=(404,),
            )
        elif form.not_text_message:
            flash(form.not_text_message, "error")
        else:
            flash(_("Donnez les deux noms, en français et en anglais."), "error")
    return redirect(url_for("admin.category_list"))


@bp.route("/admin/reglages", methods=["GET", "POST"])
def rules():
    """The network's credit limits, welcome grant, confirmation threshold and fee rules."""
    form = _saved_rules() if request.method == "GET" else RulesForm()
    if form.validate_on_submit() and act(
        lambda: network_rules.update(
            current_user.id,
            credit_floor=-form.overdraft.required_minutes,
            credit_ceiling=form.ceiling.required_minutes,
            welcome_grant=form.welcome_grant.minutes or 0,
            fee_cap_cents=_typed(form.fee_cap.data, amounts.parse_euros, "fee_cap_cents"),
            commons_bp=_typed(form.commons.data, amounts.parse_percent, "commons_bp"),
            large_amount=form.large_amount.minutes,
            reason=form.reason.data or "",
        ),
        form=form,
        done=_("Règles du réseau enregistrées."),
        access=(),
        fields={
            "credit_floor": "overdraft",
            "credit_ceiling": "ceiling",
            "fee_cap_cents": "fee_cap",
            "commons_bp": "commons",
        },
    ):
        return redirect(url_for("admin.rules"))
    return _rules_page(form, RetentionForm(formdata=None, days=retention.days() or ""))


def _rules_page(form, retention_form):
    return render_template(
        "admin/rules.html",
        form=form,
        retention_form=retention_form,
        current=network_rules.current(),
        fees_on=amounts.online_fees_enabled(),
        euros=amounts.euros_text,
        percent=amounts.percent_text,
    ), 400 if request.method == "POST" else 200


@bp.route("/admin/reglages/messages", methods=["POST"])
def message_retention():
    """How long messages are kept (for ever by default)."""
    form = RetentionForm()
    typed = (form.days.data or "").strip() if isinstance(form.days.data, str) else ""
    if form.validate_on_submit() and act(
        lambda: retention.set_days(current_user.id, _days(typed)),
        form=form,
        done=_("Durée de conservation des messages enregistrée."),
        access=(),
    ):
        return redirect(url_for("admin.rules"))
    return _rules_page(_saved_rules(), form)


def _saved_rules() -> RulesForm:
    """The rules' form as the rules stand."""
    current = network_rules.current()
    form = RulesForm(formdata=None)
    form.overdraft.data = duration_text(-current.credit_floor)
    form.ceiling.data = duration_text(current.credit_ceiling)
    form.welcome_grant.data = duration_text(current.welcome_grant)
    form.large_amount.data = duration_text(current.large_amount)
    form.fee_cap.data = amounts.euros_input(current.fee_cap_cents)
    form.commons.data = amounts.percent_input(current.commons_bp)
    return form


def _days(typed: str) -> int | None:
    if not typed:
        return None
    if not (typed.isascii() and typed.isdigit()):
        raise InvalidInput(_("Indiquez un nombre de jours, par exemple 365."), field="days")
    return int(typed)


def _typed(typed: str | None, parse, field: str) -> int | None:
    """A parsed amount or share; None (unchanged) when left empty; else the field's message."""
    if not (typed or "").strip():
        return None
    value = parse(typed)
    if value is None:
        message = (
            _("Indiquez un montant en euros, par exemple 50 ou 12,50.")
            if field == "fee_cap_cents"
            else _("Indiquez un pourcentage, par exemple 0, 2 ou 2,5.")
        )
        raise InvalidInput(message, field=field)
    return value


@bp.route("/admin/mouvements")
def transfers():
    """The latest transfers of the whole ledger, each with its correction form."""
    page = int_arg("page", 1) or 1
    items = statements.latest_transfers(page)
    return render_template(
        "admin/transfers.html",
        items=items,
        page=page,
        reversed_ids=statements.reversed_ids([t.id for t in items]),
        form=CorrectionForm(formdata=None),
    )


@bp.route("/admin/mouvements/<int:transfer_id>/corriger", methods=["POST"])
def correct(transfer_id: int):
    """Reverse a transfer made by mistake, with a reason (a new transfer, logged)."""
    form = CorrectionForm()
    if not form.validate_on_submit():
        flash(_("Dites pourquoi vous corrigez ce mouvement."), "error")
        return redirect(url_for("admin.transfers"))
    act(
        lambda: gifts.correct(current_user.id, transfer_id, form.reason.data),
        done=_("Mouvement corrigé : un mouvement inverse a été enregistré."),
        access=(404,),
    )
    return redirect(url_for("admin.transfers"))
