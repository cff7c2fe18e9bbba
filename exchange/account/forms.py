from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, FieldList, FormField, HiddenField, TextAreaField
from wtforms import Form as BaseForm
from wtforms.validators import DataRequired, Length, Optional

from exchange.forms_common import Form
from exchange.forms_people import MemberField, PickedName
from exchange.forms_time import ConfirmedField, DurationField, RequestKeyField

POT = "pot"  # the common pot, among the members one may give to
MINGA_ROWS = 8  # the rows a Minga's form starts with; "more rows" adds as many again
MINGA_MAX_ROWS = 40  # services.ledger.minga.MAX_LINES


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


class _AnyMember(MemberField):
    """A row's member, which may be left empty with the whole row (no value at all too)."""

    data: str | None

    def pre_validate(self, form):
        if self.data is None:
            self.data = ""
        super().pre_validate(form)


class MingaRow(BaseForm):
    """One member of a Minga and their time; a row left empty is no row."""

    member = _AnyMember(_l("Membre"))
    member_name = PickedName(_l("Membre"), description=_l("Tapez les premières lettres du nom."))
    minutes = DurationField(_l("Temps"), required=False)

    def is_blank(self) -> bool:
        return not (self.member.data or (self.member_name.data or "").strip() or self.minutes.data)


class MingaForm(Form):
    rows = FieldList(FormField(MingaRow), min_entries=MINGA_ROWS, max_entries=MINGA_MAX_ROWS)
    reason = TextAreaField(
        _l("Le travail collectif"),
        validators=[DataRequired(_l("Dites pour quel travail collectif.")), Length(max=1000)],
        description=_l(
            "Par exemple : chantier participatif du 12 avril, peinture de la salle commune. "
            "Chaque membre lira ce motif ; il est consigné au journal de modération."
        ),
    )
    request_key = RequestKeyField()
    previewed = HiddenField(validators=[Optional(), Length(max=2000)])
