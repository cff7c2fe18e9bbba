from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, RadioField, SelectChoice, TextAreaField
from wtforms.validators import DataRequired, Length

from exchange.forms_common import Form

REASON_LABELS = {
    "spam": _l("Spam ou publicité"),
    "inappropriate": _l("Contenu inapproprié"),
    "misleading": _l("Trompeur ou faux"),
    "harassment": _l("Harcèlement ou propos blessants"),
    "other": _l("Autre"),
}


def reason_label(reason: str) -> str:
    return str(REASON_LABELS.get(reason, reason))


class ReportForm(Form):
    reason = RadioField(
        _l("Pourquoi signalez-vous ceci ?"),
        choices=[SelectChoice(key, label) for key, label in REASON_LABELS.items()],
        validators=[DataRequired(_l("Choisissez une raison dans la liste."))],
    )
    text = TextAreaField(
        _l("Ce qui ne va pas"),
        validators=[Length(max=2000)],
        description=_l(
            "Quelques mots pour aider la coordination (obligatoire pour « Autre »). "
            "La personne concernée ne saura pas qui a signalé."
        ),
    )


class ActForm(Form):
    """A coordinator's act: its reason (the service says when one is required) and where to
    go back to. No validator here, so that who may act is always checked first, by the service."""

    reason = TextAreaField(_l("Raison"))
    next = HiddenField()
