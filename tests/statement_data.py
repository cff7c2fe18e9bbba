"""Long statements for the statement tests: a member's movements written by the ledger in
date order (as an import would), with other members' movements between them, so that an
account's entry ids are not a run of consecutive numbers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert, select, update

from exchange.services.ledger import transfers
from models import Account, Entry, Transfer, db
from tests import factories

START = datetime(2025, 1, 1, 9, 0, tzinfo=UTC)


@dataclass
class History:
    """`member`'s movements with `counterpart`, received and given in turn (10 to 14 minutes,
    "Mouvement <n>"), one every `step` from START, and one between two others after every
    third of them."""

    member: object
    counterpart: object
    step: timedelta = timedelta(hours=7)
    written: int = 0
    others: tuple = field(default_factory=tuple)

    @classmethod
    def of(cls, member, **kw) -> History:
        counterpart = factories.member("Contrepartie")
        others = (factories.member("Tierce"), factories.member("Quart"))
        return cls(member, counterpart, others=others, **kw)

    def at(self, n: int) -> datetime:
        return START + self.step * n

    def _planned(self, n: int):
        """(giver, taker, minutes, reason, instant) of the movements up to `n`, in order."""
        mine = transfers.account_of(self.member.id).id
        theirs = transfers.account_of(self.counterpart.id).id
        a, b = (transfers.account_of(u.id).id for u in self.others)
        for i in range(self.written, n):
            giver, taker = (theirs, mine) if i % 2 == 0 else (mine, theirs)
            yield giver, taker, 10 + i % 5, f"Mouvement {i}", self.at(i)
            if i % 3 == 2:
                there, back = (a, b) if i % 2 else (b, a)
                yield there, back, 5, f"Ailleurs {i}", self.at(i)

    def grow(self, n: int, *, bulk: bool = False) -> None:
        """Up to `n` movements of the member, in one transaction: through the ledger, or
        (`bulk`, for thousands) written at once with the running balances the ledger would
        have written."""
        planned = list(self._planned(n))
        if bulk:
            _bulk(planned)
        else:
            for giver, taker, minutes, reason, at in planned:
                transfers.transfer(
                    kind="gift", from_account=giver, to_account=taker, minutes=minutes,
                    reason=reason, author_id=None, at=at,
                )  # fmt: skip
        db.session.commit()
        self.written = max(self.written, n)

    def entries(self) -> list[Entry]:
        """The member's entries, oldest first, as the database holds them."""
        account = transfers.account_of(self.member.id)
        return list(
            db.session.scalars(
                db.select(Entry).where(Entry.account_id == account.id).order_by(Entry.id)
            )
        )


def gifts_to_the_pot(member, n: int, reason: str) -> None:
    """`n` gifts of a minute from `member` to the common pot ("<reason> <i>"), committed."""
    mine, pot = transfers.account_of(member.id).id, transfers.pot().id
    for i in range(n):
        transfers.transfer(
            kind="gift", from_account=mine, to_account=pot, minutes=1,
            reason=f"{reason} {i}", author_id=member.id,
        )  # fmt: skip
    db.session.commit()


def _bulk(planned) -> None:
    """The transfers and entries of `planned`, in two statements, and the accounts' cached
    balances: what `transfers.transfer` writes one by one (`flask ledger verify` agrees)."""
    ids = {giver for giver, *_ in planned} | {taker for _g, taker, *_ in planned}
    balances = {
        a.id: a.balance for a in db.session.scalars(select(Account).where(Account.id.in_(ids)))
    }
    transfer_ids = db.session.scalars(
        insert(Transfer).returning(Transfer.id, sort_by_parameter_order=True),
        [
            {"kind": "gift", "amount": minutes, "debit_account_id": giver,
             "credit_account_id": taker, "reason": reason, "created_at": at}
            for giver, taker, minutes, reason, at in planned
        ],
    ).all()  # fmt: skip
    entries = []
    for transfer_id, (giver, taker, minutes, _reason, at) in zip(
        transfer_ids, planned, strict=True
    ):
        for account_id, amount in ((giver, -minutes), (taker, minutes)):
            balances[account_id] += amount
            entries.append(
                {"transfer_id": transfer_id, "account_id": account_id, "amount": amount,
                 "balance_after": balances[account_id], "created_at": at}
            )  # fmt: skip
    db.session.execute(insert(Entry), entries)
    for account_id, balance in balances.items():
        db.session.execute(update(Account).where(Account.id == account_id).values(balance=balance))
