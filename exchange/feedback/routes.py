"""Feedback: write mine on a confirmed exchange, reply to one about me, read all of a member's."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from exchange.actions import act
from exchange.feedback.forms import FeedbackForm, ReplyForm
from exchange.forms_common import int_arg
from exchange.services.community import members
from exchange.services.exchanges import queries as exchange_queries
from exchange.services.moderation import rights
from exchange.services.paging import Window
from exchange.services.reputation import feedback, summaries

bp = Blueprint("feedback", __name__)

PER_PAGE = 20


@bp.route("/echanges/<int:exchange_id>/retour", methods=["GET", "POST"])
@login_required
def write(exchange_id: int):
    """Write my feedback on the other party, or change it while it has not appeared."""
    exchange = exchange_queries.get_for(current_user, exchange_id)  # 404 for outsiders
    refusal = feedback.refusal(current_user, exchange)
    if refusal is not None:
        if refusal.status_code == 403:
            abort(403)
        flash(str(refusal.message), "info")
        return redirect(url_for("exchanges.show", exchange_id=exchange.id))
    mine = feedback.of_party(exchange.id, current_user.id)
    form = FeedbackForm(obj=None if request.method == "POST" else mine)
    choices = feedback.confirmable_skills(exchange, current_user.id)
    form.skills.choices = [(s.id, s.name) for s in choices]
    if request.method == "GET" and mine is not None:
        form.skills.data = [s.id for s in mine.skills]
    if form.validate_on_submit() and act(
        lambda: feedback.write(
            current_user.id,
            exchange_id,
            form.recommendation.data,
            form.comment.data,
            form.skills.data or [],
        ),
        form=form,
        done=_("Merci : votre retour est enregistré."),
    ):
        return redirect(url_for("exchanges.show", exchange_id=exchange_id))
    return render_template(
        "feedback/write.html",
        form=form,
        exchange=exchange,
        mine=mine,
        theirs_written=feedback.of_party(exchange.id, exchange.other_party(current_user.id))
        is not None,
        other=exchange.other(current_user.id),
        ends=feedback.window_end(exchange),
    ), 400 if request.method == "POST" else 200


@bp.route("/echanges/retours-a-ecrire")
@login_required
def to_write():
    """Every feedback I still owe, whose window closes first first, a page at a time."""
    return render_template(
        "feedback/to_write.html",
        page=feedback.to_write(current_user.id, Window(int_arg("page", 1), PER_PAGE)),
        window_end=feedback.window_end,
    )


@bp.route("/retours/<int:feedback_id>/repondre", methods=["POST"])
@login_required
def reply(feedback_id: int):
    """Reply, once and publicly, to a feedback about me."""
    item = feedback.get_visible(feedback_id)
    if item.subject_id != current_user.id:
        abort(403)
    form = ReplyForm()
    if form.validate_on_submit():
        act(
            lambda: feedback.reply(current_user.id, feedback_id, form.text.data),
            done=_("Votre réponse est publiée sous le retour."),
        )
    else:
        flash(
            " ".join(str(e) for e in form.text.errors)
            or _(
                "Le formulaire a expiré ou n'a pas été envoyé depuis Archipel. Rechargez la page "
                "et réessayez."
            ),
            "error",
        )
    return redirect(url_for("feedback.about", user_id=item.subject_id) + f"#retour-{item.id}")


@bp.route("/membres/<int:user_id>/retours")
def about(user_id: int):
    """Every feedback about a member that has appeared, newest first."""
    member = members.get_member(user_id)
    page = int_arg("page", 1)
    total = summaries.count_visible(member.id)
    pages = max(1, -(-total // PER_PAGE))
    page = min(page, pages)
    items = summaries.latest(member.id, limit=PER_PAGE, offset=(page - 1) * PER_PAGE)
    rights.preload_feedback_spaces(current_user, items)
    return render_template(
        "feedback/about.html",
        member=member,
        summary=summaries.summary(member.id),
        items=items,
        page=page,
        pages=pages,
        reply_form=ReplyForm(formdata=None),
    )
