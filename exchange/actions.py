"""One way for a view to act: one service call, and its refusal turned into words.

A route validates its form, then hands `act` the one service call that does the work. A
refusal (`DomainError`) rolls the session back, so nothing of the refused step stays in what
the page is drawn from; a refusal of access (403, 404, naming no field) becomes the error page;
one that names a field of the form goes beside that field; any other is flashed. On success the
route gets the service's value back, and `done` is flashed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import flash

from exchange.forms_common import Form, attach_error
from exchange.services.errors import DomainError
from models import db

ACCESS = (403, 404)


@dataclass(frozen=True)
class Outcome:
    """What the call gave (`value`), or why it was refused (`error`); true when it was done."""

    value: Any = None
    error: DomainError | None = None

    def __bool__(self) -> bool:
        return self.error is None


def act(
    call: Callable[[], Any],
    *,
    form: Form | None = None,
    done: str | Callable[[Any], str] | None = None,
    done_as: str = "success",
    category: str | Callable[[DomainError], str] = "error",
    refusal: str | None = None,
    access: tuple[int, ...] = ACCESS,
    answered: tuple[type[DomainError], ...] = (),
    fields: dict[str, str] | None = None,
) -> Outcome:
    """Run one use case for a view.

    `done` is flashed on success, as `done_as` (a callable gets the service's value). A refusal
    is flashed with `category` (or `category(error)`), in its own words or `refusal`'s, unless
    it goes beside a field of `form`; one whose
    status is in `access` and that names no field is raised again (the error page). Errors of
    the `answered` types are left for the view to answer (a large amount to confirm in words).
    `fields` names the form's field for a service's field where the two differ.
    """
    try:
        value = call()
    except DomainError as error:
        db.session.rollback()
        if fields and error.field in fields:
            error.field = fields[error.field]
        if isinstance(error, answered):
            return Outcome(error=error)
        if error.status_code in access and not error.field:
            raise
        if form is None or not attach_error(form, error):
            message = refusal or str(error.message)
            flash(message, category(error) if callable(category) else category)
        return Outcome(error=error)
    if done is not None:
        flash(done(value) if callable(done) else done, done_as)
    return Outcome(value=value)


def info_when_done_elsewhere(error: DomainError) -> str:
    """A conflict (already done by someone else, or no longer possible) is news, not a fault."""
    return "info" if error.status_code == 409 else "error"
