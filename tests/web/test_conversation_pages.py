"""The conversation pages as members use them: asking about a listing, answering, the header's
count, markdown made safe, the exchange's own thread, blocks in words, the day's limit of new
conversations (in Redis when there is one), and the coordinators' view of a reported message."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select

from exchange.services.conversations import blocks, exchange_threads, threads
from exchange.services.exchanges import disputes, lifecycle
from exchange.services.moderation import reports
from models import Message, db
from tests import factories
from tests.querycount import queries_of
from tests.web.test_rate_limit import REDIS_URL, redis_client  # noqa: F401  (a fixture)


@pytest.fixture
def people(app):
    return factories.offer_and_neighbour()


def _login(client, user):
    assert (
        client.post(
            "/connexion", data={"email": user.email, "password": factories.PASSWORD}
        ).status_code
        == 302
    )


def test_a_visitor_is_asked_to_log_in_before_asking_a_question(client, people):
    _ruche, _lucie, _marc, offer = people
    page = client.get(f"/annonces/{offer.id}")
    assert f'href="/annonces/{offer.id}/question"' in page.text
    asked = client.get(f"/annonces/{offer.id}/question")
    assert asked.status_code == 302 and "/connexion" in asked.headers["Location"]
    assert client.get("/messages").status_code == 302


def test_asking_then_answering_with_markdown_made_safe_and_the_header_counting(app, client, people):
    _ruche, lucie, marc, offer = people
    _login(client, marc)
    sent = client.post(
        f"/annonces/{offer.id}/question",
        data={"body": "Vous avez **une pompe** ?\r\n<script>alert(1)</script>"},
    )
    assert sent.status_code == 302
    conversation_path = sent.headers["Location"].split("#")[0]
    page = client.get(conversation_path)
    assert "<strong>une pompe</strong>" in page.text
    raw = page.get_data(as_text=True)  # `.text` decodes entities, as a reader sees them
    assert "<script>alert(1)" not in raw and "&lt;script&gt;alert(1)" in raw
    assert "Réparer un vélo" in page.text
    # The asker may propose the exchange from here, on that listing.
    assert f'href="/annonces/{offer.id}/proposer"' in page.text
    client.post("/deconnexion")

    _login(client, lucie)
    home = client.get("/")
    assert 'aria-label="1 conversation non lue"' in home.text
    listed = client.get("/messages")
    assert "Marc Question" in listed.text and "1 non lu" in listed.text
    page = client.get(conversation_path)
    assert f'href="/annonces/{offer.id}/proposer"' not in page.text  # her own listing
    assert 'aria-label="1 conversation non lue"' not in page.text  # read now
    answered = client.post(conversation_path + "/repondre", data={"body": "Oui, passez jeudi."})
    assert answered.status_code == 302
    assert db.session.scalar(select(Message.body).order_by(Message.id.desc()).limit(1)) == (
        "Oui, passez jeudi."
    )


def test_an_empty_message_is_said_beside_the_field_and_changes_nothing(client, people):
    _ruche, lucie, marc, _offer = people
    _login(client, marc)
    refused = client.post(f"/membres/{lucie.id}/ecrire", data={"body": "\r\n  "})
    assert refused.status_code == 400
    assert "Écrivez votre message." in refused.text
    assert db.session.scalar(select(Message.id)) is None


def test_a_blocked_member_is_told_only_that_the_message_does_not_reach(client, people):
    _ruche, lucie, marc, _offer = people
    blocks.block(lucie.id, marc.id)
    _login(client, marc)
    refused = client.post(f"/membres/{lucie.id}/ecrire", data={"body": "Bonjour ?"})
    assert refused.status_code == 400
    assert "Cette personne ne reçoit pas vos messages." in refused.text
    assert "bloqué" not in refused.text


def test_blocking_from_the_profile(client, people):
    _ruche, lucie, marc, _offer = people
    _login(client, lucie)
    profile = client.get(f"/membres/{marc.id}")
    assert f'action="/membres/{marc.id}/bloquer"' in profile.text
    assert client.post(f"/membres/{marc.id}/bloquer").status_code == 302
    profile = client.get(f"/membres/{marc.id}")
    assert f'action="/membres/{marc.id}/debloquer"' in profile.text
    assert f'href="/membres/{marc.id}/ecrire"' not in profile.text


def _disputed(people):
    _ruche, lucie, marc, offer = people
    made = lifecycle.propose(marc.id, offer.id, message="Samedi ?", foreseen_minutes=60)
    lifecycle.accept(lucie.id, made.id)
    exchange_threads.on_exchange(marc.id, made.id, "Je sonne au 2e étage ?")
    lifecycle.log_time(lucie.id, made.id, minutes=120)
    disputes.dispute(marc.id, made.id, "Nous avions dit une heure")
    return made


def test_the_exchange_page_shows_its_thread_to_its_parties_only(client, people):
    ruche, lucie, _marc, _offer = people
    made = _disputed(people)
    coordinator = factories.coordinator(ruche)
    _login(client, lucie)
    page = client.get(f"/echanges/{made.id}")
    assert "Je sonne au 2e étage ?" in page.text
    assert "Proposition" in page.text or "Historique" in page.text  # its history stays
    client.post("/deconnexion")
    _login(client, coordinator)
    page = client.get(f"/echanges/{made.id}")
    assert page.status_code == 200  # the dispute is the coordination's
    assert "Je sonne au 2e étage ?" not in page.text
    assert f'href="/echanges/{made.id}/coordination"' in page.text


def test_the_desk_shows_a_reported_message_and_the_one_before_it_only(client, people):
    ruche, lucie, marc, _offer = people
    coordinator = factories.coordinator(ruche)
    conversation, _new = threads.start(marc.id, lucie.id, "Tout début, privé")
    threads.reply(lucie.id, conversation.id, "Réponse de Lucie")
    offending = threads.reply(marc.id, conversation.id, "Le message blessant")
    reports.report_message(lucie.id, offending.id, "harassment")
    _login(client, coordinator)
    desk = client.get("/moderation")
    assert "Le message blessant" in desk.text and "Réponse de Lucie" in desk.text
    assert "Tout début, privé" not in desk.text
    assert client.get(f"/messages/{conversation.id}").status_code == 404


def test_the_list_of_my_conversations_costs_the_same_queries_for_three_or_thirty(client, people):
    _ruche, lucie, _marc, _offer = people
    for n in range(3):
        threads.start(factories.member(f"Voisin {n}").id, lucie.id, f"Message {n}")
    _login(client, lucie)
    few = queries_of(client, "/messages")
    for n in range(3, 30):
        threads.start(factories.member(f"Voisin {n}").id, lucie.id, f"Message {n}")
    many = queries_of(client, "/messages")
    assert many.count == few.count, str(many)


def _limited(make_app, **storage):
    return make_app(RATELIMIT_ENABLED=True, CONVERSATIONS_PER_DAY="2 per day", **storage)


def _new_conversations(app, client, writer, count: int) -> list[int]:
    statuses = []
    for n in range(count):
        other = factories.member(f"Destinataire {uuid.uuid4().hex[:6]}")
        statuses.append(client.post(f"/membres/{other.id}/ecrire", data={"body": f"n° {n}"}))
    return [s.status_code for s in statuses]


def test_new_conversations_a_day_are_limited_answers_are_not(make_app, people):
    _ruche, lucie, marc, _offer = people
    limited = _limited(make_app)
    client = limited.test_client()
    with limited.app_context():
        _login(client, marc)
        first = client.post(f"/membres/{lucie.id}/ecrire", data={"body": "Bonjour"})
        conversation = first.headers["Location"].split("#")[0]
        # Writing again from the profile goes on in the same conversation: not counted.
        for n in range(3):
            again = client.post(f"/membres/{lucie.id}/ecrire", data={"body": f"Encore {n}"})
            assert again.status_code == 302
            assert client.post(conversation + "/repondre", data={"body": "Et"}).status_code == 302
        statuses = _new_conversations(limited, client, marc, 2)
        assert statuses == [302, 429]
        refused = client.post(f"/membres/{factories.member('Zoé').id}/ecrire", data={"body": "x"})
        assert refused.status_code == 429
        assert "beaucoup de conversations aujourd'hui" in refused.text


def test_the_day_limit_holds_across_workers_sharing_redis(make_app, people, redis_client):  # noqa: F811
    _ruche, _lucie, marc, _offer = people
    storage = {"RATELIMIT_STORAGE_URI": REDIS_URL, "RATELIMIT_KEY_PREFIX": uuid.uuid4().hex}
    one, two = _limited(make_app, **storage), _limited(make_app, **storage)
    first, second = one.test_client(), two.test_client()
    with one.app_context():
        _login(first, marc)
        _login(second, marc)
        assert _new_conversations(one, first, marc, 1) == [302]
        assert _new_conversations(two, second, marc, 2) == [302, 429]


def test_a_conversation_read_with_few_or_many_unread_runs_the_same_queries(client, people):
    _ruche, lucie, marc, _offer = people
    conversation, _new = threads.start(marc.id, lucie.id, "Premier")
    _login(client, lucie)

    def unread_page(count: int):
        for n in range(count):
            threads.reply(marc.id, conversation.id, f"Message {n}")
        return queries_of(client, f"/messages/{conversation.id}")

    few, many = unread_page(3), unread_page(25)
    assert many.count == few.count, str(many)


def test_asking_again_on_a_listing_opens_the_conversation_already_there(client, people):
    _ruche, lucie, marc, offer = people
    conversation, _new = threads.start(marc.id, lucie.id, "Premier", listing_id=offer.id)
    _login(client, marc)
    again = client.get(f"/annonces/{offer.id}/question")
    assert again.status_code == 302
    assert again.headers["Location"].startswith(f"/messages/{conversation.id}")
