"""Helpers shared by the feature forms."""

from __future__ import annotations

from flask import flash, request
from flask_wtf import FlaskForm

from exchange.services.errors import DomainError


def attach_error(form: FlaskForm, error: DomainError) -> bool:
    """Put a domain error's message beside its field; False when it belongs to no field."""
    field = getattr(form, error.field, None) if error.field else None
    if field is None:
        return False
    field.errors = [*list(field.errors or []), str(error.message)]
    return True


def refuse(form: FlaskForm | None, error: DomainError) -> None:
    """A domain refusal on a form page: beside its field when it has one, else as a message.
    Access refusals (403, 404) are no messages: they become the error page."""
    if error.status_code in (403, 404) and not error.field:
        raise error
    if form is None or not attach_error(form, error):
        flash(str(error.message), "error")


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


def int_arg(name: str, default: int | None = None) -> int | None:
    """A positive whole number from the query string, or `default` (never an error)."""
    raw = request.args.get(name, "")
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 10:  # "²" is a digit to Python
        return default
    value = int(raw)
    return value if 0 < value <= MAX_INT else default
