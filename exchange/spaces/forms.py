from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
    RadioField,
    SelectChoice,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length

from exchange.forms_common import Form
from exchange.forms_people import EmailAddress


class SpaceForm(Form):
    name = StringField(
        _l("Nom"), validators=[DataRequired(_l("Donnez un nom au lieu.")), Length(max=120)]
    )
    city = StringField(
        _l("Ville"), validators=[DataRequired(_l("Indiquez la ville du lieu.")), Length(max=80)]
    )
    description = TextAreaField(
        _l("Présentation"),
        validators=[Length(max=5000)],
        description=_l("Ce qu'on y fait, qui s'y retrouve, comment y venir. Markdown accepté."),
    )
    join_policy = RadioField(
        _l("Qui peut rejoindre ce lieu ?"),
        choices=[
            SelectChoice("open", _l("Ouvert : chacun rejoint librement")),
            SelectChoice(
                "approval", _l("Sur validation : les coordinateurs acceptent chaque demande")
            ),
        ],
        default="open",
    )
    premoderation = BooleanField(
        _l("Relire les annonces avant publication"),
        description=_l(
            "Les nouvelles annonces du lieu, et celles modifiées en profondeur, attendent "
            "l'accord d'un coordinateur avant d'être visibles."
        ),
    )


class JoinForm(Form):
    message = TextAreaField(
        _l("Un mot pour les coordinateurs (facultatif)"), validators=[Length(max=500)]
    )


class DecisionForm(Form):
    decision = RadioField(
        _l("Décision"),
        choices=[SelectChoice("approve", _l("Accepter")), SelectChoice("decline", _l("Décliner"))],
        validators=[DataRequired(_l("Choisissez une décision."))],
    )
    reason = TextAreaField(
        _l("Message à la personne"),
        validators=[Length(max=500)],
        description=_l("Obligatoire pour décliner : la personne le recevra."),
    )


class AppointForm(Form):
    email = EmailField(
        _l("Adresse e-mail du membre"),
        validators=[
            DataRequired(_l("Indiquez l'adresse e-mail du membre.")),
            EmailAddress(demo_too=True),
        ],
    )


class ReasonForm(Form):
    reason = TextAreaField(
        _l("Raison"),
        validators=[DataRequired(_l("Indiquez la raison.")), Length(max=500)],
    )


class SimpleForm(Form):
    """A button and its CSRF token."""
