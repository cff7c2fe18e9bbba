"""Fields that name a person: a member picked from a list, an email address."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, SelectField
from wtforms.validators import DataRequired, Email, Length, ValidationError

from exchange.config import DEMO_DOMAIN
from exchange.forms_common import MAX_INT

INVALID_EMAIL = _l("Cette adresse e-mail n'est pas valide.")


class MemberField(SelectField):
    """A member picked from the list the page offers.

    The list is a help, not the rule: who may receive a gift, a log or a retribution is the
    service's to say, with the product's own sentence ("On ne se donne pas du temps à
    soi-même.") where WTForms would answer "N'est pas un choix valide". The field only checks
    the shape of what came: blank, one of `extra` (the common pot), or a member's number.
    """

    def __init__(self, label=None, validators=None, *, extra=(), message=None, **kwargs):
        super().__init__(label, validators, coerce=str, validate_choice=False, **kwargs)
        self.extra = frozenset(extra)
        self.message = message or _l("Choisissez un membre du réseau.")

    def pre_validate(self, form):
        value = self.data if isinstance(self.data, str) else None
        if value is None:
            raise ValidationError(self.message)
        if value == "" or value in self.extra:
            return
        if not (value.isascii() and value.isdigit() and len(value) <= 10):
            raise ValidationError(self.message)
        if not 0 < int(value) <= MAX_INT:
            raise ValidationError(self.message)


class EmailAddress:
    """An address mail can reach; with `demo_too`, the demo network's addresses as well.

    email-validator refuses special-use domains (`email_validator.SPECIAL_USE_DOMAIN_NAMES`:
    .test, .local, .invalid...), so the demo's members, who log in as …@archipel.test, could
    not ask for a reset link or a new confirmation link. `demo_too` is for the forms that only
    ever reach an account that already exists (reset, confirmation again, naming a
    coordinator): on a network without the demo no account has such an address, and nothing
    is sent, as for any unknown address. Sign-up stays strict everywhere, production or not:
    a new account needs a mailbox its confirmation link can reach. This is decided by domain,
    not by ARCHIPEL_ENV, because a public demo runs in production mode too.
    """

    def __init__(self, *, demo_too: bool = False, message=INVALID_EMAIL):
        self.strict = Email(message, check_deliverability=False)
        self.demo = (
            Email(message, check_deliverability=False, test_environment=True) if demo_too else None
        )

    def __call__(self, form, field):
        data = field.data if isinstance(field.data, str) else ""
        domain = data.rpartition("@")[2].strip().lower()
        if self.demo is not None and domain == DEMO_DOMAIN:
            return self.demo(form, field)
        return self.strict(form, field)


def new_address_field(label, **kwargs) -> EmailField:
    """The field of an address an account will use (sign-up, a change of address): required,
    well formed, at most 254 characters; deliverability is the confirmation link's to prove."""
    return EmailField(
        label,
        validators=[
            DataRequired(_l("Indiquez votre adresse e-mail.")),
            Email(_l("Cette adresse e-mail n'est pas valide."), check_deliverability=False),
            Length(max=254),
        ],
        **kwargs,
    )
