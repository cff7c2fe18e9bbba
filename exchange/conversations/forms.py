from flask_babel import lazy_gettext as _l
from wtforms import SelectMultipleField, TextAreaField, widgets

from exchange.forms_common import Form


class MessageForm(Form):
    """A message; whether it may be empty or sent at all is the service's to say."""

    # No length here: a browser given `maxlength` cuts a pasted text without a word; the
    # service says how long a message may be.
    body = TextAreaField(
        _l("Votre message"),
        description=_l("Mise en forme simple : **gras**, *italique*, listes, liens."),
    )


def _member_id(value) -> int:
    """A checked box's member id; anything else names nobody (the service then asks to
    choose), rather than WTForms' own English words."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1


class CoordinationForm(MessageForm):
    """The coordination writes to one or both parties (the choices are set by the view)."""

    to = SelectMultipleField(
        _l("Écrire à"),
        coerce=_member_id,
        option_widget=widgets.CheckboxInput(),
        widget=widgets.ListWidget(prefix_label=False),
        validate_choice=False,  # the service says who may be written to
    )


class ButtonForm(Form):
    """A button that only needs its CSRF token (block, unblock)."""
