"""Helpers shared by the feature forms."""

from __future__ import annotations

from flask_wtf import FlaskForm

from exchange.services.errors import DomainError


def attach_error(form: FlaskForm, error: DomainError) -> bool:
    """Put a domain error's message beside its field; False when it belongs to no field."""
    field = getattr(form, error.field, None) if error.field else None
    if field is None:
        return False
    field.errors = [*list(field.errors or []), str(error.message)]
    return True
