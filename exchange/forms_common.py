"""The base of every form of the app, and helpers shared by the feature forms."""

from __future__ import annotations

from typing import overload
from urllib.parse import urlsplit

from flask import request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.datastructures import FileStorage, MultiDict
from wtforms import Field, FileField, PasswordField, StringField, TextAreaField

from exchange.services.errors import DomainError
from exchange.text import multiline

NOT_A_FILE = _l("Ce champ attend du texte, pas un fichier.")
NOT_TEXT = _l("Ce champ attend du texte.")


def _one_line(field: Field | None) -> bool:
    """Whether a field is a single-line input (`<input type=text>` and its kin)."""
    return isinstance(field, StringField) and not isinstance(field, TextAreaField)


def _clean(field: Field | None, value: str) -> str:
    """What a member typed, as the app stores it: every line break a line feed, no control
    characters; on one line where the field has one (a browser cannot type a line break
    there: only a paste through a script or a crafted request brings one, so a space is
    what the member would have seen). A password is compared as typed, never changed."""
    if isinstance(field, PasswordField):
        return value
    text = multiline(value)
    return text.replace("\n", " ").replace("\t", " ") if _one_line(field) else text


class Form(FlaskForm):
    """Every form of the app derives from this one: what arrives is made plain text before
    any field reads it (see `Meta.wrap_formdata`), and a value that is not text where text
    is expected (a file part, a JSON object) gives that field its own message, not a 500."""

    not_text: list[tuple[Field, str]] | tuple = ()  # (field, message) for each such value

    class Meta(FlaskForm.Meta):
        def wrap_formdata(self, form, formdata):
            try:
                formdata = super().wrap_formdata(form, formdata)
            except (TypeError, ValueError):  # a JSON body that is no object ([1, 2], "a", 5)
                formdata = MultiDict()  # sent no field: each says what it needs
            if formdata is None:
                return None
            fields = {field.name: field for field in form}
            cleaned: MultiDict = MultiDict()
            form.not_text = []
            for key, value in formdata.items(multi=True):
                field = fields.get(key)
                if isinstance(field, FileField):
                    cleaned.add(key, value)  # a real upload (a profile photo) stays a file
                elif isinstance(value, str):
                    cleaned.add(key, _clean(field, value))
                elif isinstance(value, int | float) and not isinstance(value, bool):
                    cleaned.add(key, str(value))  # a number sent as JSON
                elif field is not None:
                    form.not_text.append(
                        (field, NOT_A_FILE if isinstance(value, FileStorage) else NOT_TEXT)
                    )
            return cleaned

    @property
    def not_text_message(self) -> str | None:
        """What to say when a value was not text, for views that answer with a message."""
        return str(self.not_text[0][1]) if self.not_text else None

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for field, message in self.not_text:
            field.errors = [message]  # the one thing to say about this field
        return valid and not self.not_text


def attach_error(form: Form, error: DomainError) -> bool:
    """Put a domain error's message beside its field; False when it belongs to no field."""
    field = getattr(form, error.field, None) if error.field else None
    if field is None:
        return False
    field.errors = [*list(field.errors or []), str(error.message)]
    return True


MAX_INT = 2**31 - 1


def carried_args(**overrides) -> dict:
    """The query string to carry into a link to this page or a sibling (another page, another
    language, the CSV): without what url_for would read as its own (`endpoint`, `_anchor`...)
    or the route's own arguments, then `overrides`."""
    view_args = request.view_args or {}
    args = {
        key: value
        for key, value in request.args.items()
        if key != "endpoint" and not key.startswith("_") and key not in view_args
    }
    return {**args, **overrides}


@overload
def int_arg(name: str, default: int) -> int: ...
@overload
def int_arg(name: str, default: None = None) -> int | None: ...
def int_arg(name: str, default: int | None = None) -> int | None:
    """A positive whole number from the query string, or `default` (never an error)."""
    raw = request.args.get(name, "")
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 10:  # "²" is a digit to Python
        return default
    value = int(raw)
    return value if 0 < value <= MAX_INT else default


def local_path(target: str | None, default: str) -> str:
    """`target` when it is a path of this site, else `default`: never an open redirect to
    somewhere else, never a Location header broken by a line break or a control character."""
    if not target:
        return default
    parts = urlsplit(target)
    if (
        parts.scheme
        or parts.netloc
        or not target.startswith("/")
        or target.startswith(("//", "/\\"))
        or "\\" in target
        or not target.isprintable()
    ):
        return default
    return target
