"""Shared by the outbox's tests: two members who can give each other time, and the rows."""

from __future__ import annotations

from sqlalchemy import select

from models import OutboxEmail, User, db
from tests import factories


def giver_and_receiver() -> tuple[User, User]:
    """Alice and Bob, both members of La Ruche."""
    space = factories.space("La Ruche")
    alice = factories.member("Alice Martin", "alice@example.org")
    bob = factories.member("Bob Durand", "bob@example.org")
    factories.join(alice, space)
    factories.join(bob, space)
    return alice, bob


def outbox_rows() -> list[OutboxEmail]:
    """Every email of the outbox, as committed, in order."""
    db.session.expire_all()
    return list(db.session.scalars(select(OutboxEmail).order_by(OutboxEmail.id)))
