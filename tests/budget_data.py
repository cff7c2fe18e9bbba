"""Networks that grow, for the query budget of the main pages (tests/web/test_query_budget.py):
each builder makes its rows through the services (or the ledger, in one transaction) and
`grow(n)` adds what is missing to reach `n` of them, so one test counts a page at two sizes.
"""

from __future__ import annotations

from datetime import timedelta

from exchange.services.exchanges import disputes, lifecycle
from exchange.services.ledger import transfers
from exchange.services.moderation import acts, reports
from exchange.services.reputation import feedback
from models import Exchange, db
from models.base import utcnow
from tests import factories


class Network:
    """Spaces, authors with a listing each (about accounting, so one search finds them all),
    and a space that every author joins, so its page shows them all."""

    def __init__(self):
        self.home = factories.space("La Ruche")
        self.spaces = [self.home]
        self.coordinators = [factories.coordinator(self.home, display_name="Aurèle Ruche")]
        self.listings = []

    def grow(self, n: int) -> None:
        """Up to `n` listings, by as many authors, over one space for every five."""
        while len(self.spaces) < 1 + n // 5:
            self.spaces.append(factories.space())
        while len(self.coordinators) < 1 + n // 20:
            self.coordinators.append(factories.coordinator(self.home))
        for i in range(len(self.listings), n):
            author = factories.member(f"Autrice {i}", city="Lyon", skills=(f"Savoir {i}",))
            factories.join(author, self.home)
            space = self.spaces[i % len(self.spaces)]
            self.listings.append(
                factories.listing(
                    author,
                    space,
                    f"Atelier comptabilité {i}",
                    summary="Bilan, TVA et tableaux de bord.",
                    tags=f"Comptabilité, Fiscalité {i}",
                    kind="offer" if i % 2 else "request",
                )
            )


def confirmed_exchange(provider, receiver, listing):
    ex = lifecycle.propose(receiver.id, listing.id, message="Samedi ?", foreseen_minutes=60)
    lifecycle.accept(provider.id, ex.id)
    lifecycle.log_time(provider.id, ex.id, minutes=60)
    return lifecycle.confirm(receiver.id, ex.id)


class Reputation:
    """Bob's offer, and counterparts who each had it and wrote about him."""

    def __init__(self):
        self.space = factories.space("Le Phare")
        self.bob = factories.member("Bob", skills=("Menuiserie", "Soudure"))
        self.offer = factories.listing(
            self.bob, self.space, "Réparation de vélo", tags="Menuiserie, Soudure"
        )
        self.written = 0

    def grow(self, n: int) -> None:
        for i in range(self.written, n):
            counterpart = factories.member(f"Voix {i}")
            factories.join(counterpart, self.space)
            ex = confirmed_exchange(self.bob, counterpart, self.offer)
            skills = [s.id for s in self.offer.skills][: 1 + i % 2]
            feedback.write(counterpart.id, ex.id, "recommends", f"Merci {i}", skills)
            feedback.write(self.bob.id, ex.id, "recommends", f"Ravi {i}")
        self.written = n


class MyExchanges:
    """Alice's exchanges with as many providers: proposed, accepted, confirmed in turn."""

    def __init__(self, auth):
        self.space = factories.space("La Ruche")
        self.alice = factories.member("Alice")
        factories.join(self.alice, self.space)
        auth.login(self.alice)
        self.made = 0

    def grow(self, n: int) -> None:
        for i in range(self.made, n):
            provider = factories.member(f"Prestataire {i}")
            offer = factories.listing(provider, self.space, f"Coup de main {i}")
            if i % 3 == 2:
                ex = confirmed_exchange(provider, self.alice, offer)
                if i % 2:
                    feedback.write(provider.id, ex.id, "recommends", "Merci")
                continue
            ex = lifecycle.propose(self.alice.id, offer.id, message="Quand ?", foreseen_minutes=30)
            if i % 3 == 1:
                lifecycle.accept(provider.id, ex.id)
        self.made = n


def declined_exchanges(member, others, n: int, *, first: int = 0) -> list[Exchange]:
    """`n` exchanges of `member` with `others` in turn, declined (nothing moved), "Terminé
    <i>" from `first`, one an hour from thirty days ago, committed; oldest first."""
    start = utcnow() - timedelta(days=30)
    rows = []
    for i in range(first, first + n):
        other = others[i % len(others)]
        provider, receiver = (member, other) if i % 2 else (other, member)
        at = start + timedelta(hours=i)
        rows.append(
            Exchange(
                provider_id=provider.id, receiver_id=receiver.id, initiator_id=receiver.id,
                state="declined", title=f"Terminé {i}", created_at=at, updated_at=at,
                closed_at=at,
            )
        )  # fmt: skip
    db.session.add_all(rows)
    db.session.commit()
    return rows


class ExchangeHistory(MyExchanges):
    """Alice's exchanges (see MyExchanges: a few open, some confirmed), and a long history of
    exchanges she declined or was declined."""

    def __init__(self, auth):
        super().__init__(auth)
        self.others = [factories.member("Bob"), factories.member("Carol")]
        self.declined = []

    def grow(self, n: int) -> None:
        super().grow(min(n, 10))
        more = n - len(self.declined)
        if more > 0:
            self.declined += declined_exchanges(
                self.alice, self.others, more, first=len(self.declined)
            )


class Movements:
    """Alice's gifts to and from counterparts (one for every eight movements), and theirs to
    the common pot, written by the ledger in one transaction."""

    def __init__(self, auth):
        self.space = factories.space("La Ruche")
        self.alice = factories.member("Alice")
        factories.join(self.alice, self.space)
        self.counterparts = []
        self.moved = 0
        auth.login(self.alice)

    def grow(self, n: int) -> None:
        while len(self.counterparts) < 1 + n // 8:
            other = factories.member(f"Contrepartie {len(self.counterparts)}")
            factories.join(other, self.space)
            self.counterparts.append(other)
        mine = transfers.account_of(self.alice.id).id
        pot = transfers.pot().id
        for i in range(self.moved, n):
            other = self.counterparts[i % len(self.counterparts)]
            theirs = transfers.account_of(other.id).id
            giver, there, back = (self.alice, mine, theirs) if i % 2 else (other, theirs, mine)
            transfers.transfer(
                kind="gift",
                from_account=there,
                to_account=back,
                minutes=10 + i % 5,
                reason=f"Merci {i}",
                author_id=giver.id,
            )
            if i % 4 == 0:
                transfers.transfer(
                    kind="gift",
                    from_account=theirs,
                    to_account=pot,
                    minutes=5,
                    reason=f"Pour les communs {i}",
                    author_id=other.id,
                )
        db.session.commit()
        self.moved = n


class Queue:
    """A coordinator's queue, with as many of each of its `cases`: a listing reported, a
    listing to approve, a listing hidden (the log), a request to join, a dispute, a member
    suspended."""

    def __init__(self, auth, cases):
        self.cases = cases
        self.space = factories.space("La Ruche", premoderation=True, join_policy="approval")
        self.coordinator = factories.coordinator(self.space, display_name="Aurèle Ruche")
        self.provider = factories.member("Bob")
        factories.join(self.provider, self.space)
        self.offer = factories.listing(self.provider, self.space, "Réparation de vélo")
        acts.approve_listing(self.coordinator.id, self.offer.id)
        auth.login(self.coordinator)
        self.made = 0

    def grow(self, n: int) -> None:
        for i in range(self.made, n):
            for case in self.cases:
                getattr(self, case)(i)
        self.made = n

    def _listing(self, i: int, approved: bool = True):
        author = factories.member(f"Membre {i}")
        factories.join(author, self.space)
        listing = factories.listing(author, self.space, f"Annonce {i}")
        if approved:
            acts.approve_listing(self.coordinator.id, listing.id)
        return author, listing

    def reported(self, i: int) -> None:
        _author, listing = self._listing(i)
        reporter = factories.member(f"Vigie {i}")
        reports.report_listing(reporter.id, listing.id, "spam")

    def reported_member(self, i: int) -> None:
        member = factories.member(f"Signalée {i}")
        factories.join(member, self.space)
        reports.report_member(self.provider.id, member.id, "spam")

    def reported_feedback(self, i: int) -> None:
        """Bob reports what a counterpart of his wrote about him (both wrote: it shows)."""
        member = factories.member(f"Plume {i}")
        factories.join(member, self.space)
        ex = confirmed_exchange(self.provider, member, self.offer)
        about_bob = feedback.write(member.id, ex.id, "not_recommended", f"Retour signalé {i}")
        feedback.write(self.provider.id, ex.id, "recommends", f"Merci {i}")
        reports.report_feedback(self.provider.id, about_bob.id, "misleading")

    def to_approve(self, i: int) -> None:
        self._listing(i, approved=False)

    def hidden(self, i: int) -> None:
        _author, listing = self._listing(i)
        acts.hide_listing(self.coordinator.id, listing.id, f"Hors sujet {i}")

    def to_join(self, i: int) -> None:
        factories.join(factories.member(f"Candidate {i}"), self.space, status="pending")

    def disputed(self, i: int) -> None:
        member = factories.member(f"Receveuse {i}")
        factories.join(member, self.space)
        ex = lifecycle.propose(member.id, self.offer.id, message="?", foreseen_minutes=60)
        lifecycle.accept(self.provider.id, ex.id)
        lifecycle.log_time(self.provider.id, ex.id, minutes=60)
        disputes.dispute(member.id, ex.id, "Une demi-heure seulement.")

    def suspended(self, i: int) -> None:
        member = factories.member(f"Suspendue {i}")
        factories.join(member, self.space)
        acts.suspend_member(self.coordinator.id, member.id, f"Abus {i}")
