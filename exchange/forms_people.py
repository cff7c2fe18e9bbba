"""Fields that name a person: a member picked by typing their name, an email address.

A picker is two fields: the member's number (`MemberField`, a hidden input that the page's
script fills when a suggestion is chosen, or a link's ?membre= did) and the name as typed
(`PickedName`). Without a script, the name alone is sent: `pick_by_name` finds who it is, or
gives the page the few it could be."""

from __future__ import annotations

from flask import request
from flask_babel import lazy_gettext as _l
from wtforms import EmailField, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length, ValidationError

from exchange.config import DEMO_DOMAIN
from exchange.forms_common import MAX_INT, int_arg
from exchange.services.community import members
from exchange.text import fold

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


class PickedName(StringField):
    """The name typed in a picker (the suggestions' search, or the whole choice without a
    script); at most 80 characters, as names are."""

    def __init__(self, label=None, **kwargs):
        super().__init__(label, validators=[Length(max=80)], **kwargs)


def pick_by_name(member_field, name_field, find) -> list:
    """Without a script the number is empty and the typed name is all there is: one member
    answers to it (or exactly to it) → chosen; else the members it could be (none, or a few)
    for the page to offer. `find(text)` gives the ones the page may offer."""
    typed = name_field.data if isinstance(name_field.data, str) else ""
    if member_field.data or not typed.strip():
        return []
    found = find(typed)
    exact = [m for m in found if fold(m.display_name) == fold(typed)]
    matches = exact or found
    if len(matches) == 1:
        member_field.data, name_field.data = str(matches[0].id), matches[0].display_name
        return []
    return matches


def explain_pick(member_field, name_field, candidates: list) -> None:
    """After validation: why nobody was chosen, beside the name the member typed."""
    typed = name_field.data if isinstance(name_field.data, str) else ""
    if member_field.data or not typed.strip():
        return
    member_field.errors = []
    if candidates:
        name_field.errors = [str(_l("Plusieurs membres répondent à ce nom : choisissez."))]
    else:
        name_field.errors = [
            str(_l("Aucun membre du réseau ne répond à « %(name)s ».", name=typed.strip()))
        ]


def prepare_picker(member_field, name_field, *, find, one, wanted: int | None) -> list:
    """Ready a picker before validation. GET: a link's ?membre= fills it (if the page may
    offer that member). POST: a number without its name gets the name (the page says who);
    a name without its number is looked up (`pick_by_name`). Returns the members a typed name
    could be, for the page to offer."""
    if request.method == "GET":
        chosen = one(wanted) if wanted else None
        if chosen is not None:
            member_field.data, name_field.data = str(chosen.id), chosen.display_name
        return []
    number = member_field.data if isinstance(member_field.data, str) else ""
    if number.isascii() and number.isdigit() and len(number) <= 10 and not name_field.data:
        chosen = one(int(number)) if 0 < int(number) <= MAX_INT else None
        name_field.data = chosen.display_name if chosen is not None else ""
    return pick_by_name(member_field, name_field, find)


def partner_picker(member_field, name_field, actor_id: int, space_ids=None) -> list:
    """`prepare_picker` for the members one may give to, log time with or (in `space_ids`)
    retribute, the page's ?membre= read."""
    return prepare_picker(
        member_field,
        name_field,
        find=lambda typed: members.partner_suggestions(actor_id, typed, space_ids),
        one=lambda wanted: members.partner(actor_id, wanted, space_ids),
        wanted=int_arg("membre"),
    )
