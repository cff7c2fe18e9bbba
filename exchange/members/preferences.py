"""How a member wants to be told, topic by topic (`/compte/notifications`)."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms import RadioField, SelectChoice

from exchange.actions import act
from exchange.extensions import csrf
from exchange.forms_common import Form
from exchange.members.routes import bp
from exchange.services.errors import InvalidToken
from exchange.services.notify import preferences


class ChannelsForm(Form):
    """One choice per topic; what each topic allows is the service's to say."""


for _topic in preferences.TOPICS:
    setattr(
        ChannelsForm,
        _topic.key,
        RadioField(
            _topic.label,
            description=_topic.hint,
            choices=[SelectChoice(c, preferences.CHANNEL_LABELS[c]) for c in _topic.channels],
            validate_choice=False,
        ),
    )


@bp.route("/compte/notifications", methods=["GET", "POST"])
@login_required
def notification_settings():
    """Choose, for each kind of event, whether to be told in the site, by email, or not."""
    form = ChannelsForm()
    if request.method == "GET":
        for key, channel in preferences.chosen(current_user).items():
            form[key].data = channel
    elif form.validate_on_submit() and act(
        lambda: preferences.save(
            current_user.id, {t.key: form[t.key].data for t in preferences.TOPICS}
        ),
        form=form,
        done=_("Vos préférences de notification sont enregistrées."),
    ):
        return redirect(url_for("members.notification_settings"))
    return render_template(
        "members/notifications.html", form=form, topics=preferences.TOPICS
    ), 400 if request.method == "POST" else 200


@bp.route("/desabonnement/<token>", methods=["GET"])
def unsubscribe_page(token: str):
    """An email's unsubscribe link opened in a browser: what it will stop, and a button."""
    try:
        _member, topic = preferences.read_unsubscribe(token)
    except InvalidToken:
        return _invalid()
    return render_template("members/unsubscribe.html", token=token, topic=topic, done=False)


# No CSRF token: a mail client's one-click unsubscribe (RFC 8058) posts here without one. The
# link's signed token names the member and the topic, and all it can do is stop some emails.
@bp.route("/desabonnement/<token>", methods=["POST"])
@csrf.exempt
def unsubscribe(token: str):
    """One click: that topic's emails stop, logged in or not (the news stays in the site)."""
    try:
        _member, topic = preferences.unsubscribe(token)
    except InvalidToken:
        return _invalid()
    return render_template("members/unsubscribe.html", token=token, topic=topic, done=True)


def _invalid():
    return render_template("members/unsubscribe.html", invalid=True), 404
