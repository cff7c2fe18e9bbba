from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from exchange.forms_common import Form
from exchange.forms_people import EmailAddress, new_address_field
from exchange.services.community.passwords import MAX_LENGTH, MIN_LENGTH


class SignupForm(Form):
    display_name = StringField(
        _l("Nom affiché"),
        validators=[DataRequired(_l("Indiquez votre nom.")), Length(max=80)],
        description=_l("Votre prénom et nom, ou le nom sous lequel le réseau vous connaît."),
    )
    email = new_address_field(
        _l("Adresse e-mail"), description=_l("Jamais montrée aux autres membres.")
    )
    password = PasswordField(
        _l("Mot de passe"),
        validators=[
            DataRequired(_l("Choisissez un mot de passe.")),
            Length(
                min=MIN_LENGTH,
                max=MAX_LENGTH,
                message=_l("Entre %(min)d et %(max)d caractères.", min=MIN_LENGTH, max=MAX_LENGTH),
            ),
        ],
        description=_l(
            "Au moins %(n)s caractères. Une courte phrase se retient mieux.", n=MIN_LENGTH
        ),
    )


class LoginForm(Form):
    email = EmailField(
        _l("Adresse e-mail"), validators=[DataRequired(_l("Indiquez votre adresse e-mail."))]
    )
    password = PasswordField(
        _l("Mot de passe"), validators=[DataRequired(_l("Indiquez votre mot de passe."))]
    )
    remember = BooleanField(_l("Rester connecté·e sur cet appareil"))


class EmailForm(Form):
    email = EmailField(
        _l("Adresse e-mail"),
        validators=[
            DataRequired(_l("Indiquez votre adresse e-mail.")),
            EmailAddress(demo_too=True),
        ],
    )


class ConfirmForm(Form):
    """Only a CSRF token: confirming is a POST, so that mail scanners fetching the link change nothing."""


class ResetPasswordForm(Form):
    password = PasswordField(
        _l("Nouveau mot de passe"),
        validators=[
            DataRequired(_l("Choisissez un mot de passe.")),
            Length(
                min=MIN_LENGTH,
                max=MAX_LENGTH,
                message=_l("Entre %(min)d et %(max)d caractères.", min=MIN_LENGTH, max=MAX_LENGTH),
            ),
        ],
    )
    confirm = PasswordField(
        _l("Le même, encore une fois"),
        validators=[EqualTo("password", _l("Les deux mots de passe diffèrent."))],
    )


class LogoutForm(Form):
    pass
