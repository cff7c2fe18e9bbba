from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    RadioField,
    SelectChoice,
    StringField,
    TextAreaField,
    ValidationError,
)
from wtforms.validators import DataRequired, Length, Optional

from exchange.forms_common import Form
from exchange.forms_people import MemberField, PickedName
from exchange.forms_time import ConfirmedField, DurationField
from exchange.services.money.amounts import parse_euros


class EurosField(StringField):
    """An amount typed the French way ("12,50", "12 €") in, whole cents out (`cents`; None
    when left empty)."""

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, [*(validators or []), Length(max=20)], **kwargs)
        self.cents: int | None = None

    def pre_validate(self, form):
        self.cents = None
        if not (self.data or "").strip():
            return
        self.cents = parse_euros(self.data)
        if self.cents is None:
            raise ValidationError(_l("Écrivez un montant en euros, par exemple 12 ou 12,50."))


class FeeFields:
    """The fee a provider may attach while accepting or logging the time."""

    fee_amount = EurosField(
        _l("Montant, en euros"),
        description=_l("Matériel, déplacement, salle : payée en ligne ou réglée directement."),
    )
    fee_covers = StringField(
        _l("Ce qu'elle couvre"),
        validators=[Length(max=200)],
        description=_l("Par exemple : impression des supports, trajet en train."),
    )


class ProposeForm(Form):
    message = TextAreaField(
        _l("Votre message"),
        validators=[DataRequired(_l("Écrivez quelques mots.")), Length(max=2000)],
        description=_l("Ce que vous proposez, vos disponibilités, comment vous joindre."),
    )
    minutes = DurationField(_l("Temps prévu"), required=False)


class MessageForm(Form):
    """Decline or cancel, with an optional word for the other side."""

    message = TextAreaField(_l("Un mot pour l'autre personne (facultatif)"), [Length(max=2000)])


class AcceptForm(FeeFields, MessageForm):
    """Accept, with a word and, for the provider, a fee."""


class LogTimeForm(FeeFields, Form):
    minutes = DurationField(_l("Temps réellement donné"))
    confirmed_large = ConfirmedField()
    performed_on = DateField(
        _l("Donné le"),
        validators=[Optional()],
        description=_l("Le jour où le temps a été donné (aujourd'hui si vide)."),
    )
    note = TextAreaField(_l("Note (facultatif)"), [Length(max=2000)])


class DisputeForm(Form):
    reason = TextAreaField(
        _l("Ce qui ne va pas"),
        validators=[DataRequired(_l("Expliquez ce qui ne va pas.")), Length(max=2000)],
        description=_l("La coordination et l'autre personne liront ce message."),
    )


class ResolveForm(Form):
    outcome = RadioField(
        _l("Décision"),
        choices=[
            SelectChoice("confirm", _l("Confirmer l'échange avec la durée retenue")),
            SelectChoice("cancel", _l("Annuler l'échange : rien ne bouge")),
        ],
        validators=[DataRequired(_l("Choisissez : confirmer ou annuler."))],
    )
    minutes = DurationField(
        _l("Durée retenue"),
        required=False,
        description=_l(
            "Remplie avec la durée déclarée : corrigez-la s'il le faut. Laissée vide, c'est la "
            "durée déclarée qui est retenue."
        ),
    )
    reason = TextAreaField(
        _l("Raison"),
        validators=[DataRequired(_l("Dites pourquoi.")), Length(max=1000)],
        description=_l("Les deux personnes recevront ce message ; il est consigné au journal."),
    )


class DirectLogForm(FeeFields, Form):
    direction = RadioField(
        _l("Sens"),
        choices=[
            SelectChoice("gave", _l("J'ai aidé cette personne")),
            SelectChoice("received", _l("Cette personne m'a aidé·e")),
        ],
        default="gave",
        validators=[DataRequired(_l("Choisissez le sens de l'échange."))],
    )
    counterpart = MemberField(_l("Avec"), validators=[DataRequired(_l("Choisissez un membre."))])
    counterpart_name = PickedName(
        _l("Avec"), description=_l("Tapez les premières lettres de son nom.")
    )
    title = StringField(
        _l("Ce qui a été fait"),
        validators=[DataRequired(_l("Dites en quelques mots ce qui a été fait.")), Length(max=120)],
        description=_l("Par exemple : relecture d'un devis, aide au déménagement."),
    )
    minutes = DurationField(_l("Durée"))
    confirmed_large = ConfirmedField()
    performed_on = DateField(
        _l("Donné le"),
        validators=[Optional()],
        description=_l("Le jour où le temps a été donné (aujourd'hui si vide)."),
    )
    message = TextAreaField(_l("Message (facultatif)"), [Length(max=2000)])
