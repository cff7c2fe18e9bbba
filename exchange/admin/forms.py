from flask_babel import lazy_gettext as _l
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from exchange.forms_common import Form
from exchange.forms_time import DurationField


class CategoryForm(Form):
    name_fr = StringField(
        _l("Nom en français"),
        validators=[DataRequired(_l("Donnez le nom en français.")), Length(max=80)],
    )
    name_en = StringField(
        _l("Nom en anglais"),
        validators=[DataRequired(_l("Donnez le nom en anglais.")), Length(max=80)],
    )


class RulesForm(Form):
    """The network's credit limits and welcome grant, typed as durations."""

    overdraft = DurationField(
        _l("Découvert autorisé"),
        positive=False,
        description=_l("Jusqu'où un solde peut descendre : 20 h veut dire un plancher de −20 h."),
    )
    ceiling = DurationField(
        _l("Plafond"),
        positive=False,
        description=_l("Le solde le plus haut qu'un compte peut atteindre."),
    )
    welcome_grant = DurationField(
        _l("Crédit de bienvenue"),
        required=False,
        positive=False,
        description=_l(
            "Versé par la caisse commune à l'arrivée dans un premier lieu ; 0 ou vide : aucun."
        ),
    )
    large_amount = DurationField(
        _l("Confirmer les dons et les temps déclarés au-delà de"),
        required=False,
        description=_l(
            "Au-delà, la durée est redite en toutes lettres et ne bouge qu'une fois confirmée "
            "(un « 30 » tapé pour 30 minutes devient 30 heures) : 5 h par défaut."
        ),
    )
    fee_cap = StringField(
        _l("Plafond des frais par échange (€)"),
        description=_l(
            "Le montant le plus élevé qu'un échange peut porter en frais : 50 par défaut."
        ),
    )
    commons = StringField(
        _l("Contribution aux communs (%)"),
        description=_l(
            "La part de chaque frais versée aux communs du réseau : 0 par défaut. Stripe "
            "prélève ses propres frais sur le compte du réseau : une part qui les couvre "
            "évite que le réseau les paie."
        ),
    )
    reason = TextAreaField(_l("Pourquoi ce changement (facultatif)"), [Length(max=1000)])


class CorrectionForm(Form):
    reason = TextAreaField(
        _l("Raison de la correction"),
        validators=[DataRequired(_l("Dites pourquoi.")), Length(max=1000)],
    )


class EraseMemberForm(Form):
    reason = TextAreaField(
        _l("La demande à laquelle vous répondez"),
        validators=[DataRequired(_l("Dites à quelle demande vous répondez.")), Length(max=1000)],
        description=_l("Par exemple : courriel du 3 décembre, appel de la personne. Consigné."),
    )


class RetentionForm(Form):
    """How long messages are kept: a number of days, or empty to keep them."""

    days = StringField(
        _l("Effacer les messages après (jours)"),
        validators=[Length(max=10)],
        description=_l(
            "Vide : les messages sont gardés tant que leurs membres le sont. Sinon, chaque "
            "message est effacé ce nombre de jours après son envoi (sauf s'il est signalé)."
        ),
    )
