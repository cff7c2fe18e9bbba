from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, RadioField, SelectChoice, TextAreaField
from wtforms.validators import DataRequired, Length

from exchange.account.forms import GiftForm
from exchange.exchanges.forms import DirectLogForm
from exchange.forms_common import Form
from exchange.forms_people import MemberField, PickedName

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


class ForMember:
    """The member a coordinator acts for, and what that member asked for (required)."""

    member = MemberField(
        _l("Pour qui"),
        validators=[DataRequired(_l("Choisissez le membre qui vous l'a demandé."))],
    )
    member_name = PickedName(
        _l("Pour qui"),
        description=_l("Le membre de vos lieux qui vous a demandé d'agir pour lui ou elle."),
    )
    reason = TextAreaField(
        _l("Ce que le membre vous a demandé, et quand"),
        validators=[
            DataRequired(_l("Dites ce que le membre vous a demandé, et quand.")),
            Length(max=1000),
        ],
        description=_l(
            "Consigné au journal de modération. Le membre en est prévenu et peut contester "
            "dans les 14 jours."
        ),
    )


class ActGiftForm(ForMember, GiftForm):
    """A gift of the member's time, to a member or to the pot."""


class ActLogForm(ForMember, DirectLogForm):
    """Time the member gave or received, logged for them; the other side confirms it."""

    direction = RadioField(
        _l("Sens"),
        choices=[
            SelectChoice("gave", _l("Le membre a aidé cette personne")),
            SelectChoice("received", _l("Cette personne a aidé le membre")),
        ],
        default="gave",
        validators=[DataRequired(_l("Choisissez le sens de l'échange."))],
    )


class ContestForm(Form):
    """A member contests an act done for them. No validator: whose act it is comes first."""

    text = TextAreaField(_l("Ce qui ne va pas"), validators=[Length(max=1000)])
