from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from exchange.forms_common import Form
from exchange.forms_people import MemberField, PickedName
from exchange.forms_time import ConfirmedField, DurationField, RequestKeyField

POT = "pot"  # the common pot, among the members one may give to


class PeriodForm(Form):
    """The statement's period (read from the query string, no CSRF: it changes nothing)."""

    class Meta:
        csrf = False

    du = DateField(_l("Du"), validators=[Optional()])
    au = DateField(_l("Au"), validators=[Optional()])


class GiftForm(Form):
    recipient = MemberField(
        _l("À qui"), validators=[DataRequired(_l("Choisissez à qui donner."))], extra=(POT,)
    )
    recipient_name = PickedName(
        _l("À qui"), description=_l("Tapez les premières lettres de son nom.")
    )
    to_pot = BooleanField(_l("À la caisse commune plutôt qu'à un membre"))
    minutes = DurationField(_l("Durée"))
    message = TextAreaField(
        _l("Message (facultatif)"),
        validators=[Length(max=1000)],
        description=_l(
            "Un mot de remerciement, ou ce que ce temps doit permettre. Donné à la caisse "
            "commune, il est lu par tous les membres."
        ),
    )
    request_key = RequestKeyField()
    confirmed_large = ConfirmedField()


class RetributeForm(Form):
    recipient = MemberField(_l("Membre"), validators=[DataRequired(_l("Choisissez un membre."))])
    recipient_name = PickedName(
        _l("Membre"), description=_l("Tapez les premières lettres de son nom.")
    )
    minutes = DurationField(_l("Durée"))
    reason = TextAreaField(
        _l("Contribution aux communs"),
        validators=[DataRequired(_l("Dites pour quelle contribution.")), Length(max=1000)],
        description=_l("La personne lira ce motif ; il est consigné au journal de modération."),
    )
    request_key = RequestKeyField()
