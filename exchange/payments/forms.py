from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from exchange.forms_common import Form


class RefundForm(Form):
    reason = TextAreaField(
        _l("Raison du remboursement"),
        validators=[
            DataRequired(_l("Dites pourquoi : les deux personnes recevront ce message.")),
            Length(max=1000),
        ],
        description=_l("Les deux personnes recevront ce message ; il est consigné au journal."),
    )
