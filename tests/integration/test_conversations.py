"""Conversations between members: who reads them, what they are about, what each side is
told, blocks, suspension, reports of a message, the coordination's messages, and what stays
when a member leaves or the retention passes."""

from __future__ import annotations

import os
from datetime import timedelta

import pytest
from sqlalchemy import select

from exchange.services.conversations import (
    blocks,
    coordination,
    exchange_threads,
    inbox,
    notices,
    retention,
    threads,
)
from exchange.services.errors import Conflict, Forbidden, InvalidInput, NotFound
from exchange.services.exchanges import direct, disputes, lifecycle
from exchange.services.ledger import gifts
from exchange.services.moderation import acts, report_queue, reports
from exchange.services.notify import notifications
from exchange.services.privacy import erasure, gather
from models import (
    Conversation,
    Membership,
    Message,
    ModerationAction,
    Notification,
    Participant,
    Report,
    db,
)
from models.base import utcnow
from tests import factories
from tests.threads import race


@pytest.fixture
def pair(app):
    return factories.offer_and_neighbour()


def _participant(user_id: int, conversation_id: int) -> Participant:
    db.session.expire_all()
    return db.session.get(Participant, (conversation_id, user_id))


def _notices(user_id: int) -> list[Notification]:
    db.session.expire_all()
    query = select(Notification).where(
        Notification.user_id == user_id, Notification.kind == "message_received"
    )
    return list(db.session.scalars(query.order_by(Notification.id)))


def test_a_question_on_a_listing_remembers_it_and_goes_on_in_the_same_conversation(pair):
    _ruche, lucie, marc, offer = pair
    first, new = threads.start(marc.id, lucie.id, "Vous avez des pièces ?", listing_id=offer.id)
    assert new and first.listing_id == offer.id
    again, new_again = threads.start(marc.id, lucie.id, "Et le samedi ?", listing_id=offer.id)
    assert (again.id, new_again) == (first.id, False)
    # From the profile: another conversation, about nothing in particular.
    direct, direct_new = threads.start(marc.id, lucie.id, "Bonjour")
    assert direct_new and direct.id != first.id and direct.listing_id is None
    assert {p.user_id for p in first.participants} == {lucie.id, marc.id}


def test_crlf_from_a_textarea_is_kept_as_line_breaks_and_empty_messages_are_refused(pair):
    _ruche, lucie, marc, _offer = pair
    conversation, _new = threads.start(marc.id, lucie.id, "Bonjour,\r\n\r\nà jeudi\r")
    body = db.session.scalar(select(Message.body).where(Message.conversation_id == conversation.id))
    assert body == "Bonjour,\n\nà jeudi"
    with pytest.raises(InvalidInput) as refused:
        threads.reply(lucie.id, conversation.id, " \r\n\t ")
    assert refused.value.field == "body"
    with pytest.raises(InvalidInput):
        threads.reply(lucie.id, conversation.id, "x" * (threads.MAX_BODY + 1))


def test_nobody_but_its_participants_reads_a_conversation(pair):
    ruche, lucie, marc, _offer = pair
    coordinator = factories.coordinator(ruche)
    admin = factories.member("Ada Admin", admin=True)
    conversation, _new = threads.start(marc.id, lucie.id, "Entre nous")
    for outsider in (coordinator, admin):
        with pytest.raises(NotFound):
            threads.get_for(outsider.id, conversation.id)
        with pytest.raises(NotFound):
            threads.reply(outsider.id, conversation.id, "Je m'invite")


def test_unread_counts_and_my_list_newest_first(pair):
    _ruche, lucie, marc, offer = pair
    other = factories.member("Inès Autre")
    about_offer, _n = threads.start(marc.id, lucie.id, "Une", listing_id=offer.id)
    threads.reply(marc.id, about_offer.id, "Deux")
    from_ines, _n = threads.start(other.id, lucie.id, "Coucou")
    mine = inbox.mine(lucie.id)
    assert [line.conversation.id for line in mine.lines] == [from_ines.id, about_offer.id]
    assert [line.unread for line in mine.lines] == [1, 2]
    assert mine.lines[1].last.body == "Deux"
    assert inbox.waiting(lucie.id)[1] == 2
    threads.read(lucie.id, about_offer.id)
    assert _participant(lucie.id, about_offer.id).unread == 0
    assert inbox.waiting(lucie.id)[1] == 1
    # Writing is reading: Marc has nothing unread in what he wrote.
    assert _participant(marc.id, about_offer.id).unread == 0


def test_my_list_reads_in_pages_with_the_same_queries_for_few_or_many(app, pair):
    from tests.querycount import counting

    _ruche, lucie, _marc, _offer = pair
    for n in range(3):
        threads.start(factories.member(f"Voisin {n}").id, lucie.id, f"Message {n}")
    with counting() as few:
        inbox.mine(lucie.id, per_page=2)
    for n in range(3, 30):
        threads.start(factories.member(f"Voisin {n}").id, lucie.id, f"Message {n}")
    db.session.expire_all()
    with counting() as many:
        first = inbox.mine(lucie.id, per_page=2)
    assert many.count == few.count, str(many)
    second = inbox.mine(lucie.id, after=first.next_cursor, per_page=2)
    assert [x.last.body for x in first.lines] == ["Message 29", "Message 28"]
    assert [x.last.body for x in second.lines] == ["Message 27", "Message 26"]


def test_one_notification_per_conversation_until_it_is_read(pair):
    _ruche, lucie, marc, _offer = pair
    conversation, _new = threads.start(marc.id, lucie.id, "Un")
    threads.reply(marc.id, conversation.id, "Deux")
    threads.reply(marc.id, conversation.id, "Trois")
    waiting = _notices(lucie.id)
    assert len(waiting) == 1 and waiting[0].read_at is None
    threads.read(lucie.id, conversation.id)
    assert _notices(lucie.id)[0].read_at is not None
    threads.reply(marc.id, conversation.id, "Quatre")
    assert [n.read_at is None for n in _notices(lucie.id)] == [False, True]


def test_at_most_one_email_an_hour_per_conversation_quoting_the_message(pair, outbox):
    _ruche, lucie, marc, _offer = pair
    conversation, _new = threads.start(marc.id, lucie.id, "Avez-vous\r\nune pompe ?")
    threads.reply(marc.id, conversation.id, "Et une clé de 15 ?")
    to_lucie = [m for m in outbox if m["To"] == lucie.email]
    assert len(to_lucie) == 1
    text = to_lucie[0].get_content()
    assert "> Avez-vous\n> une pompe ?" in text
    assert f"/messages/{conversation.id}" in text
    assert marc.email not in text and marc.email not in str(to_lucie[0])
    # An hour later, the next message is emailed again.
    me = _participant(lucie.id, conversation.id)
    me.emailed_at = utcnow() - timedelta(hours=1, minutes=1)
    db.session.commit()
    threads.reply(marc.id, conversation.id, "Finalement non")
    assert len([m for m in outbox if m["To"] == lucie.email]) == 2


def test_a_blocked_member_reaches_me_no_more_and_is_told_only_that(pair):
    _ruche, lucie, marc, offer = pair
    conversation, _new = threads.start(marc.id, lucie.id, "Bonjour")
    assert blocks.block(lucie.id, marc.id)
    assert not blocks.block(lucie.id, marc.id)  # twice changes nothing
    for attempt in (
        lambda: threads.reply(marc.id, conversation.id, "Vous êtes là ?"),
        lambda: threads.start(marc.id, lucie.id, "Encore moi", listing_id=offer.id),
        lambda: lifecycle.propose(marc.id, offer.id, message="Je viens ?", foreseen_minutes=60),
        lambda: direct.log_direct(
            marc.id, counterpart_id=lucie.id, gave=True, minutes=30, title="Aide", performed_on=None
        ),
    ):
        with pytest.raises(Conflict) as refused:
            attempt()
        assert str(refused.value.message) == str(blocks.NOT_RECEIVING)
    # The one who blocked is told to unblock first; once unblocked, all goes again.
    with pytest.raises(Conflict) as mine:
        threads.reply(lucie.id, conversation.id, "Finalement…")
    assert str(mine.value.message) == str(blocks.YOU_BLOCKED)
    assert blocks.unblock(lucie.id, marc.id)
    threads.reply(marc.id, conversation.id, "Merci")
    assert len(_notices(lucie.id)) == 1


def test_a_suspended_member_writes_nothing(pair):
    ruche, lucie, marc, _offer = pair
    conversation, _new = threads.start(marc.id, lucie.id, "Bonjour")
    coordinator = factories.coordinator(ruche)
    acts.suspend_member(coordinator.id, marc.id, "Messages insistants")
    with pytest.raises(Forbidden) as refused:
        threads.reply(marc.id, conversation.id, "Pourquoi ?")
    assert str(refused.value.message) == str(threads.SUSPENDED)
    with pytest.raises(Forbidden):
        threads.start(marc.id, lucie.id, "Bonjour encore")


def test_a_reported_message_reaches_the_reporters_coordinators_with_its_context_only(pair):
    ruche, lucie, marc, _offer = pair
    coordinator = factories.coordinator(ruche, display_name="Coralie Coord")
    elsewhere = factories.coordinator(factories.space("Le Phare"), display_name="Paul Phare")
    conversation, _new = threads.start(marc.id, lucie.id, "Premier message, anodin")
    threads.reply(lucie.id, conversation.id, "Deuxième, de Lucie")
    offending = threads.reply(marc.id, conversation.id, "Le message blessant")
    threads.reply(marc.id, conversation.id, "Un suivant")
    report = reports.report_message(lucie.id, offending.id, "harassment", "Insultant")
    with pytest.raises(Conflict):
        reports.report_message(lucie.id, offending.id, "spam")
    with pytest.raises(Forbidden):
        reports.report_message(marc.id, offending.id, "spam")  # one's own
    assert [r.id for r in report_queue.open_reports(coordinator)] == [report.id]
    assert report_queue.open_reports(elsewhere) == []
    assert report_queue.open_reports(marc) == []  # never about oneself
    seen = coordination.context_of([offending.id])[offending.id]
    assert [m.body for m in seen] == ["Deuxième, de Lucie", "Le message blessant"]
    with pytest.raises(NotFound):
        coordination.hide_message(elsewhere.id, offending.id, "Hors de mon lieu")
    coordination.hide_message(coordinator.id, offending.id, "Propos blessants")
    db.session.expire_all()
    assert db.session.get(Message, offending.id).hidden_at is not None
    assert reports.open_report_of(lucie.id, message_id=offending.id) is None
    logged = db.session.scalars(
        select(ModerationAction).where(ModerationAction.action == "message_hidden")
    ).all()
    assert [(a.subject_user_id, a.target_id) for a in logged] == [(marc.id, offending.id)]


def _dispute(pair):
    _ruche, lucie, marc, offer = pair
    made = lifecycle.propose(marc.id, offer.id, message="Samedi ?", foreseen_minutes=60)
    lifecycle.accept(lucie.id, made.id)
    lifecycle.log_time(lucie.id, made.id, minutes=120)
    disputes.dispute(marc.id, made.id, "Nous avions dit une heure")
    return made


def test_the_coordination_writes_to_each_party_apart_and_logs_it_without_the_text(pair):
    ruche, lucie, marc, _offer = pair
    coordinator = factories.coordinator(ruche, display_name="Coralie Coord")
    elsewhere = factories.coordinator(factories.space("Le Phare"))
    made = _dispute(pair)
    with pytest.raises(NotFound):
        coordination.write(elsewhere.id, [lucie.id], "Bonjour", exchange_id=made.id)
    with pytest.raises(InvalidInput):
        coordination.write(coordinator.id, [elsewhere.id], "À qui ?", exchange_id=made.id)
    written = coordination.write(
        coordinator.id, [lucie.id, marc.id], "Pouvez-vous m'en dire plus ?", exchange_id=made.id
    )
    assert len(written) == 2
    for conversation, party in zip(written, (lucie, marc), strict=True):
        assert conversation.kind == "coordination" and conversation.space_id == ruche.id
        assert {p.user_id for p in conversation.participants} == {coordinator.id, party.id}
    messages = db.session.scalars(select(Message).where(Message.author_id == coordinator.id)).all()
    assert [m.as_coordination for m in messages] == [True, True]
    logged = db.session.scalars(
        select(ModerationAction).where(ModerationAction.action == "coordination_message")
    ).all()
    assert sorted(a.subject_user_id for a in logged) == sorted([lucie.id, marc.id])
    assert all("dire plus" not in repr(a.details) + a.reason for a in logged)
    # A party answers; the coordinator's answer is the coordination's again, and logged.
    threads.reply(marc.id, written[1].id, "Bien sûr")
    threads.reply(coordinator.id, written[1].id, "Merci")
    assert db.session.scalar(select(Message.as_coordination).order_by(Message.id.desc()).limit(1))
    # A block between members never stops the coordination.
    blocks.block(marc.id, coordinator.id)
    threads.reply(coordinator.id, written[1].id, "Une dernière question")


def test_messages_are_in_the_export_and_erased_with_their_author(pair):
    _ruche, lucie, marc, offer = pair
    conversation, _new = threads.start(marc.id, lucie.id, "Question de Marc", listing_id=offer.id)
    threads.reply(lucie.id, conversation.id, "Réponse de Lucie")
    rows = {name: list(section(marc)) for name, section in gather.SECTIONS.items()}
    assert rows["conversations"][0]["with"] == "Lucie Offre"
    assert rows["conversations"][0]["listing"] == "Réparer un vélo"
    assert [(m["from"], m["text"], m["mine"]) for m in rows["messages"]] == [
        ("Marc Question", "Question de Marc", True),
        ("Lucie Offre", "Réponse de Lucie", False),
    ]
    erasure.leave(marc.id, factories.PASSWORD)
    db.session.expire_all()
    # Lucie keeps the conversation and her words; Marc's are gone, his name too.
    kept, thread = threads.read(lucie.id, conversation.id)
    assert [m.body for m in thread.messages] == ["", "Réponse de Lucie"]
    assert thread.messages[0].erased_at is not None
    assert [u.display_name for u in threads.others(kept, lucie.id)] == [
        erasure.former_name(marc.id)
    ]
    with pytest.raises(Conflict):
        threads.reply(lucie.id, conversation.id, "Vous êtes parti ?")


def test_retention_deletes_old_messages_but_not_a_reported_one_and_none_by_default(pair):
    _ruche, lucie, marc, _offer = pair
    admin = factories.member("Ada Admin", admin=True)
    old, _new = threads.start(marc.id, lucie.id, "Vieux message")
    kept = threads.reply(marc.id, old.id, "Vieux et signalé")
    recent, _new = threads.start(lucie.id, factories.member("Inès").id, "Récent")
    reports.report_message(lucie.id, kept.id, "spam")
    for message in db.session.scalars(select(Message).where(Message.conversation_id == old.id)):
        message.created_at = utcnow() - timedelta(days=400)
    db.session.commit()
    assert retention.sweep() == 0  # kept for ever by default
    with pytest.raises(InvalidInput):
        retention.set_days(admin.id, 0)
    with pytest.raises(Forbidden):
        retention.set_days(lucie.id, 30)
    retention.set_days(admin.id, 365)
    assert retention.sweep() == 1
    db.session.expire_all()
    left = db.session.scalars(select(Message.body).order_by(Message.id)).all()
    assert left == ["Vieux et signalé", "Récent"]
    assert db.session.get(Conversation, recent.id) is not None


@pytest.mark.postgres_only
@pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL"),
    reason="two truly concurrent writers need PostgreSQL: set TEST_DATABASE_URL",
)
def test_both_parties_writing_first_at_once_make_one_thread_with_both_messages(app, pair):
    _ruche, lucie, marc, offer = pair
    made = lifecycle.propose(marc.id, offer.id, message="Samedi ?", foreseen_minutes=60)
    lucie_id, marc_id, exchange_id = lucie.id, marc.id, made.id
    for _ in range(3):  # a race may be won by either side: run it a few times
        results = race(
            app,
            lambda: exchange_threads.on_exchange(lucie_id, exchange_id, "De Lucie"),
            lambda: exchange_threads.on_exchange(marc_id, exchange_id, "De Marc"),
        )
        assert [type(r).__name__ for r in results] == ["Message", "Message"], results
    db.session.expire_all()
    found = db.session.scalars(select(Conversation).where(Conversation.exchange_id == exchange_id))
    (thread,) = found.all()
    bodies = db.session.scalars(select(Message.body).where(Message.conversation_id == thread.id))
    assert sorted(bodies) == ["De Lucie"] * 3 + ["De Marc"] * 3


def test_no_way_round_a_block_a_gift_nor_a_report_filed_by_a_coordinator(pair):
    ruche, lucie, marc, _offer = pair
    blocks.block(lucie.id, marc.id)
    with pytest.raises(Conflict) as refused:
        gifts.give(marc.id, minutes=30, message="Je sais où tu travailles", to_member_id=lucie.id)
    assert str(refused.value.message) == str(blocks.NOT_RECEIVING)
    # A coordinator Lucie blocked may not write to her "as the coordination" from a report
    # they filed themselves.
    cora = factories.coordinator(ruche, display_name="Cora Coord")
    blocks.block(lucie.id, cora.id)
    report = reports.report_member(cora.id, lucie.id, "other", "Pour lui écrire")
    with pytest.raises(NotFound):
        coordination.write(cora.id, [lucie.id], "Bonjour", report_id=report.id)


def test_a_coordinator_no_longer_in_charge_is_blocked_like_any_member(pair):
    ruche, lucie, marc, offer = pair
    cora = factories.coordinator(ruche, display_name="Cora Coord")
    made = lifecycle.propose(marc.id, offer.id, message="Samedi ?", foreseen_minutes=60)
    lifecycle.accept(lucie.id, made.id)
    lifecycle.log_time(lucie.id, made.id, minutes=120)
    disputes.dispute(marc.id, made.id, "Une heure")
    (written,) = coordination.write(cora.id, [lucie.id], "Bonjour", exchange_id=made.id)
    blocks.block(lucie.id, cora.id)
    threads.reply(cora.id, written.id, "Toujours la coordination")  # still in charge
    membership = db.session.scalar(
        select(Membership).where(Membership.user_id == cora.id, Membership.space_id == ruche.id)
    )
    membership.role = "member"
    db.session.commit()
    with pytest.raises(Conflict):
        threads.reply(cora.id, written.id, "Plus coordinatrice")


def test_a_hidden_message_cannot_be_reported_again_nor_read_on_the_report_page(pair):
    ruche, lucie, marc, _offer = pair
    coordinator = factories.coordinator(ruche)
    conversation, _new = threads.start(marc.id, lucie.id, "Le message blessant")
    offending = db.session.scalar(select(Message).where(Message.conversation_id == conversation.id))
    reports.report_message(lucie.id, offending.id, "harassment")
    coordination.hide_message(coordinator.id, offending.id, "Propos blessants")
    with pytest.raises(NotFound):
        reports.report_message(lucie.id, offending.id, "spam")


def test_reading_marks_read_only_what_was_there_and_every_notice_of_it(pair):
    _ruche, lucie, marc, _offer = pair
    conversation, _new = threads.start(marc.id, lucie.id, "Un")
    me = _participant(lucie.id, conversation.id)
    seen = me.last_message_at
    threads.reply(marc.id, conversation.id, "Deux")  # arrives while the page is drawn
    notices.mark_read(lucie.id, conversation.id, seen=seen)
    db.session.commit()
    assert _participant(lucie.id, conversation.id).unread == 2  # nothing read that was unseen
    # A second notice left by two messages at once is read with the first.
    notifications.notify(
        lucie, "message_received", email=False, link=f"/messages/{conversation.id}"
    )
    db.session.commit()
    threads.read(lucie.id, conversation.id)
    assert [n.read_at is not None for n in _notices(lucie.id)] == [True, True]
    assert _participant(lucie.id, conversation.id).unread == 0


@pytest.mark.parametrize(
    "cursor",
    [
        "0001-01-01T00:00:00+01:00_1",
        "9999-12-31T23:59:59-01:00_1",
        "2026-12-01T10:00:00+00:00_99999999999999999999",
        "2026-12-01T10:00:00_1",
        "2026-13-99_x",
        "abc_1",
        "_",
    ],
)
def test_a_cursor_typed_by_hand_gives_the_first_page(pair, cursor):
    _ruche, lucie, marc, _offer = pair
    threads.start(marc.id, lucie.id, "Bonjour")
    assert [x.last.body for x in inbox.mine(lucie.id, after=cursor).lines] == ["Bonjour"]


def test_retention_keeps_every_reported_message_with_its_report_and_counts_unread_again(pair):
    ruche, lucie, marc, _offer = pair
    admin = factories.member("Ada Admin", admin=True)
    coordinator = factories.coordinator(ruche)
    conversation, _new = threads.start(marc.id, lucie.id, "Ancien, signalé puis classé")
    first = db.session.scalar(select(Message).where(Message.conversation_id == conversation.id))
    threads.reply(marc.id, conversation.id, "Ancien, jamais lu")
    threads.reply(marc.id, conversation.id, "Récent, jamais lu")
    report = reports.report_message(lucie.id, first.id, "spam")
    reports.dismiss(coordinator.id, report.id, "Rien de grave")
    for message in db.session.scalars(select(Message).where(Message.body.like("Ancien%"))):
        message.created_at = utcnow() - timedelta(days=40)
    db.session.commit()
    retention.set_days(admin.id, 30)
    assert retention.sweep() == 1
    db.session.expire_all()
    assert db.session.get(Report, report.id) is not None  # the moderation record stays
    assert _participant(lucie.id, conversation.id).unread == 2
