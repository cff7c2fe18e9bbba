"""Feedback and reputation through the services: only the two parties of a confirmed exchange
write, once each, about the other; double-blind until both have written or the 14-day window
has closed; one public reply; the skills the receiver saw at work; a summary built from
distinct counterparts only, which nothing else moves; reports, and a coordinator hiding the
words (never the recommendation) with a reason in the log.

Time-dependent rules are driven by passing `now=` to the services, counted from the moment
the exchange was confirmed (its `closed_at`). Where a service reads the clock itself
(reporting, hiding), the feedback is written without `now=`, so it is visible for real.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from exchange.services.community import members, memberships
from exchange.services.errors import Conflict, Forbidden, InvalidInput, NotFound
from exchange.services.exchanges import direct, disputes, lifecycle
from exchange.services.ledger import gifts
from exchange.services.moderation import acts as moderation_acts
from exchange.services.moderation import desk, reports
from exchange.services.notify import notifications
from exchange.services.reputation import feedback
from exchange.services.reputation import summaries as reputation_summaries
from models import Exchange, Feedback, ModerationAction, Notification, Report, Skill, db
from models.base import utcnow
from models.feedback import WINDOW
from tests import factories
from tests.threads import race

ON_POSTGRES = bool(os.environ.get("TEST_DATABASE_URL"))


@dataclass
class Net:
    ruche: object  # Alice's space (Carol's, Dan's, Eve's too)
    phare: object  # Bob's space
    quai: object  # nobody's here: its coordinator is unrelated to everyone below
    coord_a: object
    coord_b: object
    coord_c: object
    admin: object
    alice: object
    bob: object
    carol: object  # party to nothing unless a test says so
    dan: object
    eve: object  # never exchanges: reads as new
    offer: object  # Bob offers bike repairs, with two skills


@pytest.fixture
def net(app) -> Net:
    s = factories.three_spaces()
    ruche, phare = s.ruche, s.phare
    alice = factories.member("Alice", email="alice@example.org")
    bob = factories.member("Bob", email="bob@example.org", skills=("Menuiserie", "Soudure"))
    carol = factories.member("Carol", email="carol@example.org")
    dan = factories.member("Dan", email="dan@example.org")
    eve = factories.member("Eve", email="eve@example.org")
    for person in (alice, carol, dan, eve):
        factories.join(person, ruche)
    factories.join(bob, phare)
    offer = factories.listing(
        bob, phare, "Réparation de vélo", kind="offer", tags="Mécanique vélo, Réglage des freins"
    )
    return Net(*s, alice, bob, carol, dan, eve, offer)


# ---------------------------------------------------------------------------- helpers


def propose(net, receiver=None) -> Exchange:
    return lifecycle.propose(
        (receiver or net.alice).id, net.offer.id, message="Samedi matin ?", foreseen_minutes=60
    )


def accepted(net, receiver=None) -> Exchange:
    ex = propose(net, receiver)
    lifecycle.accept(net.bob.id, ex.id)
    return ex


def logged(net, receiver=None) -> Exchange:
    """Bob logged an hour of his offer; the receiver has not confirmed it yet."""
    ex = accepted(net, receiver)
    lifecycle.log_time(net.bob.id, ex.id, minutes=60)
    return ex


def confirmed(net, receiver=None) -> Exchange:
    """Bob repaired the receiver's bike (Alice by default); she confirmed the hour."""
    ex = logged(net, receiver)
    lifecycle.confirm((receiver or net.alice).id, ex.id)
    return fresh(ex.id)


def disputed(net) -> Exchange:
    ex = logged(net)
    disputes.dispute(net.alice.id, ex.id, "Nous avons fini au bout d'une demi-heure.")
    return ex


def fresh(exchange_id: int) -> Exchange:
    db.session.expire_all()
    return db.session.get(Exchange, exchange_id)


def after(ex: Exchange, **delta):
    """An instant counted from the exchange's confirmation."""
    return ex.closed_at + timedelta(**delta)


def write(author, ex, recommendation="recommends", comment="", skills=(), now=None) -> Feedback:
    return feedback.write(
        author.id, ex.id, recommendation, comment, [s.id for s in skills], now=now
    )


def refuses(error, call):
    with pytest.raises(error) as caught:
        call()
    db.session.rollback()
    assert type(caught.value) is error  # the exact class, not a subclass
    return caught.value


def rows(exchange_id: int | None = None) -> list[Feedback]:
    db.session.expire_all()
    query = select(Feedback).order_by(Feedback.id)
    if exchange_id is not None:
        query = query.where(Feedback.exchange_id == exchange_id)
    return list(db.session.scalars(query))


def told(user, kind: str) -> int:
    """How many notifications of this kind the member received."""
    return db.session.scalar(
        select(func.count(Notification.id)).where(
            Notification.user_id == user.id, Notification.kind == kind
        )
    )


def skill(name: str) -> Skill:
    return db.session.scalar(select(Skill).where(Skill.name == name))


def snapshot(summary: reputation_summaries.Summary) -> tuple:
    """What a summary says, comparable: the counts, and each skill with its voices."""
    return (
        summary.recommends,
        summary.neutral,
        summary.not_recommended,
        summary.exchanges,
        [(s.name, n) for s, n in summary.skills],
    )


def counts(summary: reputation_summaries.Summary) -> tuple:
    return snapshot(summary)[:4]


# ---------------------------------------------------------------------------- who may write


def test_both_parties_of_a_confirmed_exchange_write_each_about_the_other(net):
    ex = confirmed(net)
    hers = write(net.alice, ex, "recommends", "Vélo réparé, explications claires.")
    his = write(net.bob, ex, "neutral", "Un peu en retard.")
    assert (hers.author_id, hers.subject_id) == (net.alice.id, net.bob.id)
    assert (his.author_id, his.subject_id) == (net.bob.id, net.alice.id)
    assert [(f.author_id, f.recommendation) for f in rows(ex.id)] == [
        (net.alice.id, "recommends"),
        (net.bob.id, "neutral"),
    ]


@pytest.mark.parametrize("outsider", ["carol", "coord_a", "coord_b", "admin", "coord_c"])
def test_nobody_but_the_two_parties_may_write(net, outsider):
    """A third member, a coordinator of either party's space, an admin: Forbidden, nothing
    written, nobody told."""
    ex = confirmed(net)
    who = getattr(net, outsider)
    refuses(Forbidden, lambda: write(who, ex, "recommends", "Je connais Bob, il est top."))
    assert rows() == []
    assert told(net.bob, "feedback_waiting") == told(net.alice, "feedback_waiting") == 0
    assert feedback.on_exchange(fresh(ex.id), who) is None  # no block on the page either


def test_a_suspended_party_may_not_write(net):
    ex = confirmed(net)
    net.alice.suspended_at = utcnow()
    db.session.commit()
    refuses(Forbidden, lambda: write(net.alice, ex, "recommends"))
    assert isinstance(feedback.refusal(net.alice, fresh(ex.id)), Forbidden)
    assert rows() == []
    assert told(net.bob, "feedback_waiting") == 0


def _expired(net) -> Exchange:
    ex = logged(net)
    assert lifecycle.expire_stale(now=ex.expires_at + timedelta(minutes=1)) == 1
    return ex


def _cancelled(net) -> Exchange:
    ex = propose(net)
    lifecycle.cancel(net.alice.id, ex.id, "Finalement réparé seule.")
    return ex


def _declined(net) -> Exchange:
    ex = propose(net)
    lifecycle.decline(net.bob.id, ex.id, "Pas disponible ce mois-ci.")
    return ex


UNCONFIRMED = {
    "proposed": propose,
    "accepted": accepted,
    "done": logged,
    "declined": _declined,
    "cancelled": _cancelled,
    "disputed": disputed,
    "expired": _expired,
}


@pytest.mark.parametrize("state", list(UNCONFIRMED))
def test_no_feedback_on_an_exchange_that_is_not_confirmed(net, state):
    """A party is refused with Conflict (the exchange is not there yet, or never will be);
    nothing is written and nobody is told."""
    ex = UNCONFIRMED[state](net)
    assert fresh(ex.id).state == state
    for party in (net.alice, net.bob):
        refuses(Conflict, lambda party=party: write(party, ex, "recommends", "Très bien"))
        assert feedback.on_exchange(fresh(ex.id), party) is None
    # Someone else is still refused as an outsider, whatever the state.
    refuses(Forbidden, lambda: write(net.carol, ex, "recommends"))
    assert rows() == []
    assert told(net.alice, "feedback_waiting") == told(net.bob, "feedback_waiting") == 0


def test_a_dispute_resolved_as_confirmed_opens_feedback_from_the_resolution(net):
    """The service treats a dispute a coordinator settled with "confirm" as a confirmed
    exchange: both parties may write, and the 14 days run from the resolution."""
    ex = disputed(net)
    refuses(Conflict, lambda: write(net.alice, ex, "neutral"))
    disputes.resolve(
        net.coord_b.id,
        ex.id,
        outcome="confirm",
        reason="Une demi-heure, d'un commun accord.",
        minutes=30,
    )
    ex = fresh(ex.id)
    assert ex.state == "confirmed"
    assert feedback.window_end(ex) == ex.closed_at + WINDOW
    write(
        net.alice, ex, "neutral", "Le temps a été discuté, le vélo roule.", now=after(ex, hours=1)
    )
    write(net.bob, ex, "recommends", now=after(ex, hours=2))
    assert len(rows(ex.id)) == 2
    # A coordinator who settled it is still no party.
    refuses(Forbidden, lambda: write(net.coord_b, ex, "recommends"))


def test_a_dispute_resolved_as_cancelled_takes_no_feedback(net):
    ex = disputed(net)
    disputes.resolve(net.coord_b.id, ex.id, outcome="cancel", reason="Rien n'a été fait.")
    assert fresh(ex.id).state == "cancelled"
    refuses(Conflict, lambda: write(net.alice, ex, "not_recommended"))
    refuses(Conflict, lambda: write(net.bob, ex, "not_recommended"))
    assert rows() == []


def test_an_unknown_exchange_or_a_wrong_answer_is_refused(net):
    ex = confirmed(net)
    refuses(NotFound, lambda: feedback.write(net.alice.id, ex.id + 999, "recommends"))
    error = refuses(InvalidInput, lambda: write(net.alice, ex, "excellent"))
    assert error.field == "recommendation"
    too_long = "x" * (feedback.MAX_COMMENT + 1)
    error = refuses(InvalidInput, lambda: write(net.alice, ex, "recommends", too_long))
    assert error.field == "comment"
    assert rows() == []


# ---------------------------------------------------------------------------- once


def test_a_second_write_before_it_shows_edits_the_same_row(net):
    ex = confirmed(net)
    first = write(net.alice, ex, "neutral", "Bien.", now=after(ex, hours=1))
    second = write(
        net.alice,
        ex,
        "recommends",
        "Très bien, en fait.",
        [skill("Mécanique vélo")],
        now=after(ex, hours=3),
    )
    assert second.id == first.id
    [row] = rows(ex.id)
    assert (row.recommendation, row.comment) == ("recommends", "Très bien, en fait.")
    assert [s.name for s in row.skills] == ["Mécanique vélo"]
    assert (row.created_at, row.updated_at) == (after(ex, hours=1), after(ex, hours=3))
    assert row.visible_from == feedback.window_end(ex)  # still blind
    assert told(net.bob, "feedback_waiting") == 1  # told once, not at each edit


def test_the_database_keeps_one_feedback_per_party_and_exchange(net):
    ex = confirmed(net)
    write(net.alice, ex, "recommends")
    db.session.add(
        Feedback(
            exchange_id=ex.id,
            author_id=net.alice.id,
            subject_id=net.bob.id,
            recommendation="not_recommended",
            visible_from=feedback.window_end(ex),
        )
    )
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    assert [f.recommendation for f in rows(ex.id)] == ["recommends"]


# ---------------------------------------------------------------------------- double-blind


def test_double_blind_until_both_have_written_then_both_show_together(net):
    ex = confirmed(net)
    t1, t2, t3 = after(ex, hours=1), after(ex, hours=2), after(ex, days=3)

    write(net.alice, ex, "recommends", "Patient et précis.", now=t1)
    assert told(net.bob, "feedback_waiting") == 1
    assert told(net.alice, "feedback_waiting") == 0

    # Bob sees nothing of it: not on his exchange, not in his own reputation.
    view = feedback.on_exchange(fresh(ex.id), net.bob, now=t2)
    assert (view.mine, view.theirs, view.theirs_waits, view.can_write) == (None, None, True, True)
    assert reputation_summaries.summary(net.bob.id, now=t2).is_new
    assert reputation_summaries.latest(net.bob.id, now=t2) == []
    assert reputation_summaries.count_visible(net.bob.id, now=t2) == 0

    # Alice sees her own, and may still change it.
    mine = feedback.on_exchange(fresh(ex.id), net.alice, now=t2)
    assert (mine.mine.comment, mine.theirs, mine.theirs_waits, mine.can_write) == (
        "Patient et précis.",
        None,
        False,
        True,
    )
    write(net.alice, ex, "recommends", "Patient, précis, et de bons conseils.", now=t2)

    # Bob writes: both show at once, from the same instant.
    write(net.bob, ex, "recommends", "Vélo apporté à l'heure.", now=t3)
    hers, his = rows(ex.id)
    assert hers.visible_from == his.visible_from == t3
    assert hers.announced_at == his.announced_at == t3
    assert not hers.is_visible(t3 - timedelta(seconds=1)) and hers.is_visible(t3)
    for party, theirs in ((net.alice, his), (net.bob, hers)):
        view = feedback.on_exchange(fresh(ex.id), party, now=t3)
        assert view.theirs.id == theirs.id and not view.theirs_waits and not view.can_write
        assert told(party, "feedback_published") == 1
    assert [f.comment for f in reputation_summaries.latest(net.bob.id, now=t3)] == [
        "Patient, précis, et de bons conseils."
    ]
    assert reputation_summaries.summary(net.bob.id, now=t3).recommends == 1
    assert reputation_summaries.summary(net.alice.id, now=t3).recommends == 1

    # From then on nobody edits.
    refuses(Conflict, lambda: write(net.alice, ex, "not_recommended", now=after(ex, days=4)))
    refuses(Conflict, lambda: write(net.bob, ex, "not_recommended", now=after(ex, days=4)))
    assert [f.recommendation for f in rows(ex.id)] == ["recommends", "recommends"]
    # The daily job has nothing left to announce on this exchange.
    assert feedback.publish_due(now=after(ex, days=15)) == 0
    assert told(net.alice, "feedback_published") == told(net.bob, "feedback_published") == 1
    assert told(net.bob, "feedback_waiting") == 1 and told(net.alice, "feedback_waiting") == 0


def test_the_second_writer_is_not_asked_again_nor_mailed_what_they_just_saw(net, outbox):
    ex = confirmed(net)
    write(net.alice, ex, "recommends", "Merci.", now=after(ex, hours=1))
    outbox.clear()
    write(net.bob, ex, "neutral", "Correct.", now=after(ex, hours=2))

    def notes(user):
        return {
            n.kind: n.read_at is not None
            for n in db.session.scalars(select(Notification).where(Notification.user_id == user.id))
            if n.kind.startswith("feedback_")
        }

    # Bob wrote second, on the page: his "write yours" is done, his notice is for the record.
    assert notes(net.bob) == {"feedback_waiting": True, "feedback_published": True}
    # Alice learns it now, unread, and by email.
    assert notes(net.alice) == {"feedback_published": False}
    assert [m["To"] for m in outbox] == [net.alice.email]


def test_alone_it_shows_when_the_window_closes_and_then_nothing_can_be_written(net):
    ex = confirmed(net)
    write(net.alice, ex, "recommends", "Merci Bob !", now=after(ex, hours=1))
    before, at_end = after(ex, days=13), after(ex, days=14)

    assert reputation_summaries.summary(net.bob.id, now=before).is_new
    assert feedback.on_exchange(fresh(ex.id), net.bob, now=before).theirs is None
    assert feedback.publish_due(now=before) == 0
    assert told(net.bob, "feedback_published") == 0

    assert reputation_summaries.summary(net.bob.id, now=at_end).recommends == 1
    assert [f.comment for f in reputation_summaries.latest(net.bob.id, now=at_end)] == [
        "Merci Bob !"
    ]
    view = feedback.on_exchange(fresh(ex.id), net.bob, now=at_end)
    assert view.theirs.comment == "Merci Bob !" and not view.can_write

    # Too late to write (Bob) or to edit (Alice).
    refuses(Conflict, lambda: write(net.bob, ex, "recommends", now=at_end))
    refuses(Conflict, lambda: write(net.alice, ex, "neutral", now=at_end))
    assert [(f.author_id, f.recommendation) for f in rows(ex.id)] == [(net.alice.id, "recommends")]

    # The daily job tells both parties once; run again, it tells nobody.
    assert feedback.publish_due(now=at_end) == 1
    assert rows(ex.id)[0].announced_at == at_end
    assert feedback.publish_due(now=after(ex, days=15)) == 0
    assert told(net.alice, "feedback_published") == told(net.bob, "feedback_published") == 1
    # Each reads what did appear: Alice her own, Bob the one about him; nobody expects two.
    said = {
        n.user_id: notifications.describe(n)
        for n in db.session.scalars(
            select(Notification).where(Notification.kind == "feedback_published")
        )
    }
    assert said[net.alice.id].startswith("Votre retour sur l'échange")
    assert said[net.bob.id].startswith("Le retour laissé par Alice sur l'échange")


def test_the_last_minute_of_the_window_still_takes_the_second_feedback(net):
    ex = confirmed(net)
    write(net.alice, ex, "recommends", now=after(ex, hours=1))
    last = feedback.window_end(ex) - timedelta(minutes=1)
    write(net.bob, ex, "neutral", now=last)
    assert [f.visible_from for f in rows(ex.id)] == [last, last]


# ---------------------------------------------------------------------------- the reply


def test_only_the_subject_replies_once_to_a_feedback_that_shows(net):
    ex = confirmed(net)
    hers = write(net.alice, ex, "neutral", "Un peu en retard.", now=after(ex, hours=1))

    # Still blind: there is nothing to reply to.
    refuses(NotFound, lambda: feedback.reply(net.bob.id, hers.id, "Merci", now=after(ex, hours=2)))

    write(net.bob, ex, "recommends", now=after(ex, hours=3))
    now = after(ex, hours=4)
    for who in (net.alice, net.carol, net.coord_b, net.admin):
        refuses(Forbidden, lambda who=who: feedback.reply(who.id, hers.id, "Je réponds", now=now))
    for text in ("", "   "):
        error = refuses(
            InvalidInput, lambda text=text: feedback.reply(net.bob.id, hers.id, text, now=now)
        )
        assert error.field == "text"
    too_long = "x" * (feedback.MAX_REPLY + 1)
    error = refuses(InvalidInput, lambda: feedback.reply(net.bob.id, hers.id, too_long, now=now))
    assert error.field == "text"
    assert told(net.alice, "feedback_replied") == 0

    feedback.reply(net.bob.id, hers.id, "  Un bus supprimé, désolé.  ", now=now)
    db.session.expire_all()
    row = db.session.get(Feedback, hers.id)
    assert (row.reply, row.replied_at) == ("Un bus supprimé, désolé.", now)
    assert told(net.alice, "feedback_replied") == 1

    refuses(Conflict, lambda: feedback.reply(net.bob.id, hers.id, "Et encore…", now=now))
    db.session.expire_all()
    assert db.session.get(Feedback, hers.id).reply == "Un bus supprimé, désolé."
    assert told(net.alice, "feedback_replied") == 1


def test_a_max_length_reply_is_taken(net):
    ex = confirmed(net)
    hers = write(net.alice, ex, "recommends", now=after(ex, hours=1))
    write(net.bob, ex, "recommends", now=after(ex, hours=2))
    text = "y" * feedback.MAX_REPLY
    assert feedback.reply(net.bob.id, hers.id, text, now=after(ex, hours=3)).reply == text


# ---------------------------------------------------------------------------- skills


def test_the_receiver_confirms_the_skills_of_the_listing(net):
    ex = confirmed(net)
    offered = sorted(s.name for s in net.offer.skills)
    assert offered == ["Mécanique vélo", "Réglage des freins"]
    assert sorted(s.name for s in feedback.confirmable_skills(ex, net.alice.id)) == offered
    write(net.alice, ex, "recommends", skills=[skill("Réglage des freins")])
    assert [s.name for s in rows(ex.id)[0].skills] == ["Réglage des freins"]


def test_a_skill_the_exchange_did_not_offer_is_refused(net):
    ex = confirmed(net)
    factories.listing(net.carol, net.ruche, "Potager partagé", tags="Jardinage")
    for name in ("Menuiserie", "Jardinage"):  # Bob's profile; another listing
        error = refuses(
            InvalidInput, lambda name=name: write(net.alice, ex, "recommends", skills=[skill(name)])
        )
        assert error.field == "skills"
    refuses(InvalidInput, lambda: feedback.write(net.alice.id, ex.id, "recommends", "", [10**6]))
    assert rows() == []
    assert told(net.bob, "feedback_waiting") == 0


def test_the_provider_has_no_skill_to_confirm(net):
    ex = confirmed(net)
    assert feedback.confirmable_skills(ex, net.bob.id) == []
    error = refuses(
        InvalidInput, lambda: write(net.bob, ex, "recommends", skills=[skill("Mécanique vélo")])
    )
    assert error.field == "skills"
    write(net.bob, ex, "recommends")
    assert rows(ex.id)[0].skills == []


def test_a_direct_log_names_no_skill_so_it_confirms_none(net):
    ex = direct.log_direct(
        net.bob.id,
        counterpart_id=net.alice.id,
        gave=True,
        minutes=90,
        title="Étagère fixée au mur",
        performed_on=None,
    )
    lifecycle.confirm(net.alice.id, ex.id)
    ex = fresh(ex.id)
    assert ex.listing_id is None
    assert net.bob.skills  # his profile lists some: they are his word, not this exchange's
    assert feedback.confirmable_skills(ex, net.alice.id) == []
    error = refuses(
        InvalidInput, lambda: write(net.alice, ex, "recommends", skills=[skill("Menuiserie")])
    )
    assert error.field == "skills"
    write(net.alice, ex, "recommends")
    assert rows(ex.id)[0].skills == []


# ---------------------------------------------------------------------------- the summary


@pytest.fixture
def history(net):
    """Bob's record: three exchanges with Alice (recommends, then neutral, then does not
    recommend), one with Carol and one with Dan (both recommend). Only Alice and Carol
    confirm skills. Bob writes about Alice once. Returns the instant all have shown."""
    with_alice = [confirmed(net) for _ in range(3)]
    with_carol, with_dan = confirmed(net, net.carol), confirmed(net, net.dan)
    base = with_dan.closed_at
    mech, brakes = skill("Mécanique vélo"), skill("Réglage des freins")
    for hours, (ex, rec) in enumerate(
        zip(with_alice, ("recommends", "neutral", "not_recommended"), strict=True), start=1
    ):
        write(net.alice, ex, rec, f"Échange {hours}", [mech], now=base + timedelta(hours=hours))
    write(net.carol, with_carol, "recommends", "Carol", [mech, brakes], base + timedelta(hours=4))
    write(net.dan, with_dan, "recommends", "Dan", now=base + timedelta(hours=5))
    write(net.bob, with_alice[0], "recommends", "Alice", now=base + timedelta(hours=6))
    return base + timedelta(days=15)


def test_the_summary_counts_distinct_voices_by_their_latest_feedback(net, history):
    summary = reputation_summaries.summary(net.bob.id, now=history)
    # Alice's three exchanges are one voice: her latest, which does not recommend.
    assert (summary.recommends, summary.neutral, summary.not_recommended) == (2, 0, 1)
    assert summary.voices == 3 and not summary.is_new
    assert summary.exchanges == 5
    # Alice confirmed the mechanics three times: one member. Carol confirmed both.
    assert [(s.name, n) for s, n in summary.skills] == [
        ("Mécanique vélo", 2),
        ("Réglage des freins", 1),
    ]
    # Every feedback is listed, newest first; only the counting is by voice.
    assert [f.comment for f in reputation_summaries.latest(net.bob.id, limit=10, now=history)] == [
        "Dan",
        "Carol",
        "Échange 3",
        "Échange 2",
        "Échange 1",
    ]
    assert reputation_summaries.count_visible(net.bob.id, now=history) == 5


def test_while_the_later_ones_are_blind_a_voice_counts_by_its_latest_that_shows(net, history):
    """A day after, only the first exchange with Alice shows (Bob answered it): her voice is
    that recommendation; her later, blind ones do not count yet, nor do Carol's and Dan's."""
    early = history - timedelta(days=14)
    summary = reputation_summaries.summary(net.bob.id, now=early)
    assert snapshot(summary) == (1, 0, 0, 5, [("Mécanique vélo", 1)])
    assert [f.comment for f in reputation_summaries.latest(net.bob.id, limit=10, now=early)] == [
        "Échange 1"
    ]


def test_a_member_with_nothing_reads_as_new(net, history):
    summary = reputation_summaries.summary(net.eve.id, now=history)
    assert summary.is_new
    assert snapshot(summary) == (0, 0, 0, 0, [])
    # Carol exchanged once but nobody wrote about her: new, with her exchange counted.
    carol = reputation_summaries.summary(net.carol.id, now=history)
    assert carol.is_new and carol.exchanges == 1


def test_summaries_of_several_members_match_each_summary(net, history):
    ids = [net.bob.id, net.alice.id, net.carol.id, net.dan.id, net.eve.id]
    together = reputation_summaries.summaries([*ids, net.bob.id], now=history)
    assert sorted(together) == sorted(ids)
    for user_id in ids:
        assert counts(together[user_id]) == counts(
            reputation_summaries.summary(user_id, now=history)
        )
    assert counts(together[net.alice.id]) == (1, 0, 0, 3)
    assert reputation_summaries.summaries([], now=history) == {}


# ---------------------------------------------------------------------------- rule 4


def pay_a_fee(net, fake) -> None:
    """A fee paid online each way between Bob and Alice (on exchanges still open, whose
    confirmation would be a step of its own): money says nothing about anyone's work."""
    from exchange.services.money import checkout, connect, fees

    for person in (net.alice, net.bob):
        connect.onboarding_url(person.id)
        account = connect.account_of(person.id)
        fake.make_account_ready(account.stripe_id)
        connect.sync(account.stripe_id)
    cooking = factories.listing(net.alice, net.ruche, "Cours de cuisine")
    for provider, receiver, listing in (
        (net.bob, net.alice, net.offer),
        (net.alice, net.bob, cooking),
    ):
        ex = lifecycle.propose(receiver.id, listing.id, message="Bientôt ?", foreseen_minutes=60)
        lifecycle.accept(provider.id, ex.id, fee_cents=1500, fee_covers="Matériel")
        checkout.start_checkout(receiver.id, ex.id)
        session_id = fees.of_exchange(ex.id).checkout_session_id
        fake.complete_checkout(session_id)
        checkout.sync_checkout(session_id)
        db.session.expire_all()
        assert fees.of_exchange(ex.id).state == "paid"


def test_nothing_but_feedback_moves_the_summary(net, fake_stripe):
    ex = confirmed(net)
    with_carol = confirmed(net, net.carol)
    write(net.alice, ex, "recommends", "Top", [skill("Mécanique vélo")])
    write(net.bob, ex, "recommends")
    write(net.carol, with_carol, "neutral", "Correct")
    write(net.bob, with_carol, "recommends")
    before = snapshot(reputation_summaries.summary(net.bob.id))
    assert before == (1, 1, 0, 2, [("Mécanique vélo", 1)])
    card_before = counts(reputation_summaries.summaries([net.bob.id])[net.bob.id])

    # Gifts, both ways.
    gifts.give(net.bob.id, minutes=30, message="Merci pour le café", to_member_id=net.alice.id)
    gifts.give(net.alice.id, minutes=45, message="Pour l'atelier", to_member_id=net.bob.id)
    # A retribution from the common pot.
    gifts.give(net.carol.id, minutes=60, message="Pour la caisse", to_member_id=None)
    gifts.retribute(net.coord_b.id, net.bob.id, minutes=30, reason="Atelier vélo ouvert à tous")
    pay_a_fee(net, fake_stripe)
    # More listings.
    factories.listing(net.bob, net.phare, "Soudure à l'arc", tags="Soudure")
    factories.listing(net.bob, net.phare, "Fabrication d'étagères", tags="Menuiserie")
    factories.listing(net.bob, net.phare, "Cherche un local", kind="request")
    # Being made a coordinator.
    memberships.appoint_coordinator(net.admin.id, net.quai.id, net.bob.id)
    # His own words about himself.
    members.update_profile(
        net.bob.id,
        display_name="Bob",
        bio="Le meilleur mécanicien de Bretagne, recommandé par tous.",
        city="Brest",
        languages="français",
        contact="",
        skills="Mécanique vélo, Réglage des freins, Soudure, Plomberie",
        locale="fr",
    )

    db.session.expire_all()
    assert net.bob.is_coordinator_of(net.quai.id)
    assert snapshot(reputation_summaries.summary(net.bob.id)) == before
    assert counts(reputation_summaries.summaries([net.bob.id])[net.bob.id]) == card_before


# ---------------------------------------------------------------------------- reports, hiding


@dataclass
class Published:
    exchange: Exchange
    hers: Feedback  # Alice about Bob, replied to by Bob
    his: Feedback  # Bob about Alice, no reply


@pytest.fixture
def published(net) -> Published:
    """Both wrote (for real, without `now=`: the moderation services read the clock)."""
    ex = confirmed(net)
    hers = write(net.alice, ex, "recommends", "Bob est ponctuel, mais son voisin est bruyant.")
    his = write(net.bob, ex, "recommends", "Alice est venue à l'heure.")
    feedback.reply(net.bob.id, hers.id, "Mon voisin ne regarde que lui !")
    db.session.expire_all()
    return Published(ex, db.session.get(Feedback, hers.id), db.session.get(Feedback, his.id))


def acts(action: str) -> list[ModerationAction]:
    return list(
        db.session.scalars(
            select(ModerationAction)
            .where(ModerationAction.action == action)
            .order_by(ModerationAction.id)
        )
    )


def test_only_a_feedback_that_shows_can_be_reported_and_never_ones_own(net):
    ex = confirmed(net, net.carol)
    blind = write(net.carol, ex, "neutral", "Correct.")
    refuses(NotFound, lambda: reports.report_feedback(net.dan.id, blind.id, "inappropriate"))
    refuses(NotFound, lambda: reports.report_feedback(net.dan.id, 10**6, "inappropriate"))
    write(net.bob, ex, "recommends", "Très bien.")  # now both show
    refuses(Forbidden, lambda: reports.report_feedback(net.carol.id, blind.id, "spam"))
    # The member it is about may report it.
    report = reports.report_feedback(
        net.bob.id, blind.id, "misleading", "Ce n'est pas ce qui s'est passé."
    )
    assert (report.feedback_id, report.status) == (blind.id, "open")


def test_the_author_may_report_the_reply_that_answers_them(net, published):
    # Alice's feedback has Bob's reply: its author may report those words; Bob's has none.
    report = reports.report_feedback(net.alice.id, published.hers.id, "harassment", "La réponse.")
    assert report.feedback_id == published.hers.id
    refuses(Forbidden, lambda: reports.report_feedback(net.bob.id, published.his.id, "spam"))


def test_every_coordinator_of_either_party_reads_the_acts_on_their_feedback(net, published):
    # Bob's coordinator hides; Alice's reads it in the log, the unrelated one does not.
    report = reports.report_feedback(net.carol.id, published.his.id, "inappropriate")
    moderation_acts.hide_feedback(net.coord_b.id, published.hers.id, "Propos sur un tiers.")
    reports.dismiss(net.coord_a.id, report.id, "Rien d'anormal.")

    def seen(user):
        return {(a.action, a.target_type) for a in desk.log_for(user)}

    both = {("feedback_hidden", "feedback"), ("report_dismissed", "report")}
    assert seen(net.coord_a) >= both
    assert seen(net.coord_b) >= both
    assert not seen(net.coord_c) & both


def test_one_open_report_per_member_and_feedback(net, published):
    reports.report_feedback(net.carol.id, published.hers.id, "inappropriate")
    refuses(Conflict, lambda: reports.report_feedback(net.carol.id, published.hers.id, "spam"))
    reports.report_feedback(net.dan.id, published.hers.id, "harassment")
    assert db.session.scalar(select(func.count(Report.id))) == 2


def test_a_coordinator_hides_the_comment_the_recommendation_still_counts(net, published):
    hers = published.hers
    before = snapshot(reputation_summaries.summary(net.bob.id))
    carols = reports.report_feedback(net.carol.id, hers.id, "inappropriate")
    dans = reports.report_feedback(net.dan.id, hers.id, "harassment", "Propos sur un tiers.")

    moderation_acts.hide_feedback(net.coord_b.id, hers.id, "  Propos sur une personne absente.  ")

    db.session.expire_all()
    row = db.session.get(Feedback, hers.id)
    assert row.comment_hidden_at is not None
    assert row.comment_hidden_reason == "Propos sur une personne absente."
    assert row.recommendation == "recommends"
    assert row.comment == "Bob est ponctuel, mais son voisin est bruyant."  # kept, restorable
    assert row.reply_hidden_at is None
    assert snapshot(reputation_summaries.summary(net.bob.id)) == before
    assert hers.id in [f.id for f in reputation_summaries.latest(net.bob.id)]

    [act] = acts("feedback_hidden")
    assert (act.actor_id, act.reason, act.target_type, act.target_id) == (
        net.coord_b.id,
        "Propos sur une personne absente.",
        "feedback",
        hers.id,
    )
    assert (act.subject_user_id, act.space_id) == (net.alice.id, net.phare.id)
    assert act.details["part"] == "comment"
    assert sorted(act.details["reports"]) == sorted([carols.id, dans.id])
    assert told(net.alice, "feedback_hidden") == 1
    assert told(net.bob, "feedback_hidden") == 0

    for report_id, reporter in ((carols.id, net.carol), (dans.id, net.dan)):
        report = db.session.get(Report, report_id)
        assert (report.status, report.handled_by_id) == ("actioned", net.coord_b.id)
        assert told(reporter, "report_handled") == 1

    refuses(Conflict, lambda: moderation_acts.hide_feedback(net.coord_b.id, hers.id, "Encore"))
    assert len(acts("feedback_hidden")) == 1


def test_hiding_needs_a_reason(net, published):
    for reason in ("", "   ", None):
        error = refuses(
            InvalidInput,
            lambda reason=reason: moderation_acts.hide_feedback(
                net.coord_b.id, published.hers.id, reason
            ),
        )
        assert error.field == "reason"
    db.session.expire_all()
    assert db.session.get(Feedback, published.hers.id).comment_hidden_at is None
    assert acts("feedback_hidden") == []
    assert told(net.alice, "feedback_hidden") == 0


@pytest.mark.parametrize("who", ["alice", "bob", "coord_c", "carol"])
def test_neither_party_nor_an_unrelated_coordinator_may_hide(net, published, who):
    actor = getattr(net, who)
    refuses(
        Forbidden,
        lambda: moderation_acts.hide_feedback(actor.id, published.hers.id, "Je n'aime pas"),
    )
    db.session.expire_all()
    assert db.session.get(Feedback, published.hers.id).comment_hidden_at is None
    assert acts("feedback_hidden") == []


def test_a_coordinator_of_the_authors_space_and_an_admin_may_hide(net, published):
    moderation_acts.hide_feedback(net.coord_a.id, published.hers.id, "Propos sur un tiers.")
    moderation_acts.hide_feedback(net.admin.id, published.his.id, "Donnée personnelle.")
    assert [a.target_id for a in acts("feedback_hidden")] == [published.hers.id, published.his.id]


def test_a_hidden_comment_can_be_restored_and_the_restoring_is_logged(net, published):
    hers = published.hers
    refuses(Conflict, lambda: moderation_acts.restore_feedback(net.coord_b.id, hers.id))
    moderation_acts.hide_feedback(net.coord_b.id, hers.id, "Propos sur un tiers.")
    refuses(Forbidden, lambda: moderation_acts.restore_feedback(net.coord_c.id, hers.id, "Non"))

    moderation_acts.restore_feedback(net.coord_b.id, hers.id, "Après relecture, rien de grave.")

    db.session.expire_all()
    row = db.session.get(Feedback, hers.id)
    assert (row.comment_hidden_at, row.comment_hidden_reason) == (None, "")
    [act] = acts("feedback_restored")
    assert (act.actor_id, act.reason, act.target_type, act.target_id, act.subject_user_id) == (
        net.coord_b.id,
        "Après relecture, rien de grave.",
        "feedback",
        hers.id,
        net.alice.id,
    )
    assert told(net.alice, "feedback_restored") == 1


def test_hiding_a_reply_tells_the_member_who_replied(net, published):
    moderation_acts.hide_feedback(
        net.coord_a.id, published.hers.id, "La réponse vise un voisin.", part="reply"
    )
    db.session.expire_all()
    row = db.session.get(Feedback, published.hers.id)
    assert row.reply_hidden_at is not None and row.comment_hidden_at is None
    assert row.reply_hidden_reason == "La réponse vise un voisin."
    assert told(net.bob, "feedback_hidden") == 1
    assert told(net.alice, "feedback_hidden") == 0
    [act] = acts("feedback_hidden")
    assert (act.subject_user_id, act.details["part"]) == (net.bob.id, "reply")

    # Bob's feedback has no reply: there is no reply to hide.
    refuses(
        NotFound,
        lambda: moderation_acts.hide_feedback(
            net.coord_a.id, published.his.id, "Rien", part="reply"
        ),
    )
    moderation_acts.restore_feedback(net.coord_a.id, published.hers.id, part="reply")
    db.session.expire_all()
    assert db.session.get(Feedback, published.hers.id).reply_hidden_at is None
    assert told(net.bob, "feedback_restored") == 1


def test_a_feedback_still_blind_cannot_be_hidden(net):
    ex = confirmed(net)
    blind = write(net.alice, ex, "not_recommended", "Bof.")
    refuses(NotFound, lambda: moderation_acts.hide_feedback(net.coord_b.id, blind.id, "Non"))


# ---------------------------------------------------------------------------- at the same instant


needs_postgres = pytest.mark.skipif(
    not ON_POSTGRES, reason="two truly concurrent writers need PostgreSQL: set TEST_DATABASE_URL"
)


@pytest.mark.parametrize("repeat", range(3))
@pytest.mark.postgres_only
@needs_postgres
def test_both_parties_writing_at_the_same_instant_both_show_and_each_is_told_once(app, net, repeat):
    ex = confirmed(net)
    exchange_id, alice_id, bob_id = ex.id, net.alice.id, net.bob.id
    results = race(
        app,
        lambda: feedback.write(alice_id, exchange_id, "recommends", "Super").id,
        lambda: feedback.write(bob_id, exchange_id, "neutral", "Bien").id,
    )
    assert all(isinstance(r, int) for r in results), results
    hers, his = sorted(rows(exchange_id), key=lambda f: f.author_id != alice_id)
    assert hers.visible_from == his.visible_from <= utcnow()
    assert hers.announced_at is not None and his.announced_at is not None
    assert told(net.alice, "feedback_published") == told(net.bob, "feedback_published") == 1
    assert (
        db.session.scalar(
            select(func.count(Notification.id)).where(Notification.kind == "feedback_published")
        )
        == 2
    )
    # Whoever came first was told the other's waited: once, to one of them.
    assert told(net.alice, "feedback_waiting") + told(net.bob, "feedback_waiting") == 1
    assert reputation_summaries.summary(bob_id).recommends == 1
    assert reputation_summaries.summary(alice_id).neutral == 1


@pytest.mark.parametrize("repeat", range(3))
@pytest.mark.postgres_only
@needs_postgres
def test_the_same_party_submitting_twice_at_once_makes_one_row(app, net, repeat):
    ex = confirmed(net)
    exchange_id, alice_id = ex.id, net.alice.id

    def send():
        return feedback.write(alice_id, exchange_id, "recommends", "Super").id

    results = race(app, send, send)
    ids = [r for r in results if isinstance(r, int)]
    assert ids and all(isinstance(r, int | Conflict) for r in results), results
    assert len(set(ids)) == 1
    [row] = rows(exchange_id)
    assert (row.author_id, row.recommendation) == (alice_id, "recommends")
    assert row.visible_from == feedback.window_end(fresh(exchange_id))  # still blind
    assert told(net.bob, "feedback_waiting") == 1
