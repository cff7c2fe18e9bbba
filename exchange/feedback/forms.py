from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectChoice, SelectMultipleField, TextAreaField
from wtforms.validators import DataRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget

from exchange.forms_common import Form

RECOMMENDATION_LABELS = {
    "recommends": _l("Je recommande"),
    "neutral": _l("Neutre"),
    "not_recommended": _l("Je ne recommande pas"),
}
# How the recommendation reads on a profile, about someone else.
RECOMMENDATION_PUBLIC = {
    "recommends": _l("recommande"),
    "neutral": _l("reste neutre"),
    "not_recommended": _l("ne recommande pas"),
}


def recommendation_label(value: str) -> str:
    return str(RECOMMENDATION_PUBLIC.get(value, value))


class FeedbackForm(Form):
    recommendation = RadioField(
        _l("Recommanderiez-vous cette personne à d'autres membres ?"),
        choices=[SelectChoice(key, label) for key, label in RECOMMENDATION_LABELS.items()],
        validators=[DataRequired(_l("Choisissez l'une des trois réponses."))],
    )
    comment = TextAreaField(
        _l("Votre commentaire (facultatif)"),
        validators=[Length(max=2000)],
        description=_l(
            "Ce qui s'est passé, ce qui a compté pour vous. Il sera public, sous votre nom."
        ),
    )
    skills = SelectMultipleField(
        _l("Compétences que vous avez vues à l'œuvre"),
        coerce=int,
        choices=[],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        validate_choice=False,  # the service says which skills this exchange allows
    )


class ReplyForm(Form):
    text = TextAreaField(
        _l("Votre réponse"),
        validators=[DataRequired(_l("Écrivez votre réponse.")), Length(max=1000)],
        description=_l("Publique, sous le retour. Une seule réponse, qui ne se modifie plus."),
    )
