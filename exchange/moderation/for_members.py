"""A coordinator acts for a member of their spaces who asked for it (a gift of the member's
time, a direct log), and the member contests such an act within its days."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from exchange.account.forms import POT
from exchange.actions import act, info_when_done_elsewhere
from exchange.forms_common import MAX_INT, int_arg
from exchange.forms_people import explain_pick, prepare_picker
from exchange.forms_time import ask_to_confirm
from exchange.moderation.forms import ActGiftForm, ActLogForm, ContestForm
from exchange.moderation.routes import bp
from exchange.services.community import members
from exchange.services.errors import LargeAmountUnconfirmed
from exchange.services.exchanges import direct
from exchange.services.ledger import gifts
from exchange.services.moderation import on_behalf, rights


def _chosen(number) -> int | None:
    """The member's number the form carries, when it is one."""
    if isinstance(number, str) and number.isascii() and number.isdigit() and len(number) <= 10:
        return int(number) if 0 < int(number) <= MAX_INT else None
    return None


def _pickers(form, other_field, other_name) -> tuple[list, list]:
    """Ready both pickers: the member acted for, among the members of the spaces one
    coordinates (a link's ?membre=); the other party, among that member's partners, never
    the coordinator. Returns the members each typed name could be."""
    scope = rights.scope(current_user)
    asked = prepare_picker(
        form.member,
        form.member_name,
        find=lambda typed: members.partner_suggestions(current_user.id, typed, scope),
        one=lambda wanted: members.partner(current_user.id, wanted, scope),
        wanted=int_arg("membre"),
    )
    base = _chosen(form.member.data) or current_user.id

    def others(typed: str) -> list:
        found = members.partner_suggestions(base, typed)
        return [m for m in found if m.id != current_user.id]

    def other(wanted: int):
        found = members.partner(base, wanted)
        return None if found is None or found.id == current_user.id else found

    whom = prepare_picker(other_field, other_name, find=others, one=other, wanted=None)
    return asked, whom


def _allowed() -> None:
    if not rights.is_moderator(current_user):
        abort(403)


def _page(form, other_field, other_name, template: str, act_for, done: str, *about):
    """Both pages: ready the pickers, check the form, act for the member (`act_for(member_id,
    confirmed_large)`); a large amount is read back in words, naming the member, the other
    side and `about` (the form's fields the sentence depends on)."""
    asked, whom = _pickers(form, other_field, other_name)
    status, large = 400 if request.method == "POST" else 200, None
    if not form.validate_on_submit():
        explain_pick(form.member, form.member_name, asked)
        explain_pick(other_field, other_name, whom)
    else:
        member_id = int(form.member.data)
        named = (member_id, other_field.data, *(field.data for field in about))
        acted = act(
            lambda: act_for(member_id, form.confirmed_large.confirms(form.minutes.minutes, *named)),
            form=form,
            done=done % {"name": form.member_name.data},
            answered=(LargeAmountUnconfirmed,),
        )
        if acted:
            return redirect(url_for("members.profile", user_id=member_id))
        if isinstance(acted.error, LargeAmountUnconfirmed):  # asked again, to confirm in words
            status, large = 200, ask_to_confirm(form, acted.error.minutes, *named)
    return render_template(
        template,
        form=form,
        large=large,
        asked=asked,
        whom=whom,
        chosen=_chosen(form.member.data),
    ), status


@bp.route("/moderation/agir/don", methods=["GET", "POST"])
@login_required
def act_gift():
    """Record a gift of a member's time, to a member or to the pot, at the member's request."""
    _allowed()
    form = ActGiftForm()
    if request.method == "POST" and (form.to_pot.data or form.recipient.data == POT):
        form.recipient.data, form.to_pot.data = POT, True
    return _page(
        form,
        form.recipient,
        form.recipient_name,
        "moderation/act_gift.html",
        lambda member_id, confirmed: gifts.give(
            current_user.id,
            for_member_id=member_id,
            reason=form.reason.data,
            minutes=form.minutes.minutes,
            to_member_id=None if form.recipient.data == POT else int(form.recipient.data),
            message=form.message.data or "",
            request_key=form.request_key.data or None,
            confirmed_large=confirmed,
        ),
        _("Don enregistré pour %(name)s et consigné au journal ; ce membre en est prévenu."),
    )


@bp.route("/moderation/agir/declarer", methods=["GET", "POST"])
@login_required
def act_log():
    """Log time a member gave or received, at the member's request; the other side confirms."""
    _allowed()
    form = ActLogForm()
    return _page(
        form,
        form.counterpart,
        form.counterpart_name,
        "moderation/act_log.html",
        lambda member_id, confirmed: direct.log_direct(
            current_user.id,
            for_member_id=member_id,
            reason=form.reason.data,
            counterpart_id=int(form.counterpart.data),
            gave=form.direction.data == "gave",
            minutes=form.minutes.minutes,
            title=form.title.data,
            performed_on=form.performed_on.data,
            message=form.message.data or "",
            confirmed_large=confirmed,
        ),
        _(
            "Temps déclaré pour %(name)s et consigné au journal : rien ne bouge tant que "
            "l'autre personne n'a pas confirmé."
        ),
        form.direction,
    )


@bp.route("/compte/actes/<int:action_id>/contester", methods=["POST"])
@login_required
def contest_act(action_id: int):
    """The member contests an act a coordinator did for them; the other coordinators hear."""
    form = ContestForm()
    text = form.text.data if form.validate_on_submit() else ""
    act(
        lambda: on_behalf.contest(current_user.id, action_id, text),
        done=_(
            "Contestation envoyée : un temps déclaré en votre nom et pas encore confirmé est "
            "annulé ; pour un don, une autre personne de la coordination que celle qui a agi "
            "l'examine, et l'administration peut l'annuler."
        ),
        category=info_when_done_elsewhere,
    )
    return redirect(url_for("moderation.about_me", _anchor=f"acte-{action_id}"))
