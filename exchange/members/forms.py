from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import PasswordField, RadioField, SelectChoice, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from exchange.auth.forms import ResetPasswordForm
from exchange.forms_common import Form
from exchange.forms_people import new_address_field


class ProfileForm(Form):
    display_name = StringField(
        _l("Nom affiché"), validators=[DataRequired(_l("Indiquez votre nom.")), Length(max=80)]
    )
    bio = TextAreaField(
        _l("Présentation"),
        validators=[Length(max=5000)],
        description=_l("Quelques lignes sur vous et ce qui vous anime. Markdown accepté."),
    )
    skills = StringField(
        _l("Compétences"),
        validators=[Length(max=1000)],
        description=_l("Séparées par des virgules : comptabilité, traduction, menuiserie…"),
    )
    city = StringField(_l("Ville"), validators=[Length(max=80)])
    languages = StringField(
        _l("Langues parlées"),
        validators=[Length(max=120)],
        description=_l("Par exemple : français, anglais, breton"),
    )
    contact = TextAreaField(
        _l("Comment vous joindre"),
        validators=[Length(max=300)],
        description=_l(
            "Visible des membres connectés seulement : téléphone, messagerie, horaires de présence…"
        ),
    )
    locale = RadioField(
        _l("Langue de l'interface et des e-mails"),
        choices=[SelectChoice("fr", "Français"), SelectChoice("en", "English")],
        default="fr",
    )


class PasswordChangeForm(ResetPasswordForm):
    """The current password, then the new one twice, as on the emailed link's page."""

    current_password = PasswordField(
        _l("Mot de passe actuel"),
        validators=[DataRequired(_l("Indiquez votre mot de passe actuel."))],
    )


class EmailChangeForm(Form):
    """The new address, and the current password (a session left open is not enough)."""

    email = new_address_field(_l("Nouvelle adresse e-mail"))
    current_password = PasswordField(
        _l("Mot de passe actuel"),
        validators=[DataRequired(_l("Indiquez votre mot de passe actuel."))],
    )


class PhotoForm(Form):
    """A picture file; what it holds is checked by exchange/images.py, not here."""

    photo = FileField(
        _l("Choisir une image"),
        validators=[FileRequired(_l("Choisissez une image sur votre appareil."))],
        description=_l("JPEG, PNG ou WebP, 5 Mo au plus. Elle sera recadrée en carré."),
    )


class LeaveForm(Form):
    """Leaving asks for the password: a session left open on a shared computer is not enough."""

    current_password = PasswordField(
        _l("Votre mot de passe"),
        validators=[DataRequired(_l("Indiquez votre mot de passe pour confirmer."))],
    )


class LanguageForm(Form):
    locale = RadioField(
        _l("Langue de l'interface et des e-mails"),
        choices=[SelectChoice("fr", "Français"), SelectChoice("en", "English")],
        validate_choice=False,  # the service says what is refused, in its own words
    )
