"""Form fields shared by the exchange and account forms: a duration typed the French way,
and a one-time key that makes a replayed form move time once."""

from __future__ import annotations

import secrets

from flask import g
from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, StringField, ValidationError
from wtforms.validators import Length, Optional

from exchange.durations import NotWholeMinutes, format_minutes, parse_duration

# Said where the person types (templates/macros/forms.html draws it above the input, with the
# unit beside it and what was understood below).
DURATION_HINT = _l("En heures et minutes : 1 h 30, 2 h, 45 min. Un nombre seul compte des heures.")


def not_whole_message(typed: str, nearest: str) -> str:
    """ "1,33 h n'est pas un nombre entier de minutes : 1 h 20 ?" """
    return _l(
        "%(typed)s h n'est pas un nombre entier de minutes : %(nearest)s ?",
        typed=typed,
        nearest=nearest,
    )


class DurationField(StringField):
    """Text such as "1 h 30" in, whole minutes out (`minutes`; None when left empty).

    `positive`: 0 is refused (a gift, a log); the network's limits take 0.
    """

    def __init__(
        self, label=None, validators=None, *, required: bool = True, positive: bool = True, **kwargs
    ):
        self.required_message = _l("Indiquez une durée, par exemple 1 h 30.") if required else None
        self.positive = positive
        self.unit_hint = DURATION_HINT
        super().__init__(label, [*(validators or []), Length(max=20)], **kwargs)
        self.minutes: int | None = None

    def pre_validate(self, form):
        self.minutes = None
        try:
            minutes = parse_duration(self.data)
        except NotWholeMinutes as e:
            raise ValidationError(not_whole_message(e.typed, format_minutes(e.nearest))) from e
        except ValueError as e:
            raise ValidationError(self.invalid_message) from e
        if minutes is None and self.required_message:
            raise ValidationError(self.required_message)
        if minutes == 0 and self.positive:
            raise ValidationError(self.zero_message)
        self.minutes = minutes

    @property
    def required_minutes(self) -> int:
        """`minutes` of a required field whose form has validated: never None then."""
        if self.minutes is None:
            raise ValueError(f"{self.name} is read before its form validated")
        return self.minutes

    @property
    def invalid_message(self) -> str:
        return _l("Écrivez une durée comme 1 h 30, 2 h, 45 min ou 1,5.")

    @property
    def zero_message(self) -> str:
        return _l("Une durée de 0 ne fait rien bouger : indiquez au moins 1 min.")

    def live_attrs(self) -> dict[str, str]:
        """The input's attributes for static/js/durations.js: what it says while the person
        types, in their language. Drawing them asks base.html to load the script, so only the
        pages with a duration field carry it."""
        g.duration_script = True
        attrs = {
            "data-duration": "",
            "data-duration-invalid": str(self.invalid_message),
            "data-duration-fraction": str(not_whole_message("{typed}", "{nearest}")),
        }
        if self.positive:
            attrs["data-duration-zero"] = str(self.zero_message)
        return attrs

    def understood(self) -> str:
        """ "= 1 h 30" once the server has read the field (a form shown again), else ""."""
        return "" if self.minutes is None else f"= {format_minutes(self.minutes)}"


class ConfirmedField(HiddenField):
    """What a person confirmed on the confirmation step of a large amount: the minutes and
    whom the sentence named ("30 h à Bob"). The amount moves when both are still those of
    the form: another amount, or another recipient chosen on the confirmation page, asks
    again (`confirms(minutes, *about)`)."""

    def __init__(self, label=None, **kwargs):
        super().__init__(label, [Optional(), Length(max=80)], **kwargs)

    def confirms(self, minutes: int | None, *about) -> bool:
        return minutes is not None and (self.data or "").strip() == _token(minutes, about)


def _token(minutes: int, about: tuple) -> str:
    return ":".join([str(minutes), *(str(part) for part in about)])


def ask_to_confirm(form, minutes: int, *about) -> int:
    """The form shown again to confirm a large amount: its confirm button carries `minutes`
    and whom they go to or come from (`about`, as `confirms` is asked)."""
    form.confirmed_large.data = _token(minutes, about)
    return minutes


class RequestKeyField(HiddenField):
    """A random key written into the page; the same form sent twice carries the same key."""

    def __init__(self, label=None, **kwargs):
        super().__init__(label, [Optional(), Length(max=64)], **kwargs)

    def process_data(self, value):
        self.data = value or secrets.token_urlsafe(24)
