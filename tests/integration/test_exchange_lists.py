"""Lists of exchanges read in SQL what they show: the moderation queue's disputes are those
`can_resolve` allows, chosen by the query; a member's history is paged, newest first, keyset
on (last change, id), every closed exchange once."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, select

from exchange.services.exchanges import disputes, lifecycle, stewards
from exchange.services.exchanges import queries as exchange_queries
from models import Exchange, Membership, db
from tests import factories
from tests.budget_data import declined_exchanges


def _dispute(provider, receiver, home) -> Exchange:
    offer = factories.listing(provider, home, f"Offre {provider.display_name}")
    ex = lifecycle.propose(receiver.id, offer.id, message="Samedi ?", foreseen_minutes=60)
    lifecycle.accept(provider.id, ex.id)
    lifecycle.log_time(provider.id, ex.id, minutes=60)
    return disputes.dispute(receiver.id, ex.id, "Une demi-heure seulement.")


def test_the_queue_holds_the_disputes_each_viewer_may_resolve_and_only_those(app):
    a, b, c = factories.space("A"), factories.space("B"), factories.space("C")
    coord_a = factories.coordinator(a, display_name="Coord A")
    coord_b = factories.coordinator(b, display_name="Coord B")
    coord_ab = factories.coordinator(a, display_name="Coord AB")
    factories.join(coord_ab, b, role="coordinator")
    coord_c = factories.coordinator(c, display_name="Coord C")
    admin = factories.member("Admin", admin=True)
    in_a, in_b, in_ab = factories.member("De A"), factories.member("De B"), factories.member("AB")
    nowhere, waiting = factories.member("Nulle part"), factories.member("En attente")
    for member in (in_a, in_b, in_ab, nowhere, waiting, admin):
        factories.join(member, c)  # to exchange at all, for now
    pairs = [
        (in_a, nowhere), (in_b, nowhere), (in_a, in_b), (nowhere, waiting),
        (coord_a, in_b), (in_ab, nowhere), (admin, in_a), (in_b, coord_ab),
    ]  # fmt: skip
    made = [_dispute(provider, receiver, c) for provider, receiver in pairs]
    # The memberships the queue is read with.
    parties = [m.id for m in (in_a, in_b, in_ab, nowhere, waiting, admin)]
    db.session.execute(delete(Membership).where(Membership.user_id.in_(parties)))
    for member, space, status in [
        (in_a, a, "active"), (in_b, b, "active"), (in_ab, a, "active"), (in_ab, b, "active"),
        (waiting, a, "pending"), (admin, a, "active"),
    ]:  # fmt: skip
        factories.join(member, space, status=status)
    queue = list(db.session.scalars(select(Exchange).order_by(Exchange.updated_at)))
    assert [e.id for e in queue] == [e.id for e in made]
    for viewer in (coord_a, coord_b, coord_ab, coord_c, admin, in_a):
        wanted = [e.id for e in queue if stewards.can_resolve(viewer, e)]
        assert [e.id for e in exchange_queries.disputed_for(viewer)] == wanted, viewer
    assert len(exchange_queries.disputed_for(admin)) == len(pairs) - 1  # not its own
    assert [e.id for e in exchange_queries.disputed_for(coord_a)] == [
        made[0].id, made[2].id, made[5].id, made[6].id, made[7].id
    ]  # fmt: skip


@pytest.fixture
def alice(app):
    return factories.member("Alice")


def _titles(mine) -> list[str]:
    return [e.title for e in mine.closed]


def test_my_history_is_paged_newest_first_every_exchange_once_both_ways(alice):
    others = [factories.member("Bob"), factories.member("Carol")]
    declined_exchanges(alice, others, 75)
    declined_exchanges(others[0], others[1:], 5)  # not Alice's
    pages = [exchange_queries.for_member(alice.id, per_page=30)]
    while pages[-1].older:
        pages.append(exchange_queries.for_member(alice.id, before=pages[-1].older, per_page=30))
    assert [len(p.closed) for p in pages] == [30, 30, 15]
    assert [t for p in pages for t in _titles(p)] == [f"Terminé {i}" for i in range(74, -1, -1)]
    assert pages[0].newer is None and pages[-1].older is None
    back = [pages[-1]]
    while back[-1].newer:
        back.append(exchange_queries.for_member(alice.id, after=back[-1].newer, per_page=30))
    assert [_titles(p) for p in back[1:]] == [_titles(p) for p in reversed(pages[:-1])]


def test_exchanges_changed_at_the_same_instant_are_paged_by_their_id(alice):
    rows = declined_exchanges(alice, [factories.member("Bob")], 9)
    same = rows[0].updated_at
    for row in rows:
        row.updated_at = same
    db.session.commit()
    first = exchange_queries.for_member(alice.id, per_page=4)
    second = exchange_queries.for_member(alice.id, before=first.older, per_page=4)
    third = exchange_queries.for_member(alice.id, before=second.older, per_page=4)
    seen = _titles(first) + _titles(second) + _titles(third)
    assert seen == [f"Terminé {i}" for i in range(8, -1, -1)] and third.older is None


def test_a_cursor_that_is_not_one_of_my_closed_exchanges_gives_the_first_page(alice):
    bob = factories.member("Bob")
    factories.join(alice, factories.space("La Ruche"))
    rows = declined_exchanges(alice, [bob], 40)
    theirs = declined_exchanges(bob, [factories.member("Carol")], 1)[0]
    offer = factories.listing(bob, factories.space("Lieu"), "Réparation de vélo")
    still_open = lifecycle.propose(alice.id, offer.id, message="?", foreseen_minutes=30)
    first = _titles(exchange_queries.for_member(alice.id))
    assert first == [f"Terminé {i}" for i in range(39, 9, -1)]
    for cursor in ({"before": theirs.id}, {"after": still_open.id}, {"before": 10**9}):
        mine = exchange_queries.for_member(alice.id, **cursor)
        assert _titles(mine) == first, cursor
        assert [e.id for e in mine.waiting_on_others] == [still_open.id]
    for cursor in ({"after": rows[-1].id}, {"before": rows[0].id}):  # nothing beyond them
        mine = exchange_queries.for_member(alice.id, **cursor)
        assert _titles(mine) == first and mine.newer is None, cursor
