"""The coordination writes to the parties of a dispute or a report, and hides a reported
message."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from exchange.actions import act
from exchange.conversations.forms import CoordinationForm
from exchange.conversations.routes import bp
from exchange.forms_common import local_path
from exchange.moderation.forms import ActForm
from exchange.services.conversations import coordination
from exchange.services.moderation import reports, rights


def _write(parties: list[tuple], back: str, heading: str, **about):
    """`parties`: (member, what they are to the dispute or the report), all checked at first."""
    form = CoordinationForm()
    form.to.choices = [(p.id, p.display_name) for p, _role in parties]
    if request.method == "GET":
        form.to.data = [p.id for p, _role in parties]
    if form.validate_on_submit():
        sent = act(
            lambda: coordination.write(
                current_user.id, list(form.to.data or []), form.body.data, **about
            ),
            form=form,
            done=lambda written: ngettext(
                "Message envoyé au nom de la coordination ; le journal de modération le note "
                "(sans son texte).",
                "%(num)d messages envoyés au nom de la coordination ; le journal de modération "
                "les note (sans leur texte).",
                len(written),
            ),
        )
        if sent:
            return redirect(back)
    status = 400 if request.method == "POST" else 200
    return render_template(
        "conversations/coordination.html", form=form, back=back, heading=heading, parties=parties
    ), status


@bp.route("/echanges/<int:exchange_id>/coordination", methods=["GET", "POST"])
@login_required
def about_dispute(exchange_id: int):
    """A coordinator who may settle a dispute writes to one or both of its parties."""
    exchange, parties = coordination.exchange_parties(rights.actor(current_user.id), exchange_id)
    roles = {exchange.provider_id: _("donne son temps"), exchange.receiver_id: _("reçoit")}
    return _write(
        [(p, roles[p.id]) for p in parties],
        url_for("exchanges.show", exchange_id=exchange.id),
        _("Écrire aux personnes de l'échange « %(title)s »", title=exchange.title),
        exchange_id=exchange.id,
    )


@bp.route("/moderation/signalements/<int:report_id>/ecrire", methods=["GET", "POST"])
@login_required
def about_report(report_id: int):
    """A coordinator who may answer a report writes to whom it reported, or to who reported."""
    report, parties = coordination.report_parties(rights.actor(current_user.id), report_id)
    return _write(
        [
            (
                p,
                _("a signalé")
                if p.id == report.reporter_id
                else _("concerné·e par le signalement"),
            )
            for p in parties
        ],
        url_for("moderation.index") + "#signalements",
        _("Écrire au sujet du signalement de « %(item)s »", item=reports.item_name(report)),
        report_id=report.id,
    )


@bp.route("/moderation/messages/<int:message_id>/masquer", methods=["POST"])
@login_required
def hide_message(message_id: int):
    """Hide a reported message; its reports are answered."""
    form = ActForm()
    back = local_path(form.next.data, url_for("moderation.index"))
    if form.validate_on_submit():
        act(
            lambda: coordination.hide_message(current_user.id, message_id, form.reason.data),
            done=_("Message masqué ; son auteur et les personnes qui l'ont signalé sont prévenus."),
            access=(403, 404),
        )
    return redirect(back)
