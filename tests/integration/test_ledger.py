"""The ledger through its services: double entry, credit limits, replays, corrections, the
network's rules, what the database itself refuses, `flask ledger verify` and the welcome grant.

Amounts are whole minutes; `\u00a0` is the no-break space of "1 h 30".
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError, IntegrityError

from exchange.services.community import memberships
from exchange.services.errors import (
    Conflict,
    CreditLimitExceeded,
    Forbidden,
    InvalidInput,
    NotFound,
)
from exchange.services.exchanges import direct, lifecycle
from exchange.services.ledger import gifts, rules
from exchange.services.ledger import limits as ledger_limits
from exchange.services.ledger import transfers as ledger_transfers
from models import Account, Entry, ModerationAction, NetworkSettings, Notification, Transfer, db
from models.base import utcnow
from tests import factories

ON_POSTGRES = bool(os.environ.get("TEST_DATABASE_URL"))
NB = "\u00a0"


@dataclass
class Net:
    ruche: object
    admin: object
    coord: object
    ana: object
    ben: object
    cyr: object


@pytest.fixture
def net(app) -> Net:
    ruche = factories.space("La Ruche")
    admin = factories.member("Adèle Admin", admin=True)
    coord = factories.coordinator(ruche, display_name="Corentin Coord")
    people = []
    for name in ("Ana", "Ben", "Cyr"):
        person = factories.member(name)
        factories.join(person, ruche)
        people.append(person)
    return Net(ruche, admin, coord, *people)


def balance(user=None) -> int:
    """The cached balance as committed (the pot's when `user` is None)."""
    db.session.expire_all()
    return (
        ledger_transfers.pot() if user is None else ledger_transfers.account_of(user.id)
    ).balance


def account_id(user) -> int:
    return ledger_transfers.account_of(user.id).id


def count(model) -> int:
    return db.session.scalar(select(func.count(model.id)))


def set_rules(net: Net, floor: int, ceiling: int, grant: int = 0) -> None:
    rules.update(
        net.admin.id, credit_floor=floor, credit_ceiling=ceiling, welcome_grant=grant, reason="test"
    )


def give(giver, minutes: int, to=None, **kw) -> Transfer:
    kw.setdefault("confirmed_large", True)  # the ledger's rules, past the confirmation step
    return gifts.give(
        giver.id,
        minutes=minutes,
        message=kw.pop("message", "Merci"),
        to_member_id=to and to.id,
        **kw,
    )


def refused(call) -> CreditLimitExceeded:
    with pytest.raises(CreditLimitExceeded) as caught:
        call()
    db.session.rollback()
    return caught.value


def notified(user, kind: str) -> int:
    return db.session.scalar(
        select(func.count(Notification.id)).where(
            Notification.user_id == user.id, Notification.kind == kind
        )
    )


# ---------------------------------------------------------------------------- double entry


def test_a_gift_is_two_entries_summing_to_zero_with_their_running_balance(net):
    moved = give(net.ana, 90, net.ben, message="Pour le déménagement")
    back = give(net.ben, 30, net.ana)
    db.session.expire_all()

    first = db.session.get(Transfer, moved.id)
    assert (first.kind, first.amount, first.reason, first.author_id) == (
        "gift",
        90,
        "Pour le déménagement",
        net.ana.id,
    )
    assert (first.debit_account_id, first.credit_account_id) == (
        account_id(net.ana),
        account_id(net.ben),
    )
    assert [(e.account_id, e.amount, e.balance_after) for e in first.entries] == [
        (account_id(net.ana), -90, -90),
        (account_id(net.ben), 90, 90),
    ]
    second = db.session.get(Transfer, back.id)
    assert [(e.amount, e.balance_after) for e in second.entries] == [(-30, 60), (30, -60)]
    for t in (first, second):
        assert len(t.entries) == 2 and sum(e.amount for e in t.entries) == 0
    assert (balance(net.ana), balance(net.ben)) == (-60, 60)
    assert db.session.scalar(select(func.sum(Account.balance))) == 0
    assert ledger_transfers.verify().ok


def test_a_gift_to_the_pot_and_a_retribution_from_it(net):
    give(net.ana, 120)
    assert (balance(net.ana), balance()) == (-120, 120)
    paid = gifts.retribute(net.coord.id, net.ben.id, minutes=45, reason="Inventaire de la Ruche")
    assert (paid.kind, paid.debit_account_id) == ("retribution", ledger_transfers.pot().id)
    assert (balance(net.ben), balance()) == (45, 75)
    assert notified(net.ben, "retribution_received") == 1
    act = db.session.scalar(
        select(ModerationAction).where(ModerationAction.action == "pot_retribution")
    )
    assert (act.actor_id, act.subject_user_id, act.reason, act.target_id) == (
        net.coord.id,
        net.ben.id,
        "Inventaire de la Ruche",
        paid.id,
    )
    assert ledger_transfers.verify().ok


def test_a_retribution_needs_a_reason_and_a_coordinator_of_the_member(net):
    give(net.ana, 120)
    with pytest.raises(InvalidInput) as caught:
        gifts.retribute(net.coord.id, net.ben.id, minutes=30, reason="  ")
    assert caught.value.field == "reason"
    with pytest.raises(Forbidden):
        gifts.retribute(net.cyr.id, net.ben.id, minutes=30, reason="Entre amis")
    db.session.rollback()
    assert (balance(net.ben), balance()) == (0, 120)


@pytest.mark.parametrize("minutes", [0, -30, 1.5, "60", True, ledger_limits.MAX_MINUTES + 1])
def test_amounts_are_positive_whole_minutes(net, minutes):
    with pytest.raises(InvalidInput):
        give(net.ana, minutes, net.ben)
    db.session.rollback()
    assert count(Transfer) == 0


def test_nobody_gives_time_to_themselves(net):
    with pytest.raises(InvalidInput):
        give(net.ana, 30, net.ana)
    with pytest.raises(InvalidInput):
        ledger_transfers.transfer(
            kind="gift",
            from_account=account_id(net.ana),
            to_account=account_id(net.ana),
            minutes=30,
            reason="",
            author_id=net.ana.id,
        )
    db.session.rollback()
    assert count(Transfer) == 0


def test_a_member_outside_every_space_cannot_give(net):
    loner = factories.member("Solitaire")
    with pytest.raises(Forbidden):
        give(loner, 30, net.ben)
    db.session.rollback()
    assert count(Transfer) == 0


# ---------------------------------------------------------------------------- limits


def test_a_gift_past_the_floor_is_refused_saying_how_much_is_possible(net):
    set_rules(net, floor=-60, ceiling=120)
    error = refused(lambda: give(net.ana, 90, net.ben))
    assert error.possible == 60 and error.field == "minutes"
    message = str(error.message)
    assert f"Votre solde passerait à −1{NB}h{NB}30, sous le plancher du réseau (−1{NB}h)" in message
    assert f"Au plus 1{NB}h peuvent partir de votre compte" in message
    assert "rendez service d'abord" in message  # what to do
    # Nothing moved, nobody was told.
    assert (count(Transfer), count(Entry)) == (0, 0)
    assert (balance(net.ana), balance(net.ben)) == (0, 0)
    assert notified(net.ben, "gift_received") == 0
    # Exactly down to the floor is allowed, and then not a minute more.
    give(net.ana, 60, net.ben)
    assert balance(net.ana) == -60
    assert refused(lambda: give(net.ana, 15, net.cyr)).possible == 0
    assert ledger_transfers.verify().ok


def test_a_gift_past_the_recipients_ceiling_is_refused_naming_them(net):
    set_rules(net, floor=-300, ceiling=120)
    give(net.ana, 100, net.ben)
    error = refused(lambda: give(net.cyr, 60, net.ben))
    assert error.possible == 20
    message = str(error.message)
    assert f"Le solde de Ben passerait à 2{NB}h{NB}40, au-delà du plafond du réseau (2{NB}h)" in (
        message
    )
    assert f"Son compte peut recevoir au plus 20{NB}min" in message
    assert (balance(net.cyr), balance(net.ben)) == (0, 100)
    give(net.cyr, 20, net.ben)
    assert balance(net.ben) == 120


def test_the_refusal_speaks_to_the_author_about_their_own_ceiling(net):
    set_rules(net, floor=-300, ceiling=60)
    error = refused(
        lambda: ledger_transfers.transfer(
            kind="gift",
            from_account=account_id(net.ana),
            to_account=account_id(net.ben),
            minutes=90,
            reason="",
            author_id=net.ben.id,
        )
    )
    assert error.possible == 60
    assert f"Votre solde passerait à 1{NB}h{NB}30, au-delà du plafond du réseau (1{NB}h)" in str(
        error.message
    )


def test_the_refusal_names_the_member_whose_floor_would_be_passed(net):
    set_rules(net, floor=-30, ceiling=120)
    error = refused(
        lambda: ledger_transfers.transfer(
            kind="gift",
            from_account=account_id(net.ana),
            to_account=account_id(net.ben),
            minutes=45,
            reason="",
            author_id=net.ben.id,
        )
    )
    assert error.possible == 30
    assert f"Le solde de Ana passerait à −45{NB}min, sous le plancher du réseau (−30{NB}min)" in (
        str(error.message)
    )


def test_the_pot_never_goes_below_zero(net):
    error = refused(lambda: gifts.retribute(net.coord.id, net.ben.id, minutes=30, reason="Ménage"))
    assert error.possible == 0
    assert f"La caisse commune n'a que 0{NB}min" in str(error.message)
    give(net.ana, 30)
    error = refused(lambda: gifts.retribute(net.coord.id, net.ben.id, minutes=45, reason="Ménage"))
    assert error.possible == 30
    assert f"elle peut verser au plus 30{NB}min" in str(error.message)
    assert (balance(), balance(net.ben), count(ModerationAction)) == (30, 0, 0)
    gifts.retribute(net.coord.id, net.ben.id, minutes=30, reason="Ménage")
    assert (balance(), balance(net.ben)) == (0, 30)


def test_the_pot_has_no_ceiling(net):
    set_rules(net, floor=-600, ceiling=60)
    give(net.ana, 300)
    give(net.ben, 300)
    assert balance() == 600


def test_a_balance_past_a_moved_limit_may_only_move_back_towards_it(net):
    set_rules(net, floor=-120, ceiling=120)
    give(net.ana, 100, net.ben)
    set_rules(net, floor=-60, ceiling=60)  # Ana at −1 h 40 and Ben at +1 h 40 are now past them
    assert (balance(net.ana), balance(net.ben)) == (-100, 100)

    assert refused(lambda: give(net.ana, 15, net.cyr)).possible == 0  # further below the floor
    assert refused(lambda: give(net.cyr, 15, net.ben)).possible == 0  # further above the ceiling
    give(net.ben, 20, net.ana)  # both move back towards their limit, still past it: allowed
    assert (balance(net.ana), balance(net.ben)) == (-80, 80)
    assert ledger_transfers.verify().ok


def test_possible_move_is_the_rule_in_one_place():
    limits = ledger_limits.Limits(floor=-60, ceiling=60)
    assert ledger_limits.possible_move(0, -60, limits) is None
    assert ledger_limits.possible_move(0, -61, limits) == 60
    assert ledger_limits.possible_move(-100, -1, limits) == 0
    assert ledger_limits.possible_move(-100, 30, limits) is None
    assert ledger_limits.possible_move(50, 20, limits) == 10
    assert ledger_limits.possible_move(100, -30, limits) is None
    assert ledger_limits.possible_move(10**6, 10**6, ledger_limits.Limits(0, None)) is None


# ---------------------------------------------------------------------------- replays


def test_a_replayed_gift_moves_once(net, outbox):
    first = give(net.ana, 30, net.ben, request_key="form-gift-1")
    again = give(net.ana, 30, net.ben, request_key="form-gift-1")
    assert again.id == first.id and again.replayed
    assert count(Transfer) == 1
    assert (balance(net.ana), balance(net.ben)) == (-30, 30)
    assert notified(net.ben, "gift_received") == 1
    assert [m["To"] for m in outbox] == [net.ben.email]


def test_a_replay_is_answered_even_once_the_limits_would_refuse_it(net):
    first = give(net.ana, 60, net.ben, request_key="form-gift-2")
    set_rules(net, floor=0, ceiling=30)
    assert give(net.ana, 60, net.ben, request_key="form-gift-2").id == first.id
    assert (count(Transfer), balance(net.ben)) == (1, 60)


def test_a_replayed_retribution_and_a_replayed_transfer_move_once(net):
    give(net.ana, 120)
    one = gifts.retribute(net.coord.id, net.ben.id, minutes=30, reason="Café", request_key="r-1")
    two = gifts.retribute(net.coord.id, net.ben.id, minutes=30, reason="Café", request_key="r-1")
    assert one.id == two.id

    def move():
        moved = ledger_transfers.transfer(
            kind="gift",
            from_account=account_id(net.cyr),
            to_account=account_id(net.ben),
            minutes=15,
            reason="",
            author_id=net.cyr.id,
            request_key="t-1",
        )
        db.session.commit()
        return moved.id

    assert move() == move()
    assert (balance(net.ben), balance(net.cyr), balance()) == (45, -15, 90)
    assert count(Transfer) == 3
    assert ledger_transfers.verify().ok


# ---------------------------------------------------------------------------- corrections


def test_an_admin_correction_reverses_a_transfer_and_keeps_it(net):
    mistake = give(net.ana, 45, net.ben)
    fix = gifts.correct(net.admin.id, mistake.id, "Don en double, demandé par Ana")
    db.session.expire_all()
    fix = db.session.get(Transfer, fix.id)
    assert (fix.kind, fix.amount, fix.reverses_id, fix.author_id) == (
        "correction",
        45,
        mistake.id,
        net.admin.id,
    )
    assert (fix.debit_account_id, fix.credit_account_id) == (
        account_id(net.ben),
        account_id(net.ana),
    )
    assert fix.reason == "Don en double, demandé par Ana"
    original = db.session.get(Transfer, mistake.id)
    assert [e.amount for e in original.entries] == [-45, 45]  # the original stays as it was
    assert (balance(net.ana), balance(net.ben)) == (0, 0)
    act = db.session.scalar(
        select(ModerationAction).where(ModerationAction.action == "transfer_corrected")
    )
    assert (act.actor_id, act.target_id, act.reason) == (
        net.admin.id,
        mistake.id,
        "Don en double, demandé par Ana",
    )
    assert act.details["correction_id"] == fix.id
    assert notified(net.ana, "transfer_corrected") == notified(net.ben, "transfer_corrected") == 1
    assert ledger_transfers.verify().ok


def test_a_transfer_is_corrected_once(net):
    mistake = give(net.ana, 45, net.ben)
    gifts.correct(net.admin.id, mistake.id, "Erreur")
    with pytest.raises(Conflict):
        gifts.correct(net.admin.id, mistake.id, "Erreur, encore")
    db.session.rollback()
    assert count(Transfer) == 2
    assert (balance(net.ana), balance(net.ben)) == (0, 0)


def test_a_correction_is_never_corrected(net):
    mistake = give(net.ana, 45, net.ben)
    fix = gifts.correct(net.admin.id, mistake.id, "Erreur")
    with pytest.raises(Conflict):
        gifts.correct(net.admin.id, fix.id, "Annuler l'annulation")
    db.session.rollback()
    assert count(Transfer) == 2


@pytest.mark.parametrize("who", ["coord", "ana", "ben"])
def test_only_an_admin_corrects(net, who):
    mistake = give(net.ana, 45, net.ben)
    with pytest.raises(Forbidden):
        gifts.correct(getattr(net, who).id, mistake.id, "Je préfère pas")
    db.session.rollback()
    assert count(Transfer) == 1
    assert (balance(net.ana), balance(net.ben)) == (-45, 45)


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_a_correction_needs_a_reason(net, reason):
    mistake = give(net.ana, 45, net.ben)
    with pytest.raises(InvalidInput) as caught:
        gifts.correct(net.admin.id, mistake.id, reason)
    assert caught.value.field == "reason"
    db.session.rollback()
    assert count(Transfer) == 1


def test_correcting_an_unknown_transfer_is_not_found(net):
    with pytest.raises(NotFound):
        gifts.correct(net.admin.id, 424242, "Erreur")


def test_a_settlement_is_corrected_like_any_transfer(net):
    done = direct.log_direct(
        net.ana.id,
        counterpart_id=net.ben.id,
        gave=True,
        minutes=90,
        title="Relecture d'un devis",
        performed_on=None,
    )
    lifecycle.confirm(net.ben.id, done.id)
    settlement = db.session.scalar(select(Transfer).where(Transfer.exchange_id == done.id))
    gifts.correct(net.admin.id, settlement.id, "Échange saisi deux fois")
    assert (balance(net.ana), balance(net.ben)) == (0, 0)
    assert ledger_transfers.verify().ok


# ---------------------------------------------------------------------------- the rules


def test_the_rules_default_to_minus_20_h_and_plus_100_h_without_a_grant(app):
    assert rules.current() == rules.Rules(credit_floor=-20 * 60, credit_ceiling=100 * 60)
    assert rules.current().welcome_grant == 0


def test_an_admin_sets_the_rules_and_the_change_is_logged(net):
    result = rules.update(
        net.admin.id,
        credit_floor=-600,
        credit_ceiling=3000,
        welcome_grant=120,
        reason="Vote de l'assemblée",
    )
    assert result == rules.Rules(-600, 3000, 120)
    db.session.expire_all()
    assert rules.current() == result
    assert db.session.get(NetworkSettings, 1).updated_by_id == net.admin.id
    act = db.session.scalar(
        select(ModerationAction).where(ModerationAction.action == "rules_updated")
    )
    assert (act.actor_id, act.reason, act.target_type) == (
        net.admin.id,
        "Vote de l'assemblée",
        "rules",
    )
    # The fee rules and the confirmation threshold, not given, stay as they were (50 € a
    # fee, nothing to the commons, 5 h).
    assert act.details["before"] == {
        "credit_floor": -1200,
        "credit_ceiling": 6000,
        "welcome_grant": 0,
        "fee_cap_cents": 5000,
        "commons_bp": 0,
        "large_amount": 300,
    }
    assert act.details["after"] == {
        "credit_floor": -600,
        "credit_ceiling": 3000,
        "welcome_grant": 120,
        "fee_cap_cents": 5000,
        "commons_bp": 0,
        "large_amount": 300,
    }


@pytest.mark.parametrize("who", ["coord", "ana"])
def test_only_an_admin_sets_the_rules(net, who):
    with pytest.raises(Forbidden):
        rules.update(getattr(net, who).id, credit_floor=0, credit_ceiling=0, welcome_grant=0)
    db.session.rollback()
    assert rules.current() == rules.Rules()
    assert count(ModerationAction) == 0


def test_a_suspended_admin_cannot_set_the_rules(net):
    net.admin.suspended_at = utcnow()
    db.session.commit()
    with pytest.raises(Forbidden):
        rules.update(net.admin.id, credit_floor=0, credit_ceiling=0, welcome_grant=0)


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"credit_floor": 60}, "credit_floor"),
        ({"credit_floor": -rules.MAX_FLOOR - 1}, "credit_floor"),
        ({"credit_ceiling": -1}, "credit_ceiling"),
        ({"credit_ceiling": rules.MAX_CEILING + 1}, "credit_ceiling"),
        ({"welcome_grant": -1}, "welcome_grant"),
        ({"welcome_grant": rules.MAX_GRANT + 1, "credit_ceiling": 200 * 60}, "welcome_grant"),
        ({"welcome_grant": 90, "credit_ceiling": 60}, "welcome_grant"),
    ],
)
def test_rules_out_of_bounds_are_refused_beside_their_field(net, values, field):
    wanted = {"credit_floor": -600, "credit_ceiling": 3000, "welcome_grant": 0} | values
    with pytest.raises(InvalidInput) as caught:
        rules.update(net.admin.id, **wanted)
    assert caught.value.field == field
    db.session.rollback()
    assert rules.current() == rules.Rules()
    assert count(ModerationAction) == 0


def test_extreme_but_valid_rules_are_accepted(net):
    set_rules(net, floor=-rules.MAX_FLOOR, ceiling=rules.MAX_CEILING, grant=rules.MAX_GRANT)
    set_rules(net, floor=0, ceiling=0)  # a network where nobody owes and nobody saves
    assert rules.current() == rules.Rules(0, 0, 0)
    assert refused(lambda: give(net.ana, 15, net.ben)).possible == 0


# ---------------------------------------------------------------------------- the database


def _raw_transfer(**values) -> None:
    row = {"kind": "gift", "amount": 30, "reason": "", "created_at": utcnow()} | values
    columns = ", ".join(row)
    params = ", ".join(f":{name}" for name in row)
    created_at = row["created_at"].replace(tzinfo=None)
    db.session.execute(
        text(f"INSERT INTO transfers ({columns}) VALUES ({params})"),
        row | {"created_at": created_at},
    )


@pytest.mark.parametrize(
    "bad",
    [
        {"amount": 0},
        {"amount": -30},
        {"same_account": True},
        {"kind": "settlement"},  # a settlement names its exchange
        {"kind": "correction"},  # a correction names what it reverses
        {"kind": "loan"},
    ],
    ids=[
        "zero",
        "negative",
        "same-account",
        "settlement-without-exchange",
        "bare-correction",
        "kind",
    ],
)
def test_the_database_refuses_a_malformed_transfer_even_in_raw_sql(net, bad):
    bad = dict(bad)
    debit = account_id(net.ana)
    credit = debit if bad.pop("same_account", False) else account_id(net.ben)
    with pytest.raises(IntegrityError):
        _raw_transfer(debit_account_id=debit, credit_account_id=credit, **bad)
        db.session.flush()
    db.session.rollback()
    assert count(Transfer) == 0


def test_the_database_refuses_an_entry_of_zero(net):
    moved = give(net.ana, 30, net.ben)
    with pytest.raises(IntegrityError):
        db.session.execute(
            text(
                "INSERT INTO entries (transfer_id, account_id, amount, balance_after, created_at)"
                " VALUES (:t, :a, 0, 0, :now)"
            ),
            {"t": moved.id, "a": account_id(net.ana), "now": utcnow().replace(tzinfo=None)},
        )
    db.session.rollback()
    assert count(Entry) == 2


def test_the_database_refuses_a_second_settlement_of_an_exchange(net):
    done = direct.log_direct(
        net.ana.id,
        counterpart_id=net.ben.id,
        gave=True,
        minutes=60,
        title="Jardinage",
        performed_on=None,
    )
    lifecycle.confirm(net.ben.id, done.id)
    with pytest.raises(IntegrityError):
        _raw_transfer(
            kind="settlement",
            exchange_id=done.id,
            debit_account_id=account_id(net.ben),
            credit_account_id=account_id(net.ana),
        )
    db.session.rollback()
    with pytest.raises(IntegrityError):  # the one writer itself meets the same wall
        ledger_transfers.transfer(
            kind="settlement",
            from_account=account_id(net.ben),
            to_account=account_id(net.ana),
            minutes=60,
            reason="",
            author_id=net.ben.id,
            exchange_id=done.id,
        )
    db.session.rollback()
    assert count(Transfer) == 1
    assert (balance(net.ana), balance(net.ben)) == (60, -60)


def test_the_database_refuses_a_second_use_of_a_request_key_or_a_second_reversal(net):
    moved = give(net.ana, 30, net.ben, request_key="k-1")
    with pytest.raises(IntegrityError):
        _raw_transfer(
            debit_account_id=account_id(net.ana),
            credit_account_id=account_id(net.cyr),
            request_key="k-1",
        )
    db.session.rollback()
    gifts.correct(net.admin.id, moved.id, "Erreur")
    with pytest.raises(IntegrityError):
        _raw_transfer(
            kind="correction",
            reverses_id=moved.id,
            debit_account_id=account_id(net.ben),
            credit_account_id=account_id(net.ana),
        )
    db.session.rollback()
    assert count(Transfer) == 2


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE entries SET amount = amount * 2",
        "UPDATE entries SET balance_after = 0",
        "DELETE FROM entries",
        "UPDATE transfers SET amount = 1",
        "UPDATE transfers SET reason = 'autre chose'",
        "DELETE FROM transfers",
    ],
)
@pytest.mark.postgres_only
@pytest.mark.skipif(
    not ON_POSTGRES,
    reason="on SQLite nothing stops raw SQL: the append-only trigger is PostgreSQL's "
    "(set TEST_DATABASE_URL)",
)
def test_entries_and_transfers_are_immutable_even_through_raw_sql(net, statement):
    give(net.ana, 30, net.ben)
    with pytest.raises(DBAPIError, match="append-only"):
        db.session.execute(text(statement))
    db.session.rollback()
    db.session.expire_all()
    moved = db.session.scalar(select(Transfer))
    assert (moved.amount, moved.reason, [e.amount for e in moved.entries]) == (
        30,
        "Merci",
        [-30, 30],
    )
    assert ledger_transfers.verify().ok


# ---------------------------------------------------------------------------- verification


def _sound_ledger(net: Net) -> None:
    give(net.ana, 90, net.ben)
    give(net.ben, 120)
    gifts.retribute(net.coord.id, net.cyr.id, minutes=60, reason="Accueil du samedi")
    mistake = give(net.cyr, 15, net.ana)
    gifts.correct(net.admin.id, mistake.id, "Erreur de destinataire")
    done = direct.log_direct(
        net.cyr.id,
        counterpart_id=net.ana.id,
        gave=True,
        minutes=45,
        title="Couture",
        performed_on=None,
    )
    lifecycle.confirm(net.ana.id, done.id)


def test_verify_proves_a_sound_ledger(net):
    _sound_ledger(net)
    report = ledger_transfers.verify()
    assert report.ok, report.problems
    assert (report.transfers, report.entries, report.total) == (6, 12, 0)
    assert report.accounts == count(Account)


def test_verify_on_an_empty_ledger(app):
    report = ledger_transfers.verify()
    assert report.ok and (report.transfers, report.entries, report.total) == (0, 0, 0)


def test_flask_ledger_verify_exits_0_on_a_sound_ledger(app, net):
    _sound_ledger(net)
    result = app.test_cli_runner().invoke(args=["ledger", "verify"])
    assert result.exit_code == 0, result.output
    assert "6 transfers, 12 entries" in result.output
    assert "balances sum to 0" in result.output
    assert "The ledger is balanced" in result.output
    assert "BREACH" not in result.output


def test_flask_ledger_verify_exits_1_with_a_report_on_a_corrupted_balance(app, net):
    _sound_ledger(net)
    ben = account_id(net.ben)
    cached = balance(net.ben)
    db.session.execute(
        text("UPDATE accounts SET balance = balance + 30 WHERE id = :id"), {"id": ben}
    )
    db.session.commit()

    report = ledger_transfers.verify()
    assert not report.ok
    assert f"account {ben}: cached balance {cached + 30}, entries say {cached}" in report.problems
    assert "the balances sum to 30, not 0" in report.problems

    result = app.test_cli_runner().invoke(args=["ledger", "verify"])
    assert result.exit_code == 1
    assert "balances sum to 30" in result.stdout
    assert f"BREACH: account {ben}: cached balance {cached + 30}, entries say {cached}" in (
        result.stderr
    )
    assert "BREACH: the balances sum to 30, not 0" in result.stderr
    assert "The ledger is balanced" not in result.output


def test_verify_reports_a_transfer_whose_entries_do_not_sum_to_zero(app, net):
    moved = give(net.ana, 30, net.ben)
    if db.engine.dialect.name == "postgresql":  # past the trigger, as a superuser could
        db.session.execute(text("ALTER TABLE entries DISABLE TRIGGER entries_append_only"))
    db.session.execute(
        text("UPDATE entries SET amount = 40 WHERE transfer_id = :t AND amount > 0"),
        {"t": moved.id},
    )
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("ALTER TABLE entries ENABLE TRIGGER entries_append_only"))
    db.session.commit()

    problems = ledger_transfers.verify().problems
    assert any(p.startswith(f"transfer {moved.id}: entries") and "(sum 10)" in p for p in problems)
    assert f"account {account_id(net.ben)}: cached balance 30, entries say 40" in problems
    assert "the entries sum to 10, not 0" in problems
    result = app.test_cli_runner().invoke(args=["ledger", "verify"])
    assert result.exit_code == 1 and f"BREACH: transfer {moved.id}" in result.stderr


# ---------------------------------------------------------------------------- welcome grant


def _newcomer_joins(space, name="Nouvelle"):
    newcomer = factories.member(name)
    memberships.request_join(newcomer.id, space.id)
    return newcomer


def grants() -> list[Transfer]:
    return list(db.session.scalars(select(Transfer).where(Transfer.kind == "grant")))


def test_no_welcome_grant_by_default(net):
    give(net.ana, 300)
    newcomer = _newcomer_joins(net.ruche)
    assert balance(newcomer) == 0
    assert grants() == []
    assert notified(newcomer, "welcome_grant") == 0


def test_the_welcome_grant_comes_from_the_pot_when_the_rules_offer_it(net, outbox):
    set_rules(net, floor=-1200, ceiling=6000, grant=60)
    give(net.ana, 150)
    newcomer = _newcomer_joins(net.ruche)
    assert (balance(newcomer), balance()) == (60, 90)
    [grant] = grants()
    assert (grant.amount, grant.author_id, grant.request_key) == (
        60,
        None,
        f"welcome:{newcomer.id}",
    )
    assert notified(newcomer, "welcome_grant") == 1
    assert newcomer.email in [m["To"] for m in outbox]
    assert ledger_transfers.verify().ok


def test_the_welcome_grant_is_given_once_per_member(net):
    set_rules(net, floor=-1200, ceiling=6000, grant=60)
    give(net.ana, 600)
    newcomer = _newcomer_joins(net.ruche)
    phare = factories.space("Le Phare")
    memberships.request_join(newcomer.id, phare.id)
    memberships.leave(newcomer.id, net.ruche.id)
    memberships.request_join(newcomer.id, net.ruche.id)
    assert balance(newcomer) == 60
    assert len(grants()) == 1


def test_the_welcome_grant_also_follows_an_approved_request(net):
    set_rules(net, floor=-1200, ceiling=6000, grant=45)
    give(net.ana, 100)
    atelier = factories.space("L'Atelier", join_policy="approval")
    coordinator = factories.coordinator(atelier)
    newcomer = factories.member("Patiente")
    membership = memberships.request_join(newcomer.id, atelier.id)
    assert balance(newcomer) == 0  # not before a coordinator says yes
    memberships.decide_join(coordinator.id, membership.id, approve=True)
    assert (balance(newcomer), balance()) == (45, 55)


def test_an_empty_pot_welcomes_with_words_only(net):
    set_rules(net, floor=-1200, ceiling=6000, grant=60)
    give(net.ana, 30)
    newcomer = _newcomer_joins(net.ruche)
    assert newcomer.active_memberships()  # joining is never refused for want of credits
    assert (balance(newcomer), balance()) == (0, 30)
    assert grants() == []
