"""Members write to each other: my conversations, one conversation, asking about a listing,
writing from a profile, blocking a member. (An exchange's own thread is on its page:
exchanges/thread.py.)"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from exchange.actions import act
from exchange.conversations.forms import ButtonForm, MessageForm
from exchange.forms_common import int_arg
from exchange.ratelimits import started_conversation
from exchange.services.community import members
from exchange.services.conversations import blocks, inbox, threads
from exchange.services.listings import queries as listing_queries

bp = Blueprint("conversations", __name__)


@bp.route("/messages")
@login_required
def index():
    """My conversations, newest activity first, with what is unread."""
    return render_template(
        "conversations/index.html",
        inbox=inbox.mine(current_user.id, after=request.args.get("apres")),
    )


def _page(conversation_id: int, form: MessageForm | None = None, status: int = 200):
    conversation, thread = threads.read(current_user.id, conversation_id, before=int_arg("avant"))
    return render_template(
        "conversations/show.html",
        conversation=conversation,
        thread=thread,
        others=threads.others(conversation, current_user.id),
        blocked_names=threads.blocked_names(current_user.id, conversation),
        form=form or MessageForm(formdata=None),
        may_propose=threads.may_propose(current_user, conversation),
        as_coordination=threads.may_write_as_coordination(current_user, conversation),
    ), status


@bp.route("/messages/<int:conversation_id>")
@login_required
def show(conversation_id: int):
    """One conversation: its messages (the latest, older ones a page at a time), and a reply."""
    return _page(conversation_id)


@bp.route("/messages/<int:conversation_id>/repondre", methods=["POST"])
@login_required
def reply(conversation_id: int):
    """Write in a conversation I take part in."""
    threads.get_for(current_user.id, conversation_id)  # 404 for anybody else
    form = MessageForm()
    if form.validate_on_submit() and act(
        lambda: threads.reply(current_user.id, conversation_id, form.body.data),
        form=form,
    ):
        return redirect(url_for(".show", conversation_id=conversation_id) + "#dernier")
    return _page(conversation_id, form, 400)


def _start(recipient, template: str, listing=None, **context):
    """Write to a member (about a listing): the conversation between the two goes on, or
    begins; only a conversation begun counts against the day's limit."""
    if request.method == "GET":  # one already there: its page, where the answer is written
        there = threads.existing(current_user.id, recipient.id, listing.id if listing else None)
        if there is not None:
            return redirect(url_for(".show", conversation_id=there.id) + "#dernier")
    form = MessageForm()
    if form.validate_on_submit():
        started = act(
            lambda: threads.start(
                current_user.id,
                recipient.id,
                form.body.data,
                listing_id=listing.id if listing else None,
            ),
            form=form,
            done=_("Message envoyé à %(name)s.", name=recipient.display_name),
        )
        if started:
            conversation, new = started.value
            if new:
                started_conversation()
            return redirect(url_for(".show", conversation_id=conversation.id) + "#dernier")
    status = 400 if request.method == "POST" else 200
    return render_template(
        template, form=form, recipient=recipient, listing=listing, **context
    ), status


@bp.route("/annonces/<int:listing_id>/question", methods=["GET", "POST"])
@login_required
def ask(listing_id: int):
    """Ask the author of a listing a question before proposing anything."""
    listing = listing_queries.get_for(current_user, listing_id)
    if not listing.is_public():
        abort(404)
    if listing.author_id == current_user.id:
        flash(_("C'est votre annonce : les autres membres vous poseront leurs questions."), "info")
        return redirect(url_for("listings.show", listing_id=listing.id))
    return _start(listing.author, "conversations/ask.html", listing=listing)


@bp.route("/membres/<int:user_id>/ecrire", methods=["GET", "POST"])
@login_required
def write(user_id: int):
    """Write to a member from their profile."""
    member = members.get_member(user_id)
    if member.id == current_user.id:
        return redirect(url_for("conversations.index"))
    return _start(member, "conversations/write.html")


@bp.route("/membres/<int:user_id>/bloquer", methods=["POST"])
@login_required
def block(user_id: int):
    """Block a member: nothing from them reaches me any more."""
    member = members.get_member(user_id)
    if ButtonForm().validate_on_submit() and act(
        lambda: blocks.block(current_user.id, member.id),
        done=_(
            "%(name)s est bloqué·e : ses messages et ses propositions ne vous parviennent plus.",
            name=member.display_name,
        ),
    ):
        return redirect(url_for("members.profile", user_id=member.id))
    abort(400)


@bp.route("/membres/<int:user_id>/debloquer", methods=["POST"])
@login_required
def unblock(user_id: int):
    """Unblock a member."""
    member = members.get_member(user_id)
    if ButtonForm().validate_on_submit() and act(
        lambda: blocks.unblock(current_user.id, member.id),
        done=_("%(name)s n'est plus bloqué·e.", name=member.display_name),
    ):
        return redirect(url_for("members.profile", user_id=member.id))
    abort(400)
