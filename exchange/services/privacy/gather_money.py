"""A member's export: the movements of their account and the fees of their exchanges."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import case, or_, select
from sqlalchemy.orm import aliased

from exchange.services.privacy.rows import POT, Row, rows
from models import Account, Entry, Fee, Transfer, User


def transfers(user: User) -> Iterator[Row]:
    """Every movement of the member's account: one row per entry, signed, with the balance
    after it and who was on the other side."""
    other_account, other = aliased(Account), aliased(User)
    mine = select(Account.id).where(Account.user_id == user.id).scalar_subquery()
    other_id = case(
        (Transfer.debit_account_id == mine, Transfer.credit_account_id),
        else_=Transfer.debit_account_id,
    )
    query = (
        select(Entry, Transfer, other_account.kind, other.display_name)
        .join(Transfer, Transfer.id == Entry.transfer_id)
        .join(other_account, other_account.id == other_id)
        .outerjoin(other, other.id == other_account.user_id)
        .where(Entry.account_id == mine)
        .order_by(Entry.id)
    )
    return rows(
        query,
        lambda entry, transfer, kind, name: {
            "transfer_id": transfer.id,
            "kind": transfer.kind,
            "minutes": entry.amount,
            "balance_after": entry.balance_after,
            "other": POT if kind == "pot" else (name or ""),
            "reason": transfer.reason,
            "exchange_id": transfer.exchange_id,
            "created_at": entry.created_at,
        },
    )


def fees(user: User) -> Iterator[Row]:
    query = (
        select(Fee)
        .where(or_(Fee.provider_id == user.id, Fee.receiver_id == user.id))
        .order_by(Fee.id)
    )
    return rows(
        query,
        lambda fee: {
            "exchange_id": fee.exchange_id,
            "my_part": "provider" if fee.provider_id == user.id else "receiver",
            "amount_cents": fee.amount_cents,
            "commons_cents": fee.commons_cents,
            "covers": fee.covers,
            "state": fee.state,
            "created_at": fee.created_at,
            "paid_at": fee.paid_at,
            "refunded_at": fee.refunded_at,
            "settled_at": fee.settled_at,
        },
    )
