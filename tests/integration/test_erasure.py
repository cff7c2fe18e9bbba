"""A member leaves (GDPR art. 17): their words and who they were are gone, the ledger stays
exact to the minute (one closure with the pot), open exchanges are cancelled with the other
side told, and an admin may do it on request with the reason in the log."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import func, select

from exchange.adapters.storage import storage
from exchange.services.community import accounts, photos
from exchange.services.errors import Conflict, Forbidden, InvalidCredentials, InvalidInput
from exchange.services.exchanges import lifecycle
from exchange.services.ledger import gifts, transfers
from exchange.services.moderation import reports
from exchange.services.privacy import erasure, export
from exchange.services.reputation import feedback
from models import (
    Account,
    DataExport,
    Exchange,
    ExchangeEvent,
    Feedback,
    Listing,
    LoginSession,
    Membership,
    ModerationAction,
    Notification,
    OutboxEmail,
    Report,
    Space,
    Transfer,
    User,
    db,
)
from tests import factories, pictures, snapshots
from tests.querycount import counting
from tests.threads import race


@pytest.fixture
def world(app):
    """Alice asked Bob for a bike repair (an hour, confirmed, feedback both ways, Alice replied
    to Bob's), gave half an hour to the pot, reported Carol's listing, has a photo, a listing,
    a session, a waiting export; Carol proposed her an exchange that is still open."""
    place = factories.space("La Ruche")
    admin = factories.member("Adam Admin", "adam@example.org", admin=True)
    alice = factories.member(
        "Alice Martin", "alice@example.org", bio="Je code.", contact="06 12", city="Lyon",
        skills=("Python",),
    )  # fmt: skip
    bob = factories.member("Bob Durand", "bob@example.org")
    carol = factories.member("Carol", "carol@example.org")
    for person in (alice, bob, carol):
        factories.join(person, place)
    offer = factories.listing(bob, place, "Réparation de vélo")
    mine = factories.listing(alice, place, "Relecture de CV", summary="Je relis vos CV.")
    spam = factories.listing(carol, place, "Achetez mes cryptos")
    ex = lifecycle.propose(
        alice.id, offer.id, message="Samedi ? Mon vélo est rouge.", foreseen_minutes=60
    )
    lifecycle.accept(bob.id, ex.id, message="Oui Alice")
    lifecycle.log_time(bob.id, ex.id, minutes=60)
    lifecycle.confirm(alice.id, ex.id)
    feedback.write(alice.id, ex.id, "recommends", "Impeccable, merci Bob", [])
    about_alice = feedback.write(bob.id, ex.id, "recommends", "Alice était prête", [])
    feedback.reply(alice.id, about_alice.id, "Merci Bob !")
    gifts.give(alice.id, minutes=30, message="Pour le pot", to_member_id=None)
    reports.report_listing(alice.id, spam.id, "spam", "De la pub d'Alice")
    photos.set_photo(alice.id, pictures.photo())
    accounts.start_session(alice, user_agent="Firefox")
    open_ex = lifecycle.propose(
        carol.id, mine.id, message="Je veux bien une relecture", foreseen_minutes=30
    )
    return {
        "admin": admin,
        "alice": alice,
        "bob": bob,
        "carol": carol,
        "settled": ex,
        "open": open_ex,
    }


def _fresh(model, row_id):
    db.session.expire_all()
    return db.session.get(model, row_id)


def _balance(user_id: int | None = None) -> int:
    where = Account.user_id == user_id if user_id else Account.kind == "pot"
    return db.session.scalar(select(Account.balance).where(where))


def test_leaving_erases_who_they_were_and_what_they_wrote(app, world, outbox):
    alice = world["alice"]
    photo = alice.photo
    erasure.leave(alice.id, factories.PASSWORD)

    gone = _fresh(User, alice.id)
    assert gone.display_name == f"Ancien membre n° {alice.id}"
    assert gone.email == f"ancien-membre-{alice.id}@archipel.invalid"
    assert (gone.bio, gone.contact, gone.city, gone.skills, gone.photo) == ("", "", "", [], None)
    assert gone.erased_at is not None and gone.email_confirmed_at is None
    assert not any(f"photos/{alice.id}/" in key for key in storage().files)
    assert photo is not None
    for listing in db.session.scalars(select(Listing).where(Listing.author_id == alice.id)):
        assert (listing.title, listing.summary, listing.status) == ("Annonce retirée", "", "closed")
    assert _fresh(Exchange, world["settled"].id).message == ""
    said = db.session.scalars(
        select(ExchangeEvent.message).where(ExchangeEvent.actor_id == alice.id)
    )
    assert set(said) <= {""}
    by_bob = db.session.scalars(
        select(ExchangeEvent.message).where(ExchangeEvent.actor_id == world["bob"].id)
    )
    assert "Oui Alice" in list(by_bob)  # the other side's words are theirs
    assert [
        f.comment
        for f in db.session.scalars(select(Feedback).where(Feedback.author_id == alice.id))
    ] == [""]
    about = db.session.scalar(select(Feedback).where(Feedback.subject_id == alice.id))
    assert (about.comment, about.reply) == ("Alice était prête", "")
    assert db.session.scalar(select(Report.text).where(Report.reporter_id == alice.id)) == ""
    assert {
        m.status
        for m in db.session.scalars(select(Membership).where(Membership.user_id == alice.id))
    } == {"left"}
    for model in (Notification, LoginSession, DataExport):
        assert not db.session.scalars(select(model).where(model.user_id == alice.id)).all()
    assert not db.session.scalars(
        select(OutboxEmail).where(OutboxEmail.to_address == "alice@example.org")
    ).all()


def test_the_ledger_stays_exact_and_the_balance_goes_to_the_pot_by_one_closure(app, world):
    alice = world["alice"]
    before = {
        t.id: (t.kind, t.amount, t.debit_account_id, t.credit_account_id)
        for t in db.session.scalars(select(Transfer))
    }
    owed, pot = _balance(alice.id), _balance()
    assert owed == -90  # an hour received, half an hour given

    erasure.leave(alice.id, factories.PASSWORD)

    db.session.expire_all()
    after = {
        t.id: (t.kind, t.amount, t.debit_account_id, t.credit_account_id)
        for t in db.session.scalars(select(Transfer))
    }
    (closure_id,) = set(after) - set(before)
    assert {k: after[k] for k in before} == before  # every transfer they took part in remains
    closure = db.session.get(Transfer, closure_id)
    assert (closure.kind, closure.amount) == ("closure", 90)
    assert _balance(alice.id) == 0 and _balance() == pot - 90
    report = transfers.verify()
    assert report.ok, report.problems
    assert db.session.scalar(select(func.sum(Account.balance))) == 0


def test_a_positive_balance_goes_to_the_pot(app, world):
    bob = world["bob"]
    pot = _balance()
    assert _balance(bob.id) == 60
    erasure.leave(bob.id, factories.PASSWORD)
    assert (_balance(bob.id), _balance()) == (0, pot + 60)
    assert transfers.verify().ok


def test_open_exchanges_are_cancelled_and_the_other_side_told(app, world, outbox):
    alice, carol = world["alice"], world["carol"]
    erasure.leave(alice.id, factories.PASSWORD)
    assert _fresh(Exchange, world["open"].id).state == "cancelled"
    told = db.session.scalar(
        select(Notification).where(
            Notification.user_id == carol.id, Notification.kind == "exchange_cancelled"
        )
    )
    assert told.data["member"] == f"Ancien membre n° {alice.id}"
    assert any(m["To"] == "carol@example.org" for m in outbox)
    assert _fresh(Exchange, world["settled"].id).state == "confirmed"  # the past stays


def test_a_wrong_password_erases_nothing(app, world):
    rows = snapshots.take()
    with pytest.raises(InvalidInput):
        erasure.leave(world["alice"].id, "pas-le-bon")
    db.session.rollback()
    assert snapshots.take() == rows


def test_the_account_is_closed_for_good(app, world):
    alice = world["alice"]
    erasure.leave(alice.id, factories.PASSWORD)
    with pytest.raises(InvalidCredentials):
        accounts.authenticate("alice@example.org", factories.PASSWORD)
    with pytest.raises(Conflict):
        erasure.erase_on_request(world["admin"].id, alice.id, "Deux fois")


def test_an_admin_erases_on_request_with_the_reason_in_the_log(app, world):
    bob, admin = world["bob"], world["admin"]
    with pytest.raises(Forbidden):
        erasure.erase_on_request(world["carol"].id, bob.id, "Je n'aime pas Bob")
    db.session.rollback()
    with pytest.raises(InvalidInput):
        erasure.erase_on_request(admin.id, bob.id, "  ")
    db.session.rollback()
    erasure.erase_on_request(admin.id, bob.id, "Courriel de Bob du 3 décembre")
    act = db.session.scalar(
        select(ModerationAction).where(ModerationAction.action == "member_erased")
    )
    assert (act.actor_id, act.subject_user_id, act.reason) == (
        admin.id,
        bob.id,
        "Courriel de Bob du 3 décembre",
    )
    assert _fresh(User, bob.id).erased_at is not None


def test_the_last_admin_cannot_leave(app, world):
    with pytest.raises(InvalidInput) as refused:
        erasure.leave(world["admin"].id, factories.PASSWORD)
    assert "dernier administrateur" in str(refused.value.message)
    db.session.rollback()
    factories.member("Ada Admin", admin=True)
    erasure.leave(world["admin"].id, factories.PASSWORD)


def test_leaving_costs_the_same_queries_for_one_movement_or_three_hundred(app, world):
    place = db.session.scalar(
        select(Membership.space_id).where(Membership.user_id == world["bob"].id)
    )
    few, many = factories.member("Dan"), factories.member("Erin")
    for person, gifts_made in ((few, 1), (many, 300)):
        factories.join(person, db.session.get(Space, place))
        for _n in range(gifts_made):
            gifts.give(person.id, minutes=1, message="Encore", to_member_id=None)

    def queries(person) -> int:
        db.session.expire_all()
        with counting() as seen:
            erasure.leave(person.id, factories.PASSWORD)
        return seen.count

    assert queries(few) == queries(many)


def test_their_export_waiting_is_deleted_with_its_file(app, world):
    alice = world["alice"]
    app.config["EXPORT_INLINE_ROWS"] = -1  # every export goes to the job
    ready = export.request_export(alice.id)
    key = _fresh(DataExport, ready.id).key
    assert key in storage().files
    erasure.leave(alice.id, factories.PASSWORD)
    assert key not in storage().files


@pytest.mark.postgres_only
@pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL"),
    reason="two truly concurrent writers need PostgreSQL: set TEST_DATABASE_URL",
)
def test_leaving_twice_at_the_same_instant_erases_once_with_one_closure(app, world):
    alice_id, admin_id = world["alice"].id, world["admin"].id
    before = db.session.scalar(select(func.count(Transfer.id)))
    results = race(
        app,
        lambda: erasure.leave(alice_id, factories.PASSWORD),
        lambda: erasure.erase_on_request(admin_id, alice_id, "Sa demande par courriel"),
    )
    assert sorted(type(r).__name__ for r in results) == ["Conflict", "NoneType"], results
    db.session.expire_all()
    assert db.session.scalar(select(func.count(Transfer.id))) == before + 1
    assert _balance(alice_id) == 0 and transfers.verify().ok
