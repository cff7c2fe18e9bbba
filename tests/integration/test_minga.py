"""A Minga: the pot retributes several members at once after a collective work. One transfer per
member in one transaction, all or nothing; once per request key; logged once with its reason,
count and total; each member told. Every refusal names the row and moves nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from exchange.services.errors import CreditLimitExceeded, Forbidden, InvalidInput
from exchange.services.ledger import gifts, minga, rules, transfers
from models import Account, ModerationAction, Notification, Transfer, User, db
from tests import factories
from tests.threads import race

WORK = "Chantier participatif du 12 avril : la salle commune repeinte"


@pytest.fixture
def net(app):
    spaces = factories.three_spaces()
    people = [factories.member(name) for name in ("Ana Peint", "Ben Ponce", "Cyr Rouleau")]
    for person in people:
        factories.join(person, spaces.ruche)
    donor = factories.member("Dora Donne")
    factories.join(donor, spaces.phare)
    gifts.give(donor.id, minutes=10 * 60, message="Pour les communs", confirmed_large=True)
    return spaces, people


def lines(*pairs) -> list[minga.Line]:
    return [
        minga.Line(member.id, minutes, field=f"rows-{n}")
        for n, (member, minutes) in enumerate(pairs)
    ]


def balances(*people) -> tuple[int, ...]:
    db.session.expire_all()
    return (*(transfers.account_of(p.id).balance for p in people), transfers.pot().balance)


def sum_of_balances() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.sum(Account.balance))) or 0


def logged() -> list[ModerationAction]:
    db.session.expire_all()
    return list(
        db.session.scalars(select(ModerationAction).where(ModerationAction.action == "minga"))
    )


def retributions() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count(Transfer.id)).where(Transfer.kind == "retribution"))


def test_a_minga_pays_each_member_from_the_pot_and_is_logged_once(net):
    spaces, (ana, ben, cyr) = net
    moved = minga.pay(
        spaces.coord_ruche.id,
        lines((ana, 120), (ben, 90), (cyr, 30)),
        reason=WORK,
        request_key="minga-1",
    )

    assert [(t.kind, t.amount, t.reason, t.author_id) for t in moved] == [
        ("retribution", 120, WORK, spaces.coord_ruche.id),
        ("retribution", 90, WORK, spaces.coord_ruche.id),
        ("retribution", 30, WORK, spaces.coord_ruche.id),
    ]
    assert balances(ana, ben, cyr) == (120, 90, 30, 600 - 240)
    (act,) = logged()
    assert (act.actor_id, act.reason, act.space_id) == (
        spaces.coord_ruche.id,
        WORK,
        spaces.ruche.id,
    )
    assert (act.details["count"], act.details["minutes"]) == (3, 240)
    assert act.details["transfers"] == [t.id for t in moved]
    for person in (ana, ben, cyr):
        (told,) = db.session.scalars(
            select(Notification).where(
                Notification.user_id == person.id, Notification.kind == "retribution_received"
            )
        )
        assert told.data["reason"] == WORK
    assert sum_of_balances() == 0 and transfers.verify().ok


def test_one_member_over_the_ceiling_moves_nothing_and_says_who_and_how_much(net):
    spaces, (ana, ben, cyr) = net
    rules.update(
        spaces.admin.id, credit_floor=-20 * 60, credit_ceiling=5 * 60, welcome_grant=0, reason="t"
    )
    gifts.give(ana.id, minutes=4 * 60, message="", to_member_id=ben.id)  # Ben: 4 h of 5
    before = balances(ana, ben, cyr)

    with pytest.raises(CreditLimitExceeded) as refused:
        minga.pay(
            spaces.coord_ruche.id,
            lines((ana, 60), (ben, 90), (cyr, 60)),
            reason=WORK,
            request_key="minga-2",
        )

    assert refused.value.field == "rows-1-minutes"  # beside Ben's row
    assert "Ben Ponce" in str(refused.value.message) and refused.value.possible == 60
    db.session.rollback()
    assert balances(ana, ben, cyr) == before  # Ana's line, checked first, moved nothing either
    assert retributions() == 0 and logged() == []
    assert sum_of_balances() == 0 and transfers.verify().ok


def test_a_minga_the_pot_cannot_afford_moves_nothing(net):
    spaces, (ana, ben, _cyr) = net
    with pytest.raises(CreditLimitExceeded) as refused:
        minga.pay(
            spaces.coord_ruche.id,
            lines((ana, 6 * 60), (ben, 5 * 60)),
            reason=WORK,
            request_key=None,
        )
    assert "10 h" in str(refused.value.message).replace("\u00a0", " ")
    db.session.rollback()
    assert retributions() == 0 and transfers.pot().balance == 600


def test_the_same_minga_sent_twice_pays_once(net):
    spaces, (ana, ben, _cyr) = net
    sent = lines((ana, 60), (ben, 60))
    first = minga.pay(spaces.coord_ruche.id, sent, reason=WORK, request_key="double-clic")
    again = minga.pay(spaces.coord_ruche.id, sent, reason=WORK, request_key="double-clic")
    assert [t.id for t in again] == [t.id for t in first]
    assert balances(ana, ben)[-1] == 600 - 120
    assert retributions() == 2 and len(logged()) == 1
    long_key = "k" * 64  # the form's longest: the transfers' keys still fit their column
    minga.pay(spaces.coord_ruche.id, lines((ana, 30)), reason=WORK, request_key=long_key)
    assert retributions() == 3


@pytest.mark.parametrize(
    ("who", "refusal", "field"),
    [
        ("coord_phare", Forbidden, "rows-0-member"),  # Ana is not of Le Phare
        ("self", Forbidden, "rows-1-member"),
        ("twice", InvalidInput, "rows-1-member"),
        ("zero", InvalidInput, "rows-1-minutes"),
    ],
)
def test_a_refused_row_is_named_and_nothing_moves(net, who, refusal, field):
    spaces, (ana, ben, _cyr) = net
    actor = spaces.coord_phare if who == "coord_phare" else spaces.coord_ruche
    second = {"self": (spaces.coord_ruche, 60), "twice": (ana, 30), "zero": (ben, 0)}.get(
        who, (ben, 60)
    )
    with pytest.raises(refusal) as refused:
        minga.pay(actor.id, lines((ana, 60), second), reason=WORK, request_key="k")
    assert refused.value.field == field
    db.session.rollback()
    assert retributions() == 0 and logged() == []


def test_a_minga_needs_its_reason_and_a_coordinator(net):
    spaces, (ana, _ben, _cyr) = net
    with pytest.raises(InvalidInput) as refused:
        minga.pay(spaces.coord_ruche.id, lines((ana, 60)), reason=" ", request_key=None)
    assert refused.value.field == "reason"
    db.session.rollback()
    with pytest.raises(Forbidden):
        minga.pay(ana.id, lines((ana, 60)), reason=WORK, request_key=None)
    db.session.rollback()
    assert retributions() == 0


def test_the_preview_shows_the_total_and_the_pot_after_and_writes_nothing(net):
    spaces, (ana, ben, _cyr) = net
    shown = minga.preview(spaces.admin.id, lines((ana, 120), (ben, 45)))
    assert [(m.id, minutes) for m, minutes in shown.rows] == [(ana.id, 120), (ben.id, 45)]
    assert (shown.total, shown.pot_balance, shown.pot_after) == (165, 600, 435)
    db.session.rollback()
    assert retributions() == 0 and logged() == []


def test_the_same_minga_sent_twice_at_the_same_instant_pays_once(app, net):
    spaces, (ana, ben, _cyr) = net
    coordinator, sent = spaces.coord_ruche.id, lines((ana, 60), (ben, 30))

    def send():
        return [t.id for t in minga.pay(coordinator, sent, reason=WORK, request_key="jumeaux")]

    results = race(app, send, send)

    assert all(isinstance(r, list) for r in results) and results[0] == results[1], results
    assert retributions() == 2 and len(logged()) == 1
    told = db.session.scalar(
        select(func.count(Notification.id)).where(Notification.kind == "retribution_received")
    )
    assert told == 2  # each member once
    assert sum_of_balances() == 0 and transfers.verify().ok


def test_a_form_sent_again_with_another_list_pays_the_list_it_shows(net):
    """Back in the browser, rows changed, confirmed again with the same form key: what was
    confirmed is paid (never "paid" with nothing moved), and the first list once."""
    spaces, (ana, ben, _cyr) = net
    minga.pay(spaces.coord_ruche.id, lines((ana, 60)), reason=WORK, request_key="retour")
    again = minga.pay(spaces.coord_ruche.id, lines((ben, 120)), reason=WORK, request_key="retour")
    assert [t.amount for t in again] == [120]
    assert balances(ana, ben) == (60, 120, 600 - 180)
    replay = minga.pay(spaces.coord_ruche.id, lines((ben, 120)), reason=WORK, request_key="retour")
    assert [t.id for t in replay] == [t.id for t in again]


def test_an_admins_minga_pays_members_of_a_space_only_and_is_logged_in_each_space(net):
    spaces, (ana, _ben, _cyr) = net
    outsider = factories.member("Olga Horslieu")
    with pytest.raises(Forbidden):
        minga.pay(spaces.admin.id, lines((outsider, 30)), reason=WORK, request_key=None)
    dora = db.session.scalar(select(User).where(User.display_name == "Dora Donne"))
    minga.pay(spaces.admin.id, lines((ana, 30), (dora, 30)), reason=WORK, request_key=None)
    assert sorted(a.space_id for a in logged()) == sorted([spaces.ruche.id, spaces.phare.id])
    assert sum_of_balances() == 0


def test_a_minga_locks_all_its_accounts_lowest_id_first_before_moving_anything(net, monkeypatch):
    """Locked one transfer at a time, a Minga naming a higher account first would hold it
    while a gift between two of its members holds the lower one: a deadlock on PostgreSQL."""
    spaces, (ana, ben, cyr) = net
    asked: list[list[int]] = []
    lock = transfers.lock_accounts

    def recorded(account_ids):
        asked.append(list(account_ids))
        return lock(account_ids)

    monkeypatch.setattr(transfers, "lock_accounts", recorded)
    minga.pay(
        spaces.coord_ruche.id, lines((cyr, 30), (ben, 30), (ana, 30)), reason=WORK, request_key=None
    )
    every = {transfers.pot().id, *(transfers.account_of(p.id).id for p in (ana, ben, cyr))}
    assert set(asked[0]) == every  # all at once, before the first transfer locks its two
