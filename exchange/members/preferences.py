"""How a member wants to be told, topic by topic (`/compte/notifications`)."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms import RadioField, SelectChoice

from exchange.actions import act
from exchange.forms_common import Form
from exchange.members.routes import bp
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
