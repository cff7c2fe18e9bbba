"""Form fields shared by the exchange and account forms: a duration typed the French way,
and a one-time key that makes a replayed form move time once."""

from __future__ import annotations

import secrets

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, StringField, ValidationError
from wtforms.validators import Length, Optional

from exchange.durations import parse_duration

DURATION_HINT = _l("Par exemple : 1 h 30, 2 h, 45 min ou 1,5")


class DurationField(StringField):
    """Text such as "1 h 30" in, whole minutes out (`minutes`; None when left empty)."""

    def __init__(self, label=None, validators=None, *, required: bool = True, **kwargs):
        kwargs.setdefault("description", DURATION_HINT)
        self.required_message = _l("Indiquez une durée, par exemple 1 h 30.") if required else None
        super().__init__(label, [*(validators or []), Length(max=20)], **kwargs)
        self.minutes: int | None = None

    def pre_validate(self, form):
        try:
            self.minutes = parse_duration(self.data)
        except ValueError as e:
            raise ValidationError(_l("Écrivez une durée comme 1 h 30, 2 h, 45 min ou 1,5.")) from e
        if self.minutes is None and self.required_message:
            raise ValidationError(self.required_message)


class RequestKeyField(HiddenField):
    """A random key written into the page; the same form sent twice carries the same key."""

    def __init__(self, label=None, **kwargs):
        super().__init__(label, [Optional(), Length(max=64)], **kwargs)

    def process_data(self, value):
        self.data = value or secrets.token_urlsafe(24)
