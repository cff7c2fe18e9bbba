"""Each member chooses how they are told, topic by topic: what they turn off never reaches
them, what they keep in the site sends no email, and what touches their time, their money or
a decision about them stays at least in the site."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from exchange.services.community import accounts
from exchange.services.conversations import threads
from exchange.services.errors import InvalidInput
from exchange.services.exchanges import lifecycle
from exchange.services.ledger import gifts
from exchange.services.notify import preferences, texts
from models import Notification, db
from tests import factories


def _told(user, kind: str) -> int:
    db.session.expire_all()
    query = select(Notification).where(Notification.user_id == user.id, Notification.kind == kind)
    return len(db.session.scalars(query).all())


def _mailed(outbox, user) -> int:
    return len([m for m in outbox if m["To"] == user.email])


def test_by_default_everything_is_in_the_site_and_by_email(app, outbox):
    _ruche, lucie, marc, offer = factories.offer_and_neighbour()
    lifecycle.propose(marc.id, offer.id, message="Samedi ?", foreseen_minutes=60)
    assert _told(lucie, "exchange_proposed") == 1 and _mailed(outbox, lucie) == 1


def test_kept_in_the_site_sends_no_email_and_off_records_nothing(app, outbox):
    _ruche, lucie, marc, offer = factories.offer_and_neighbour()
    preferences.save(lucie.id, {"waiting": preferences.SITE, "messages": preferences.OFF})
    lifecycle.propose(marc.id, offer.id, message="Samedi ?", foreseen_minutes=60)
    assert _told(lucie, "exchange_proposed") == 1 and _mailed(outbox, lucie) == 0
    conversation, _new = threads.start(marc.id, lucie.id, "Bonjour")
    assert _told(lucie, "message_received") == 0 and _mailed(outbox, lucie) == 0
    # The conversation itself still waits in the list, counted.
    assert threads.get_for(lucie.id, conversation.id)[1].unread == 1


def test_what_touches_time_money_or_a_decision_stays_at_least_in_the_site(app, outbox):
    _ruche, lucie, marc, _offer = factories.offer_and_neighbour()
    for topic in ("ledger", "moderation"):
        with pytest.raises(InvalidInput) as refused:
            preferences.save(lucie.id, {topic: preferences.OFF})
        assert refused.value.field == topic
    preferences.save(lucie.id, {"ledger": preferences.SITE})
    gifts.give(marc.id, minutes=30, message="Merci", to_member_id=lucie.id)
    assert _told(lucie, "gift_received") == 1 and _mailed(outbox, lucie) == 0
    # A choice stored by hand that a topic does not allow reads as its default.
    lucie.notification_channels = {"ledger": preferences.OFF}
    db.session.commit()
    assert preferences.channel_for(lucie, "gift_received") == preferences.EMAIL


def test_every_kind_of_notification_has_its_topic():
    known = set(texts.GENERIC_EMAILS) | {
        "join_approved",
        "join_declined",
        "join_requested",
        "coordinator_named",
        "coordinator_removed",
        "listing_to_approve",
        "report_received",
        "report_filed",
        "report_handled",
        "listing_hidden",
        "listing_restored",
        "listing_approved",
        "edit_requested",
        "member_suspended",
        "member_reinstated",
        "message_received",
    }
    assert known - set(preferences.KIND_TOPIC) == set()


def test_a_notifications_email_says_why_and_unsubscribes_in_one_click(app, make_app, outbox):
    """RFC 8058: the headers a mail client uses, and a POST that works without logging in and
    without the site's CSRF token, turning that topic's emails off (kept in the site)."""
    _ruche, lucie, marc, offer = factories.offer_and_neighbour()
    lifecycle.propose(marc.id, offer.id, message="Samedi ?", foreseen_minutes=60)
    (sent,) = [m for m in outbox if m["To"] == lucie.email]
    assert sent["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = sent["List-Unsubscribe"].strip("<>")
    text = sent.get_content()
    assert link in text and "/compte/notifications" in text
    assert "Ce qui attend ma réponse" in text  # why it came
    path = "/" + link.split("/", 3)[3]
    strict = make_app(WTF_CSRF_ENABLED=True).test_client()  # the real app's CSRF check on
    assert strict.get(path).status_code == 200  # a mail scanner's GET changes nothing
    db.session.expire_all()
    assert preferences.channel_for(lucie, "exchange_proposed") == preferences.EMAIL
    response = strict.post(path, data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    db.session.expire_all()
    assert preferences.channel_for(lucie, "exchange_proposed") == preferences.SITE
    outbox.clear()
    lifecycle.propose(
        marc.id,
        factories.listing(lucie, _ruche, "Autre offre").id,
        message="Et ça ?",
        foreseen_minutes=30,
    )
    assert _mailed(outbox, lucie) == 0 and _told(lucie, "exchange_proposed") == 2
    assert strict.post(path[:-3] + "xyz").status_code == 404  # altered: nothing
    # An email that is not a notification (a password reset) has no such link.
    outbox.clear()
    accounts.request_password_reset(lucie.email)
    (reset,) = outbox
    assert reset["List-Unsubscribe"] is None
