"""Double clicks and two coordinators at once: one outcome, no error page, one log entry.

Each thread has its own app context and database session, as two gunicorn workers would. On
PostgreSQL the requests really overlap; SQLite serialises writers, so there the same tests
check the outcome of the second request arriving just after the first.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from exchange.services.community import accounts, memberships
from exchange.services.errors import Conflict
from models import Membership, ModerationAction, Notification, User, db
from tests import factories
from tests.threads import race


@pytest.fixture
def pending(app):
    space = factories.space("La Coursive", join_policy="approval")
    first = factories.coordinator(space, display_name="Première")
    second = factories.coordinator(space, display_name="Seconde")
    newcomer = factories.member("Nina")
    membership = factories.join(newcomer, space, status="pending")
    return first.id, second.id, membership.id, newcomer.id


@pytest.mark.parametrize("repeat", range(3))
def test_two_coordinators_deciding_at_once_one_decision_wins(app, pending, repeat):
    first, second, membership_id, newcomer_id = pending
    results = race(
        app,
        lambda: memberships.decide_join(first, membership_id, approve=True).status,
        lambda: (
            memberships.decide_join(second, membership_id, approve=False, reason="Complet").status
        ),
    )
    winners = [r for r in results if isinstance(r, str)]
    losers = [r for r in results if isinstance(r, Conflict)]
    assert len(winners) == 1 and len(losers) == 1, results
    db.session.expire_all()
    assert db.session.get(Membership, membership_id).status == winners[0]
    assert db.session.scalar(select(func.count(ModerationAction.id))) == 1
    told = db.session.scalar(
        select(func.count(Notification.id)).where(Notification.user_id == newcomer_id)
    )
    assert told == 1


def test_double_click_on_join_makes_one_membership(app):
    space = factories.space("Le Hangar", join_policy="open")
    member = factories.member("Double Clic")
    member_id, space_id = member.id, space.id  # the threads must not touch this test's session
    results = race(app, *[lambda: memberships.request_join(member_id, space_id).status] * 2)
    assert all(r == "active" or isinstance(r, Conflict) for r in results), results
    assert db.session.scalar(select(func.count(Membership.id))) == 1


def test_double_click_on_sign_up_makes_one_account(app, outbox):
    def sign_up():
        return accounts.register(
            display_name="Inès", email="ines@example.org", password="lune-rousse-velo"
        )

    results = race(app, sign_up, sign_up)
    assert not any(isinstance(r, Exception) for r in results), results
    assert db.session.scalar(select(func.count(User.id))) == 1
