"""Reports, the coordinators' desk (what waits for them, their acts) and the moderation log."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from exchange.actions import act
from exchange.forms_common import int_arg, local_path
from exchange.moderation.forms import ActForm, ContestForm, ReportForm, reason_label
from exchange.services.conversations import coordination
from exchange.services.errors import Conflict
from exchange.services.exchanges import queries as exchange_queries
from exchange.services.moderation import acts as moderation_acts
from exchange.services.moderation import desk, on_behalf, report_queue, reportable, reports, rights
from exchange.services.paging import Window
from exchange.spaces.forms import DecisionForm

bp = Blueprint("moderation", __name__)


@bp.app_template_global()
def can_moderate_member(member) -> bool:
    """Whether the person looking may suspend or reinstate this member (for the profile)."""
    return rights.can_act_on_member(current_user, member)


@bp.app_template_global()
def can_moderate_feedback(item) -> bool:
    """Whether the person looking may hide or restore this feedback's words."""
    return rights.can_act_on_feedback(current_user, item)


def _back(default: str) -> str:
    """Where to go after an act: the page it was sent from, when it is a path of this site."""
    return local_path(request.form.get("next", ""), default)


# ---------------------------------------------------------------------------- reports


def _report_page(form, item_kind: str, item, back: str, already: bool, status: int = 200):
    return render_template(
        "moderation/report.html",
        form=form,
        item_kind=item_kind,
        item=item,
        back=back,
        already=already,
    ), status


def _file_report(form, file, back: str, item_kind: str, item, already: bool):
    """Shared by both report pages: send the report, or show the form again with why not."""
    if form.validate_on_submit():
        filed = act(
            lambda: file(form.reason.data, form.text.data or ""),
            form=form,
            done=_(
                "Merci : votre signalement a bien été reçu. La coordination va l'examiner "
                "et vous dira ce qui a été fait."
            ),
            answered=(Conflict,),
        )
        if filed:
            return redirect(back)
        if isinstance(filed.error, Conflict):  # reported already: said, with the report's page
            flash(str(filed.error.message), "info")
            return _report_page(form, item_kind, item, back, True, 409)
    status = 400 if form.errors else 200
    return _report_page(form, item_kind, item, back, already, status)


@bp.route("/annonces/<int:listing_id>/signaler", methods=["GET", "POST"])
@login_required
def report_listing(listing_id: int):
    """Report a listing to the coordinators of its space."""
    listing = reportable.reportable_listing(current_user, listing_id)
    already = reports.open_report_of(current_user.id, listing_id=listing.id) is not None
    return _file_report(
        ReportForm(),
        lambda reason, text: reports.report_listing(current_user.id, listing.id, reason, text),
        url_for("listings.show", listing_id=listing.id),
        "listing",
        listing,
        already,
    )


@bp.route("/membres/<int:user_id>/signaler", methods=["GET", "POST"])
@login_required
def report_member(user_id: int):
    """Report a profile to the coordinators of the member's spaces."""
    member = reportable.reportable_member(current_user, user_id)
    already = reports.open_report_of(current_user.id, member_id=member.id) is not None
    return _file_report(
        ReportForm(),
        lambda reason, text: reports.report_member(current_user.id, member.id, reason, text),
        url_for("members.profile", user_id=member.id),
        "member",
        member,
        already,
    )


@bp.route("/retours/<int:feedback_id>/signaler", methods=["GET", "POST"])
@login_required
def report_feedback(feedback_id: int):
    """Report a feedback (its comment, its reply) to the coordinators."""
    item = reportable.reportable_feedback(current_user, feedback_id)
    already = reports.open_report_of(current_user.id, feedback_id=item.id) is not None
    return _file_report(
        ReportForm(),
        lambda reason, text: reports.report_feedback(current_user.id, item.id, reason, text),
        url_for("feedback.about", user_id=item.subject_id) + f"#retour-{item.id}",
        "feedback",
        item,
        already,
    )


@bp.route("/messages/<int:conversation_id>/<int:message_id>/signaler", methods=["GET", "POST"])
@login_required
def report_message(conversation_id: int, message_id: int):
    """Report a message written to me to the coordinators of my spaces."""
    message = reportable.reportable_message(current_user, message_id)
    if message.conversation_id != conversation_id:
        abort(404)
    already = reports.open_report_of(current_user.id, message_id=message.id) is not None
    return _file_report(
        ReportForm(),
        lambda reason, text: reports.report_message(current_user.id, message.id, reason, text),
        url_for("conversations.show", conversation_id=conversation_id) + f"#message-{message.id}",
        "message",
        message,
        already,
    )


# ---------------------------------------------------------------------------- the desk


DESK_PAGE = 20


@bp.route("/moderation")
@login_required
def index():
    """Open reports, listings to approve, requests to join, suspended members, and the log."""
    if not rights.is_moderator(current_user):
        abort(403)

    # Each queue shows twenty at a time, the longest waiting first, with its own pages.
    def window(arg: str) -> Window:
        return Window(page=min(int_arg(arg, 1), 10000), per_page=DESK_PAGE)

    pending = desk.pending_requests(current_user, window("demandes"))
    reported = report_queue.open_reports(current_user, window("signalements"))
    rights.preload_feedback_spaces(current_user, [r.feedback for r in reported.items if r.feedback])
    return render_template(
        "moderation/index.html",
        reports=reported,
        to_approve=desk.pending_listings(current_user, window("annonces")),
        disputes=exchange_queries.disputed_for(current_user, window("litiges")),
        suspended=desk.suspended_members(current_user, window("suspendus")),
        pending=pending,
        forms={m.id: DecisionForm(prefix=f"m{m.id}") for m in pending.items},
        log=desk.log_for(current_user),
        reason_label=reason_label,
        message_context=coordination.context_of(r.message_id for r in reported.items),
    )


@bp.route("/moderation/me-concernant")
@login_required
def about_me():
    """The moderation acts that concern me, with their reasons; those done for me at my
    request may be contested for a while."""
    acts = desk.acts_about(current_user.id)
    return render_template(
        "moderation/about_me.html",
        acts=acts,
        contest=on_behalf.contest_states(acts),
        contest_form=ContestForm(formdata=None),
        contest_days=on_behalf.CONTEST_DAYS,
    )


def _act(call, done: str):
    """Run one act with the form's reason; refusals (403, 404) become error pages, the rest
    a message on the page we came from."""
    form = ActForm()
    if form.validate_on_submit():
        act(lambda: call(form.reason.data or ""), done=done)
    elif form.not_text_message:
        flash(form.not_text_message, "error")
    return redirect(_back(url_for("moderation.index")))


@bp.route("/moderation/annonces/<int:listing_id>/masquer", methods=["POST"])
@login_required
def hide_listing(listing_id: int):
    """Hide a listing, saying why (its author is told)."""
    return _act(
        lambda reason: moderation_acts.hide_listing(current_user.id, listing_id, reason),
        _("Annonce masquée ; son auteur·rice a reçu la raison."),
    )


@bp.route("/moderation/annonces/<int:listing_id>/retablir", methods=["POST"])
@login_required
def restore_listing(listing_id: int):
    """Bring a hidden listing back."""
    return _act(
        lambda reason: moderation_acts.restore_listing(current_user.id, listing_id, reason),
        _("Annonce rétablie."),
    )


@bp.route("/moderation/annonces/<int:listing_id>/approuver", methods=["POST"])
@login_required
def approve_listing(listing_id: int):
    """Publish a listing that waited for approval."""
    return _act(
        lambda reason: moderation_acts.approve_listing(current_user.id, listing_id, reason),
        _("Annonce approuvée et publiée."),
    )


@bp.route("/moderation/annonces/<int:listing_id>/demander-modification", methods=["POST"])
@login_required
def request_edit(listing_id: int):
    """Ask the author to change their listing."""
    return _act(
        lambda message: moderation_acts.request_edit(current_user.id, listing_id, message),
        _("Demande de modification envoyée à l'auteur·rice."),
    )


@bp.route("/moderation/signalements/<int:report_id>/classer", methods=["POST"])
@login_required
def dismiss_report(report_id: int):
    """Close a report without acting on its item."""
    return _act(
        lambda note: reports.dismiss(current_user.id, report_id, note),
        _("Signalement classé ; la personne qui l'a envoyé est prévenue."),
    )


@bp.route("/moderation/membres/<int:user_id>/suspendre", methods=["POST"])
@login_required
def suspend_member(user_id: int):
    """Suspend a member, saying why."""
    return _act(
        lambda reason: moderation_acts.suspend_member(current_user.id, user_id, reason),
        _(
            "Compte suspendu : toutes ses sessions sont fermées et ses annonces ne sont plus visibles."
        ),
    )


@bp.route("/moderation/membres/<int:user_id>/reintegrer", methods=["POST"])
@login_required
def reinstate_member(user_id: int):
    """Lift a member's suspension, saying why."""
    return _act(
        lambda reason: moderation_acts.reinstate_member(current_user.id, user_id, reason),
        _("Compte réactivé."),
    )


def _part() -> str:
    """Which words of the feedback: its comment unless told; anything else is refused (404)
    by the service."""
    return request.form.get("part", "comment")


@bp.route("/moderation/retours/<int:feedback_id>/masquer", methods=["POST"])
@login_required
def hide_feedback(feedback_id: int):
    """Hide a feedback's comment or reply, saying why; the recommendation stays."""
    part = _part()
    return _act(
        lambda reason: moderation_acts.hide_feedback(current_user.id, feedback_id, reason, part),
        _("Texte masqué. La personne qui l'a écrit en est prévenue."),
    )


@bp.route("/moderation/retours/<int:feedback_id>/retablir", methods=["POST"])
@login_required
def restore_feedback(feedback_id: int):
    """Show a hidden comment or reply again."""
    part = _part()
    return _act(
        lambda reason: moderation_acts.restore_feedback(current_user.id, feedback_id, reason, part),
        _("Texte rétabli."),
    )
