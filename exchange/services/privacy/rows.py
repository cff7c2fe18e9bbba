"""The rows of a member's export: flat, with plain values (text, whole numbers, ISO dates)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime

from models import db

Row = dict[str, object]
POT = "caisse commune"  # the other side of a gift to or a retribution from the common pot


def plain(value: object) -> object:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def rows(statement, shape: Callable[..., Row]) -> Iterator[Row]:
    for found in db.session.execute(statement.execution_options(yield_per=500)):
        yield {k: plain(v) for k, v in shape(*found).items()}
