"""An exchange's own conversation, on the exchange's page: its two parties write there."""

from __future__ import annotations

from flask import abort, redirect, url_for
from flask_login import current_user, login_required

from exchange.actions import act
from exchange.conversations.forms import MessageForm
from exchange.exchanges.routes import bp, exchange_page
from exchange.services.conversations import exchange_threads
from exchange.services.exchanges import queries as exchange_queries


@bp.route("/echanges/<int:exchange_id>/messages", methods=["POST"])
@login_required
def write_in_thread(exchange_id: int):
    """Write in an exchange's own thread."""
    exchange = exchange_queries.get_for(current_user, exchange_id)
    if current_user.id not in exchange.parties():
        abort(404)  # its coordinators may see the exchange, never its thread
    form = MessageForm()
    if form.validate_on_submit() and act(
        lambda: exchange_threads.on_exchange(current_user.id, exchange_id, form.body.data),
        form=form,
    ):
        return redirect(url_for("exchanges.show", exchange_id=exchange_id) + "#fil")
    return exchange_page(exchange_id, 400, thread_form=form)
