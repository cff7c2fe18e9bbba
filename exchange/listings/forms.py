from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from exchange.forms_common import Form
from exchange.forms_time import DurationField


class ListingForm(Form):
    """The network's pad standard: title, three lines, details, next steps, hashtags."""

    kind = RadioField(
        _l("Je publie"),
        choices=[
            SelectChoice("offer", _l("une offre : je peux aider sur…")),
            SelectChoice("request", _l("une demande : je cherche…")),
        ],
        validators=[DataRequired(_l("Choisissez : offre ou demande."))],
    )
    title = StringField(
        _l("Titre"),
        validators=[DataRequired(_l("Donnez un titre à votre annonce.")), Length(max=120)],
        description=_l("Ce que vous proposez ou cherchez, en quelques mots."),
    )
    summary = TextAreaField(
        _l("En trois lignes"),
        validators=[DataRequired(_l("Décrivez votre annonce en quelques mots.")), Length(max=400)],
        description=_l(
            "L'essentiel, trois lignes au plus : c'est ce qu'on lit dans les résultats."
        ),
    )
    details = TextAreaField(
        _l("Détails"),
        validators=[Length(max=10000)],
        description=_l("Le contexte, vos attentes, ce que vous savez déjà. Markdown accepté."),
    )
    next_steps = TextAreaField(
        _l("Prochaines étapes"),
        validators=[Length(max=500)],
        description=_l("Comment on s'y prend : un appel, un café au lieu, un premier rendez-vous…"),
    )
    tags = StringField(
        _l("Compétences et mots-clés"),
        validators=[Length(max=500)],
        description=_l("Séparés par des virgules ou des # : #compta, #association"),
    )
    category_id = SelectField(_l("Catégorie"), coerce=str, validators=[Optional()])
    mode = RadioField(
        _l("Comment"),
        choices=[
            SelectChoice("both", _l("à distance ou sur place")),
            SelectChoice("remote", _l("à distance")),
            SelectChoice("on_site", _l("sur place")),
        ],
        default="both",
    )
    space_id = SelectField(
        _l("Lieu"), coerce=str, validators=[DataRequired(_l("Choisissez un lieu."))]
    )
    estimated_hours = DurationField(_l("Temps estimé"), required=False)
    expires_on = DateField(
        _l("Visible jusqu'au"),
        validators=[DataRequired(_l("Indiquez une date valide."))],
        description=_l("Par défaut dans 90 jours ; vous pourrez la prolonger."),
    )


class ActionForm(Form):
    """A button and its CSRF token."""
