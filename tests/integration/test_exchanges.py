"""Exchanges through the services: the lifecycle from a listing or a direct log, who may do
what at each step, what moves (receiver → provider, once), disputes and their resolution,
expiry, who is told (in-app and by email), and the statements the movements make."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from exchange.services import spreadsheets
from exchange.services.errors import (
    Conflict,
    CreditLimitExceeded,
    Forbidden,
    InvalidInput,
    NotFound,
)
from exchange.services.exchanges import direct, disputes, lifecycle
from exchange.services.ledger import gifts, limits, rules, statements
from exchange.services.ledger import transfers as ledger_transfers
from models import Exchange, ModerationAction, Notification, Transfer, db
from models.base import utcnow
from tests import factories

NB = "\u00a0"


@dataclass
class Net:
    ruche: object  # Alice's space
    phare: object  # Bob's space
    quai: object  # nobody's here
    coord_a: object
    coord_b: object
    coord_c: object
    admin: object
    alice: object
    bob: object
    carol: object  # a member of the Ruche, party to nothing
    offer: object  # Bob offers
    request: object  # Bob asks


@pytest.fixture
def net(app) -> Net:
    s = factories.three_spaces()
    ruche, phare = s.ruche, s.phare
    alice = factories.member("Alice", email="alice@example.org")
    bob = factories.member("Bob", email="bob@example.org")
    carol = factories.member("Carol", email="carol@example.org")
    factories.join(alice, ruche)
    factories.join(carol, ruche)
    factories.join(bob, phare)
    offer = factories.listing(bob, phare, "Réparation de vélo", kind="offer")
    request = factories.listing(bob, phare, "Cours de cuisine", kind="request")
    return Net(*s, alice, bob, carol, offer, request)


# ---------------------------------------------------------------------------- helpers


def balance(user) -> int:
    db.session.expire_all()
    return ledger_transfers.account_of(user.id).balance


def transfers() -> list[Transfer]:
    return list(db.session.scalars(select(Transfer).order_by(Transfer.id)))


def kinds(user) -> list[str]:
    """The notifications a member received, oldest first."""
    return list(
        db.session.scalars(
            select(Notification.kind)
            .where(Notification.user_id == user.id)
            .order_by(Notification.id)
        )
    )


def mailed(outbox, user) -> list[str]:
    """The subjects of the emails a member received."""
    return [m["Subject"] for m in outbox if m["To"] == user.email]


def history(exchange_id: int) -> list[tuple[str, int | None, int | None]]:
    db.session.expire_all()
    return [(e.kind, e.actor_id, e.minutes) for e in db.session.get(Exchange, exchange_id).events]


def state(exchange_id: int) -> str:
    db.session.expire_all()
    return db.session.get(Exchange, exchange_id).state


def propose(net, who=None, listing=None, minutes=60) -> Exchange:
    return lifecycle.propose(
        (who or net.alice).id,
        (listing or net.offer).id,
        message="Samedi matin ?",
        foreseen_minutes=minutes,
    )


def logged(net, minutes=90, by=None) -> Exchange:
    """Bob's offer: Alice proposed, Bob accepted, `by` (Bob) logged the time."""
    ex = propose(net)
    lifecycle.accept(net.bob.id, ex.id)
    lifecycle.log_time((by or net.bob).id, ex.id, minutes=minutes)
    return ex


def disputed(net, minutes=90) -> Exchange:
    ex = logged(net, minutes)
    disputes.dispute(net.alice.id, ex.id, "Nous avons fini au bout d'une heure.")
    return ex


def refuses(error, call):
    with pytest.raises(error) as caught:
        call()
    db.session.rollback()
    return caught.value


# ---------------------------------------------------------------------------- the lifecycle


def test_on_an_offer_the_proposer_receives_and_the_whole_lifecycle_moves_credits_once(net, outbox):
    ex = lifecycle.propose(
        net.alice.id, net.offer.id, message="Mon vélo grince.", foreseen_minutes=60
    )
    assert (ex.provider_id, ex.receiver_id, ex.initiator_id) == (
        net.bob.id,
        net.alice.id,
        net.alice.id,
    )
    assert (ex.state, ex.title, ex.message, ex.foreseen_minutes, ex.listing_id) == (
        "proposed",
        "Réparation de vélo",
        "Mon vélo grince.",
        60,
        net.offer.id,
    )
    assert kinds(net.bob) == ["exchange_proposed"]
    assert mailed(outbox, net.bob) == ["Alice vous propose un échange : « Réparation de vélo »."]

    lifecycle.accept(net.bob.id, ex.id, "Avec plaisir")
    assert state(ex.id) == "accepted"
    assert kinds(net.alice) == ["exchange_accepted"]

    lifecycle.log_time(net.bob.id, ex.id, minutes=90, performed_on=utcnow().date(), note="Fait")
    assert state(ex.id) == "done"
    assert kinds(net.alice) == ["exchange_accepted", "exchange_logged"]
    assert f"Bob a déclaré 1{NB}h{NB}30 pour « Réparation de vélo » : confirmez ou contestez." in (
        mailed(outbox, net.alice)
    )
    assert transfers() == []  # nothing moves until the other side confirms

    lifecycle.confirm(net.alice.id, ex.id)
    db.session.expire_all()
    ex = db.session.get(Exchange, ex.id)
    assert (ex.state, ex.minutes) == ("confirmed", 90)
    assert ex.closed_at is not None
    [settlement] = transfers()
    assert (settlement.kind, settlement.amount, settlement.exchange_id, settlement.author_id) == (
        "settlement",
        90,
        ex.id,
        net.alice.id,
    )
    assert settlement.reason == "Réparation de vélo"
    assert (balance(net.alice), balance(net.bob)) == (-90, 90)  # receiver → provider
    assert kinds(net.bob) == ["exchange_proposed", "exchange_confirmed"]
    assert len(mailed(outbox, net.bob)) == 2 and len(mailed(outbox, net.alice)) == 2
    assert history(ex.id) == [
        ("proposed", net.alice.id, 60),
        ("accepted", net.bob.id, None),
        ("logged", net.bob.id, 90),
        ("confirmed", net.alice.id, 90),
    ]
    assert ledger_transfers.verify().ok


def test_on_a_request_the_proposer_gives(net):
    ex = propose(net, listing=net.request)
    assert (ex.provider_id, ex.receiver_id) == (net.alice.id, net.bob.id)
    lifecycle.accept(net.bob.id, ex.id)
    lifecycle.log_time(net.alice.id, ex.id, minutes=45)
    lifecycle.confirm(net.bob.id, ex.id)
    assert (balance(net.alice), balance(net.bob)) == (45, -45)


def test_either_party_may_log_and_the_other_confirms(net):
    ex = propose(net)
    lifecycle.accept(net.bob.id, ex.id)
    lifecycle.log_time(net.alice.id, ex.id, minutes=30)  # the receiver logs
    assert kinds(net.bob)[-1] == "exchange_logged"
    lifecycle.confirm(net.bob.id, ex.id)
    assert (balance(net.alice), balance(net.bob)) == (-30, 30)


def test_the_second_confirmation_moves_credits_once(net, outbox):
    ex = logged(net)
    lifecycle.confirm(net.alice.id, ex.id)
    sent = len(outbox)
    error = refuses(Conflict, lambda: lifecycle.confirm(net.alice.id, ex.id))
    assert "confirmé" in str(error.message)
    assert len(transfers()) == 1
    assert (balance(net.alice), balance(net.bob)) == (-90, 90)
    assert kinds(net.bob).count("exchange_confirmed") == 1
    assert len(outbox) == sent


def test_a_declined_proposal_closes_and_may_be_proposed_again(net):
    ex = propose(net)
    lifecycle.decline(net.bob.id, ex.id, "Pas ce mois-ci")
    db.session.expire_all()
    assert db.session.get(Exchange, ex.id).closed_at is not None
    assert kinds(net.alice) == ["exchange_declined"]
    refuses(Conflict, lambda: lifecycle.accept(net.bob.id, ex.id))
    again = propose(net)
    assert again.id != ex.id and again.state == "proposed"


@pytest.mark.parametrize("who", ["alice", "bob"])
@pytest.mark.parametrize("when", ["proposed", "accepted"])
def test_either_party_may_cancel_before_the_time_is_logged(net, who, when):
    ex = propose(net)
    if when == "accepted":
        lifecycle.accept(net.bob.id, ex.id)
    actor = getattr(net, who)
    other = net.bob if who == "alice" else net.alice
    lifecycle.cancel(actor.id, ex.id, "Empêchement")
    assert state(ex.id) == "cancelled"
    assert kinds(other)[-1] == "exchange_cancelled"
    assert history(ex.id)[-1] == ("cancelled", actor.id, None)


# ---------------------------------------------------------------------------- refusals


def test_nobody_proposes_on_their_own_listing(net):
    refuses(InvalidInput, lambda: propose(net, who=net.bob))
    assert db.session.scalar(select(func.count(Exchange.id))) == 0


def test_a_member_outside_every_space_cannot_propose(net):
    loner = factories.member("Solitaire")
    refuses(Forbidden, lambda: propose(net, who=loner))


def test_an_unconfirmed_member_cannot_propose(net):
    unconfirmed = factories.member("Pas confirmé", confirmed=False)
    factories.join(unconfirmed, net.ruche)
    refuses(Forbidden, lambda: propose(net, who=unconfirmed))


def test_a_suspended_member_cannot_propose(net):
    net.alice.suspended_at = utcnow()
    db.session.commit()
    refuses(Forbidden, lambda: propose(net))


def test_a_proposal_needs_a_message(net):
    error = refuses(
        InvalidInput,
        lambda: lifecycle.propose(net.alice.id, net.offer.id, message="  ", foreseen_minutes=None),
    )
    assert error.field == "message"


def test_a_proposal_with_an_impossible_duration_is_refused(net):
    refuses(InvalidInput, lambda: propose(net, minutes=0))


def test_a_second_open_proposal_on_the_same_listing_is_refused(net):
    propose(net)
    refuses(Conflict, lambda: propose(net))


def test_a_hidden_listing_cannot_be_answered(net):
    net.offer.status = "closed"
    db.session.commit()
    refuses(NotFound, lambda: propose(net))


def test_the_proposer_cannot_accept_or_decline_their_own_proposal(net):
    ex = propose(net)
    refuses(Forbidden, lambda: lifecycle.accept(net.alice.id, ex.id))
    refuses(Forbidden, lambda: lifecycle.decline(net.alice.id, ex.id))
    assert state(ex.id) == "proposed"


def test_an_answer_is_given_once(net):
    ex = propose(net)
    lifecycle.accept(net.bob.id, ex.id)
    refuses(Conflict, lambda: lifecycle.accept(net.bob.id, ex.id))
    refuses(Conflict, lambda: lifecycle.decline(net.bob.id, ex.id))
    assert state(ex.id) == "accepted"


@pytest.mark.parametrize(
    "step",
    ["accept", "decline", "cancel", "log_time", "confirm", "dispute"],
)
def test_someone_outside_the_exchange_sees_nothing_and_does_nothing(net, step):
    ex = propose(net)
    if step in ("log_time",):
        lifecycle.accept(net.bob.id, ex.id)
    if step in ("confirm", "dispute"):
        lifecycle.accept(net.bob.id, ex.id)
        lifecycle.log_time(net.bob.id, ex.id, minutes=60)
    calls = {
        "accept": lambda who: lifecycle.accept(who.id, ex.id),
        "decline": lambda who: lifecycle.decline(who.id, ex.id),
        "cancel": lambda who: lifecycle.cancel(who.id, ex.id),
        "log_time": lambda who: lifecycle.log_time(who.id, ex.id, minutes=60),
        "confirm": lambda who: lifecycle.confirm(who.id, ex.id),
        "dispute": lambda who: disputes.dispute(who.id, ex.id, "Non"),
    }
    before = state(ex.id)
    for outsider in (net.carol, net.coord_a, net.admin):
        refuses(NotFound, lambda outsider=outsider: calls[step](outsider))
    assert state(ex.id) == before
    assert transfers() == []


def test_the_time_is_logged_only_once_accepted(net):
    ex = propose(net)
    refuses(Conflict, lambda: lifecycle.log_time(net.bob.id, ex.id, minutes=60))
    assert state(ex.id) == "proposed"


def test_the_time_cannot_be_cancelled_once_logged(net):
    ex = logged(net)
    refuses(Conflict, lambda: lifecycle.cancel(net.alice.id, ex.id))
    refuses(Conflict, lambda: lifecycle.cancel(net.bob.id, ex.id))
    assert state(ex.id) == "done"


@pytest.mark.parametrize("minutes", [0, -60, 1.5, limits.MAX_MINUTES + 1])
def test_the_time_logged_is_a_positive_whole_number_of_minutes(net, minutes):
    ex = propose(net)
    lifecycle.accept(net.bob.id, ex.id)
    refuses(InvalidInput, lambda: lifecycle.log_time(net.bob.id, ex.id, minutes=minutes))
    assert state(ex.id) == "accepted"


@pytest.mark.parametrize("days", [3, -400])
def test_the_day_of_the_work_is_neither_future_nor_long_past(net, days):
    ex = propose(net)
    lifecycle.accept(net.bob.id, ex.id)
    day = utcnow().date() + timedelta(days=days)
    error = refuses(
        InvalidInput, lambda: lifecycle.log_time(net.bob.id, ex.id, minutes=60, performed_on=day)
    )
    assert error.field == "performed_on"


def test_who_logged_cannot_confirm_or_dispute_their_own_time(net):
    ex = logged(net)
    refuses(Forbidden, lambda: lifecycle.confirm(net.bob.id, ex.id))
    refuses(Forbidden, lambda: disputes.dispute(net.bob.id, ex.id, "Je me suis trompé"))
    assert state(ex.id) == "done"
    assert transfers() == []


def test_nothing_is_confirmed_before_the_time_is_logged(net):
    ex = propose(net)
    lifecycle.accept(net.bob.id, ex.id)
    refuses(Conflict, lambda: lifecycle.confirm(net.alice.id, ex.id))
    assert transfers() == []


def test_a_confirmation_past_the_receivers_floor_is_refused_and_the_log_waits(net):
    rules.update(net.admin.id, credit_floor=-60, credit_ceiling=600, welcome_grant=0)
    ex = logged(net, minutes=90)
    error = refuses(CreditLimitExceeded, lambda: lifecycle.confirm(net.alice.id, ex.id))
    assert error.possible == 60
    assert "Votre solde passerait à −1" in str(error.message)
    assert state(ex.id) == "done"
    assert transfers() == []
    assert "exchange_confirmed" not in kinds(net.bob)
    # Once Alice has credits again, the same log can be confirmed.
    gifts.give(net.carol.id, minutes=30, message="Pour ton vélo", to_member_id=net.alice.id)
    lifecycle.confirm(net.alice.id, ex.id)
    assert (balance(net.alice), balance(net.bob)) == (-60, 90)


def test_a_confirmation_past_the_providers_ceiling_names_the_provider(net):
    rules.update(net.admin.id, credit_floor=-600, credit_ceiling=60, welcome_grant=0)
    ex = logged(net, minutes=90)
    error = refuses(CreditLimitExceeded, lambda: lifecycle.confirm(net.alice.id, ex.id))
    assert error.possible == 60
    assert "Le solde de Bob passerait à 1" in str(error.message)
    assert state(ex.id) == "done"


# ---------------------------------------------------------------------------- disputes


def test_a_dispute_goes_to_the_coordinators_of_both_parties_spaces(net, outbox):
    ex = logged(net)
    disputes.dispute(net.alice.id, ex.id, "Nous avons fini au bout d'une heure.")
    db.session.expire_all()
    ex = db.session.get(Exchange, ex.id)
    assert (ex.state, ex.dispute_reason) == ("disputed", "Nous avons fini au bout d'une heure.")
    assert kinds(net.bob)[-1] == "exchange_disputed"
    assert kinds(net.coord_a) == ["dispute_opened"]
    assert kinds(net.coord_b) == ["dispute_opened"]
    assert kinds(net.coord_c) == [] and kinds(net.admin) == [] and kinds(net.carol) == []
    subject = "Un échange entre Bob et Alice est contesté : « Réparation de vélo »."
    assert mailed(outbox, net.coord_a) == [subject] and mailed(outbox, net.coord_b) == [subject]
    assert history(ex.id)[-1] == ("disputed", net.alice.id, None)
    assert transfers() == []
    refuses(Conflict, lambda: lifecycle.confirm(net.alice.id, ex.id))  # a coordinator decides


def test_a_dispute_needs_a_reason(net):
    ex = logged(net)
    error = refuses(InvalidInput, lambda: disputes.dispute(net.alice.id, ex.id, "   "))
    assert error.field == "reason"
    assert state(ex.id) == "done"


def test_a_coordinator_who_is_a_party_is_not_asked_to_resolve(net):
    factories.join(net.coord_a, net.phare)  # Aurèle may exchange with Bob
    ex = propose(net, who=net.coord_a)
    lifecycle.accept(net.bob.id, ex.id)
    lifecycle.log_time(net.bob.id, ex.id, minutes=60)
    disputes.dispute(net.coord_a.id, ex.id, "Trop")
    assert "dispute_opened" not in kinds(net.coord_a)
    assert kinds(net.coord_b) == ["dispute_opened"]
    refuses(NotFound, lambda: disputes.resolve(net.coord_a.id, ex.id, outcome="cancel", reason="x"))


def test_a_coordinator_of_a_partys_space_resolves_by_confirming_other_minutes(net, outbox):
    ex = disputed(net, minutes=90)
    disputes.resolve(
        net.coord_a.id, ex.id, outcome="confirm", minutes=60, reason="Une heure, dit l'atelier."
    )
    db.session.expire_all()
    ex = db.session.get(Exchange, ex.id)
    assert (ex.state, ex.minutes, ex.resolved_by_id) == ("confirmed", 60, net.coord_a.id)
    [settlement] = transfers()
    assert (settlement.amount, settlement.author_id, settlement.reason) == (
        60,
        net.coord_a.id,
        "Une heure, dit l'atelier.",
    )
    assert (balance(net.alice), balance(net.bob)) == (-60, 60)
    act = db.session.scalar(
        select(ModerationAction).where(ModerationAction.action == "exchange_resolved")
    )
    assert (act.actor_id, act.reason, act.target_type, act.target_id, act.space_id) == (
        net.coord_a.id,
        "Une heure, dit l'atelier.",
        "exchange",
        ex.id,
        net.ruche.id,
    )
    assert (act.details["outcome"], act.details["minutes"]) == ("confirm", 60)
    for party in (net.alice, net.bob):
        assert kinds(party)[-1] == "exchange_resolved"
        assert any("tranché" in s and f"1{NB}h" in s for s in mailed(outbox, party))
    assert history(ex.id)[-1] == ("resolved", net.coord_a.id, 60)
    refuses(
        Conflict,
        lambda: disputes.resolve(net.coord_b.id, ex.id, outcome="cancel", reason="Trop tard"),
    )
    assert len(transfers()) == 1


def test_resolving_by_confirming_keeps_the_logged_minutes_when_none_are_given(net):
    ex = disputed(net, minutes=90)
    disputes.resolve(net.coord_b.id, ex.id, outcome="confirm", reason="Le temps déclaré est juste.")
    assert (balance(net.alice), balance(net.bob)) == (-90, 90)


def test_a_coordinator_of_the_other_partys_space_resolves_by_cancelling(net):
    ex = disputed(net)
    disputes.resolve(net.coord_b.id, ex.id, outcome="cancel", reason="Aucun accord possible.")
    assert state(ex.id) == "cancelled"
    assert transfers() == []
    act = db.session.scalar(select(ModerationAction))
    assert (act.action, act.reason, act.space_id, act.details["outcome"]) == (
        "exchange_resolved",
        "Aucun accord possible.",
        net.phare.id,
        "cancel",
    )
    assert kinds(net.alice)[-1] == kinds(net.bob)[-1] == "exchange_resolved"


def test_an_admin_may_resolve_a_dispute(net):
    ex = disputed(net)
    disputes.resolve(net.admin.id, ex.id, outcome="cancel", reason="Doublon.")
    assert state(ex.id) == "cancelled"


def test_a_coordinator_of_an_unrelated_space_may_not_resolve(net):
    ex = disputed(net)
    refuses(
        Forbidden,
        lambda: disputes.resolve(
            net.coord_c.id, ex.id, outcome="confirm", minutes=60, reason="Je passais par là."
        ),
    )
    assert state(ex.id) == "disputed"
    assert transfers() == []
    assert db.session.scalar(select(func.count(ModerationAction.id))) == 0


@pytest.mark.parametrize("who", ["alice", "bob", "carol"])
def test_a_party_or_a_member_may_not_resolve(net, who):
    ex = disputed(net)
    error = Forbidden if who == "carol" else NotFound
    refuses(
        error, lambda: disputes.resolve(getattr(net, who).id, ex.id, outcome="cancel", reason="x")
    )
    assert state(ex.id) == "disputed"


def test_a_resolution_needs_a_reason_and_a_known_outcome(net):
    ex = disputed(net)
    error = refuses(
        InvalidInput, lambda: disputes.resolve(net.coord_a.id, ex.id, outcome="cancel", reason="")
    )
    assert error.field == "reason"
    error = refuses(
        InvalidInput,
        lambda: disputes.resolve(net.coord_a.id, ex.id, outcome="split", reason="Moitié"),
    )
    assert error.field == "outcome"
    refuses(
        InvalidInput,
        lambda: disputes.resolve(
            net.coord_a.id, ex.id, outcome="confirm", minutes=0, reason="Rien"
        ),
    )
    assert state(ex.id) == "disputed"


def test_only_a_disputed_exchange_is_resolved(net):
    ex = logged(net)
    refuses(Conflict, lambda: disputes.resolve(net.coord_a.id, ex.id, outcome="cancel", reason="x"))
    assert state(ex.id) == "done"


# ---------------------------------------------------------------------------- direct logs


def test_a_direct_log_moves_nothing_until_the_other_confirms(net, outbox):
    ex = direct.log_direct(
        net.alice.id,
        counterpart_id=net.bob.id,
        gave=True,
        minutes=90,
        title="Relecture d'un devis",
        performed_on=utcnow().date() - timedelta(days=2),
        message="Merci pour le café",
    )
    assert (ex.provider_id, ex.receiver_id, ex.initiator_id, ex.logged_by_id) == (
        net.alice.id,
        net.bob.id,
        net.alice.id,
        net.alice.id,
    )
    assert (ex.state, ex.minutes, ex.listing_id) == ("done", 90, None)
    assert transfers() == []
    assert kinds(net.bob) == ["exchange_logged"]
    assert len(mailed(outbox, net.bob)) == 1
    refuses(Forbidden, lambda: lifecycle.confirm(net.alice.id, ex.id))
    lifecycle.confirm(net.bob.id, ex.id)
    assert (balance(net.alice), balance(net.bob)) == (90, -90)


def test_a_direct_log_of_time_received_makes_the_logger_the_receiver(net):
    ex = direct.log_direct(
        net.alice.id,
        counterpart_id=net.bob.id,
        gave=False,
        minutes=30,
        title="Aide au jardin",
        performed_on=None,
    )
    assert (ex.provider_id, ex.receiver_id) == (net.bob.id, net.alice.id)
    lifecycle.confirm(net.bob.id, ex.id)
    assert (balance(net.alice), balance(net.bob)) == (-30, 30)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"counterpart_id": "self"}, "counterpart"),
        ({"counterpart_id": 424242}, "counterpart"),
        ({"counterpart_id": "suspended"}, "counterpart"),
        ({"title": "   "}, "title"),
        ({"minutes": 0}, "minutes"),
    ],
)
def test_a_direct_log_is_checked(net, change, field):
    values = {
        "counterpart_id": net.bob.id,
        "gave": True,
        "minutes": 60,
        "title": "Bricolage",
        "performed_on": None,
    } | change
    if values["counterpart_id"] == "self":
        values["counterpart_id"] = net.alice.id
    if values["counterpart_id"] == "suspended":
        net.bob.suspended_at = utcnow()
        db.session.commit()
        values["counterpart_id"] = net.bob.id
    error = refuses(InvalidInput, lambda: direct.log_direct(net.alice.id, **values))
    assert error.field == field
    assert db.session.scalar(select(func.count(Exchange.id))) == 0


def test_an_unconfirmed_direct_log_expires_after_the_configured_days_moving_nothing(app, net):
    app.config["EXCHANGE_LOG_DAYS"] = 3
    ex = direct.log_direct(
        net.alice.id,
        counterpart_id=net.bob.id,
        gave=True,
        minutes=60,
        title="Bricolage",
        performed_on=None,
    )
    logged_at = ex.logged_at
    assert ex.expires_at - logged_at == timedelta(days=3)
    assert lifecycle.expire_stale(now=logged_at + timedelta(days=3) - timedelta(minutes=1)) == 0
    assert state(ex.id) == "done"

    assert lifecycle.expire_stale(now=logged_at + timedelta(days=3, minutes=1)) == 1
    db.session.expire_all()
    ex = db.session.get(Exchange, ex.id)
    assert (ex.state, ex.closed_at) == ("expired", logged_at + timedelta(days=3, minutes=1))
    assert history(ex.id)[-1] == ("expired", None, 60)
    for party in (net.alice, net.bob):
        assert kinds(party)[-1] == "exchange_expired"
    assert transfers() == []
    error = refuses(Conflict, lambda: lifecycle.confirm(net.bob.id, ex.id))
    assert "expiré" in str(error.message)
    refuses(Conflict, lambda: disputes.dispute(net.bob.id, ex.id, "Trop tard"))
    assert lifecycle.expire_stale(now=logged_at + timedelta(days=30)) == 0  # once
    assert transfers() == []


def test_a_log_past_its_deadline_cannot_be_confirmed_even_before_the_job_runs(net):
    ex = logged(net)
    ex.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert ex.effective_state == "expired"
    refuses(Conflict, lambda: lifecycle.confirm(net.alice.id, ex.id))
    refuses(Conflict, lambda: disputes.dispute(net.alice.id, ex.id, "Non"))
    assert transfers() == []


def test_a_log_from_a_listing_expires_too(net):
    ex = logged(net)
    assert lifecycle.expire_stale(now=utcnow() + timedelta(days=31)) == 1
    assert state(ex.id) == "expired"


def test_flask_exchanges_expire_reports_what_it_expired(app, net):
    ex = logged(net)
    ex.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["exchanges", "expire"])
    assert result.exit_code == 0
    assert "1 unconfirmed logs expired." in result.output
    assert state(ex.id) == "expired"


# ---------------------------------------------------------------------------- statements


def _at(day: str, hour: int = 12, minute: int = 0) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, minute=minute, tzinfo=UTC)


def _history(net) -> None:
    """Alice's year, written in date order as an import would."""
    a, b, c = (ledger_transfers.account_of(u.id).id for u in (net.alice, net.bob, net.carol))
    for day, frm, to, minutes, reason in [
        ("2026-01-10", b, a, 90, "Réparation de vélo"),
        ("2026-01-31", a, c, 30, '=HYPERLINK("http://evil";"clic")'),  # 23:30 UTC: Feb 1
        ("2026-02-15", c, a, 45, "+33 6 12 34 56 78"),
        ("2026-03-20", a, b, 60, "-- Cours de cuisine"),
    ]:
        hour, minute = (23, 30) if day == "2026-01-31" else (12, 0)
        ledger_transfers.transfer(
            kind="gift",
            from_account=frm,
            to_account=to,
            minutes=minutes,
            reason=reason,
            author_id=None,
            at=_at(day, hour, minute),
        )
    db.session.commit()


def test_a_statement_has_the_running_balance_of_every_movement(net):
    _history(net)
    st = statements.statement(ledger_transfers.account_of(net.alice.id))
    assert [(line.amount, line.balance_after) for line in st.lines] == [
        (90, 90),
        (-30, 60),
        (45, 105),
        (-60, 45),
    ]
    assert (st.opening, st.closing, st.received, st.given) == (0, 45, 135, 90)
    assert [line.counterpart.user_id for line in st.lines] == [
        net.bob.id,
        net.carol.id,
        net.carol.id,
        net.bob.id,
    ]
    assert st.closing == balance(net.alice)


def test_a_statement_filtered_by_period_opens_with_the_balance_before_it(net):
    _history(net)
    account = ledger_transfers.account_of(net.alice.id)
    # 2026-01-31 23:30 UTC is already February 1st in Paris.
    february = statements.statement(account, date(2026, 2, 1), date(2026, 2, 28))
    assert [line.amount for line in february.lines] == [-30, 45]
    assert (february.opening, february.closing) == (90, 105)
    january = statements.statement(account, date(2026, 1, 1), date(2026, 1, 31))
    assert [line.amount for line in january.lines] == [90]
    since_march = statements.statement(account, date(2026, 3, 1))
    assert [line.amount for line in since_march.lines] == [-60]
    assert (since_march.opening, since_march.closing) == (105, 45)
    empty = statements.statement(account, date(2026, 6, 1), date(2026, 6, 30))
    assert (empty.lines, empty.opening, empty.closing) == ([], 45, 45)


def test_the_pot_statement_shows_every_movement_of_the_pot(net):
    gifts.give(net.alice.id, minutes=60, message="Pour la caisse", to_member_id=None)
    gifts.retribute(net.coord_a.id, net.carol.id, minutes=20, reason="Rangement")
    st = statements.pot_statement()
    assert [(line.amount, line.balance_after, line.transfer.kind) for line in st.lines] == [
        (60, 60, "gift"),
        (-20, 40, "retribution"),
    ]


def _csv_rows(net) -> tuple[str, list[list[str]]]:
    _history(net)
    found = statements.movements(ledger_transfers.account_of(net.alice.id))
    body = "".join(
        statements.csv_chunks(
            found,
            [
                "Date",
                "Mouvement",
                "Contrepartie",
                "Motif",
                "Minutes",
                "Heures",
                "Durée",
                "Solde (min)",
                "Solde (h)",
                "N°",
            ],
            lambda row: ("=don", row.counterpart_name, row.reason),
        )
    )
    return body, list(csv.reader(io.StringIO(body.removeprefix("\ufeff")), delimiter=";"))


def test_the_csv_statement_opens_in_a_french_spreadsheet(net):
    body, rows = _csv_rows(net)
    assert body.startswith("\ufeff")  # Excel needs the BOM to read UTF-8
    assert body.encode("utf-8").startswith(b"\xef\xbb\xbfDate;Mouvement;")
    assert "\r\n" in body
    assert rows[0][:4] == ["Date", "Mouvement", "Contrepartie", "Motif"]
    first = rows[1]
    assert first[0] == "10/01/2026 13:00"  # in the network's zone
    assert first[2] == "Bob"
    assert first[4:9] == ["90", "1,50", "1 h 30", "90", "1,50"]
    assert rows[2][0] == "01/02/2026 00:30"
    assert rows[2][4:6] == ["-30", "-0,50"]  # numbers stay numbers, signs included
    assert len(rows) == 5


def test_the_csv_statement_defuses_formulas_in_text_cells(net):
    _body, rows = _csv_rows(net)
    reasons = [row[3] for row in rows[1:]]
    assert reasons == [
        "Réparation de vélo",
        '\'=HYPERLINK("http://evil";"clic")',
        "'+33 6 12 34 56 78",
        "'-- Cours de cuisine",
    ]
    assert {row[1] for row in rows[1:]} == {"'=don"}
    for cell in ("@SUM(A1)", "\tx", "\rx"):
        assert spreadsheets.cell(cell).startswith("'")
    assert spreadsheets.cell("Merci =)") == "Merci =)"


def test_flask_exchanges_expire_mails_absolute_links_in_production_outside_any_request(
    app, net, outbox
):
    app.config["BASE_URL"] = "https://archipel.example.org"  # required in production
    ex = logged(net)
    ex.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    del outbox[:]
    result = app.test_cli_runner().invoke(args=["exchanges", "expire"])
    assert result.exit_code == 0, result.output
    assert sorted(m["To"] for m in outbox) == [net.alice.email, net.bob.email]
    for message in outbox:
        assert f"https://archipel.example.org/echanges/{ex.id}" in message.get_content()
