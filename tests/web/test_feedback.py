"""Feedback through its pages: who may write it (route by route), what each party sees before
and after both have written, the one reply, the summaries on cards and profiles, reports and
hidden comments, the notifications, and input that must change nothing.

Bob offers his help; Alice receives it. Alice is a member of La Ruche, Bob of Le Phare;
Carol (La Ruche) is a third member; each space has its coordinator, Le Quai's has nothing to do
with them; the admin belongs to no space.
"""

from __future__ import annotations

import hashlib
import itertools
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from exchange.services.exchanges import disputes, lifecycle
from exchange.services.reputation import feedback as feedback_service
from models import Exchange, Feedback, ModerationAction, Notification, Report, Space, User, db
from models.base import utcnow
from tests import factories


@dataclass
class Net:
    ruche: Space
    phare: Space
    alice: User  # receives the help
    bob: User  # gives it, on offers of his
    carol: User  # a third member, of Alice's space
    coord_a: User  # La Ruche's coordinator (Alice's space)
    coord_b: User  # Le Phare's coordinator (Bob's space)
    coord_c: User  # Le Quai's: neither party's
    admin: User

    def person(self, name: str) -> User | None:
        return None if name == "visitor" else getattr(self, name)


@pytest.fixture
def net(app) -> Net:
    s = factories.three_spaces()
    ruche, phare = s.ruche, s.phare
    alice = factories.member("Alice Martin", "alice@example.org")
    bob = factories.member("Bob Durand", "bob@example.org")
    carol = factories.member("Carol Tiers", "carol@example.org")
    factories.join(alice, ruche)
    factories.join(carol, ruche)
    factories.join(bob, phare)
    return Net(
        ruche=ruche,
        phare=phare,
        alice=alice,
        bob=bob,
        carol=carol,
        coord_a=s.coord_ruche,
        coord_b=s.coord_phare,
        coord_c=s.coord_quai,
        admin=s.admin,
    )


_titles = itertools.count(1)


def exchange_in(net: Net, state: str, title: str | None = None) -> Exchange:
    """An exchange on an offer of Bob's (skills #vélo, #réparation), answered by Alice,
    brought to `state` through the services: Alice logs the time, Bob confirms it."""
    title = title or f"Atelier vélo n°{next(_titles)}"
    offer = factories.listing(net.bob, net.phare, title, tags="#vélo, #réparation")
    made = lifecycle.propose(net.alice.id, offer.id, message="Jeudi ?", foreseen_minutes=60)
    if state == "declined":
        lifecycle.decline(net.bob.id, made.id, "Pas ce mois-ci")
    elif state == "cancelled":
        lifecycle.cancel(net.alice.id, made.id, "Empêchée")
    elif state != "proposed":
        lifecycle.accept(net.bob.id, made.id, "Avec plaisir")
        if state != "accepted":
            lifecycle.log_time(net.alice.id, made.id, minutes=90, note="Jeudi soir")
        if state == "expired":  # nobody confirmed the log in time
            assert lifecycle.expire_stale(now=utcnow() + timedelta(days=400)) == 1
        elif state in ("disputed", "resolved"):
            disputes.dispute(net.bob.id, made.id, "Une heure, pas une heure et demie")
            if state == "resolved":
                disputes.resolve(
                    net.coord_a.id, made.id, outcome="confirm", minutes=60, reason="Vu avec eux"
                )
        elif state == "confirmed":
            lifecycle.confirm(net.bob.id, made.id)
    db.session.expire_all()
    exchange = db.session.get(Exchange, made.id)
    assert exchange.effective_state == ("confirmed" if state == "resolved" else state)
    return exchange


def both_wrote(net: Net, exchange: Exchange) -> tuple[Feedback, Feedback]:
    """Alice's feedback on Bob and Bob's on Alice, both written: they show."""
    about_bob = feedback_service.write(
        net.alice.id,
        exchange.id,
        "recommends",
        "Bob explique avec patience.",
        [s.id for s in exchange.listing.skills if s.name == "vélo"],
    )
    about_alice = feedback_service.write(
        net.bob.id, exchange.id, "neutral", "Alice était à l'heure."
    )
    return about_bob, about_alice


def state() -> dict[str, str]:
    """A digest of every table (log-in sessions aside: the tests log in and out between two
    readings), read on a fresh connection: what "nothing changed" means."""
    digests = {}
    with db.engine.connect() as conn:
        for table in db.metadata.sorted_tables:
            if table.name == "login_sessions":
                continue
            rows = conn.execute(select(table).order_by(*table.primary_key.columns)).all()
            digests[table.name] = hashlib.sha256(
                repr([tuple(r) for r in rows]).encode()
            ).hexdigest()
    return digests


def log_in(auth, user: User | None) -> None:
    auth.logout()
    if user is not None:
        assert auth.login(user).status_code == 302


def path_of(response) -> str:
    assert response.status_code == 302, (response.status_code, response.text[:1000])
    return urlsplit(response.headers["Location"]).path


def followed(client, response) -> str:
    """The page a redirect leads to, with its flashed message."""
    return client.get(response.headers["Location"]).text


def rows(model, **where) -> list:
    db.session.expire_all()
    query = select(model)
    for key, value in where.items():
        query = query.where(getattr(model, key) == value)
    return list(db.session.scalars(query.order_by(model.id)))


def told(user: User, kind: str) -> list[Notification]:
    return rows(Notification, user_id=user.id, kind=kind)


# ------------------------------------------------------------------- 1. who may write, route by route

PEOPLE = ("visitor", "alice", "bob", "carol", "coord_a", "coord_b", "admin")
NOT_YET = ("proposed", "accepted", "done", "declined", "cancelled", "disputed", "expired")
WRITE = {"recommendation": "recommends", "comment": "Patient et clair."}
NOT_CONFIRMED = "Un retour ne peut être laissé qu'une fois l'échange confirmé."


def expected(exchange_state: str, who: str):
    """What the write page answers each person: the log-in page for a visitor; the form for
    the two parties of a confirmed exchange, else the exchange with why not; a 404 for anyone
    the exchange is hidden from; a 403 for the coordinators and admins who see a disputed
    exchange (to settle it) but never write about its parties."""
    if who == "visitor":
        return "login"
    if who in ("alice", "bob"):
        return "form" if exchange_state in ("confirmed", "resolved") else "refused"
    if who in ("coord_a", "coord_b", "admin") and exchange_state in ("disputed", "resolved"):
        return 403
    return 404


@pytest.mark.parametrize("who", PEOPLE)
@pytest.mark.parametrize("exchange_state", (*NOT_YET, "confirmed", "resolved"))
def test_only_the_two_parties_of_a_confirmed_exchange_reach_the_feedback_form(
    client, auth, net, exchange_state, who
):
    exchange = exchange_in(net, exchange_state)
    user = net.person(who)
    log_in(auth, user)
    url = f"/echanges/{exchange.id}/retour"
    outcome = expected(exchange_state, who)
    before = state()

    page = client.get(url)
    if outcome == "form":
        assert page.status_code == 200
        assert 'name="recommendation"' in page.text and 'name="comment"' in page.text
        # only who received the time confirms skills: those of the listing
        assert ('name="skills"' in page.text) == (who == "alice")
    elif outcome == "login":
        assert path_of(page) == "/connexion"
    elif outcome == "refused":
        assert path_of(page) == f"/echanges/{exchange.id}"
        assert NOT_CONFIRMED in followed(client, page)
    else:
        assert page.status_code == outcome
    assert state() == before, "opening the page wrote something"

    sent = client.post(url, data=WRITE)
    written = rows(Feedback, exchange_id=exchange.id)
    if outcome == "form":
        assert path_of(sent) == f"/echanges/{exchange.id}"
        assert "Merci : votre retour est enregistré." in followed(client, sent)
        (mine,) = written
        other = net.bob if who == "alice" else net.alice
        assert (mine.author_id, mine.subject_id) == (user.id, other.id)
        assert (mine.recommendation, mine.comment) == ("recommends", "Patient et clair.")
        assert len(told(other, "feedback_waiting")) == 1
        return
    if outcome == "login":
        assert path_of(sent) == "/connexion"
    elif outcome == "refused":
        assert path_of(sent) == f"/echanges/{exchange.id}"
        assert NOT_CONFIRMED in followed(client, sent)
    else:
        assert sent.status_code == outcome
    assert written == []
    assert state() == before, "a refused feedback wrote something"


def test_after_the_fourteen_days_the_form_is_refused_with_the_reason(client, auth, net):
    exchange = exchange_in(net, "confirmed")
    # Confirmed fifteen days ago: the page uses the real clock, so the confirmation moves back.
    exchange.closed_at = utcnow() - timedelta(days=15)
    db.session.commit()
    log_in(auth, net.alice)
    before = state()
    for method in ("GET", "POST"):
        response = client.open(f"/echanges/{exchange.id}/retour", method=method, data=WRITE)
        assert path_of(response) == f"/echanges/{exchange.id}"
        assert "Le délai de 14 jours pour laisser un retour sur cet échange est passé." in (
            followed(client, response)
        )
    assert state() == before
    page = client.get(f"/echanges/{exchange.id}").text
    assert "Le délai pour laisser un retour sur cet échange est passé." in page
    assert f'href="/echanges/{exchange.id}/retour"' not in page


def test_a_third_member_finds_no_way_to_write_one(client, auth, net):
    exchange = exchange_in(net, "confirmed")
    log_in(auth, net.carol)
    assert client.get(f"/echanges/{exchange.id}").status_code == 404
    for page in (f"/membres/{net.bob.id}", f"/membres/{net.bob.id}/retours", "/echanges"):
        assert f"/echanges/{exchange.id}/retour" not in client.get(page).text
    log_in(auth, net.alice)  # while a party is offered the way in, on the exchange and the list
    assert f'href="/echanges/{exchange.id}/retour"' in client.get(f"/echanges/{exchange.id}").text
    assert f'href="/echanges/{exchange.id}/retour"' in client.get("/echanges").text


# ------------------------------------------------------------------- 2. double-blind, through the pages


def test_each_sees_only_their_own_until_both_have_written_then_both_appear(client, auth, net):
    exchange = exchange_in(net, "confirmed", "Réglage des freins")
    url = f"/echanges/{exchange.id}/retour"
    about_bob, about_alice = "Bob explique avec patience.", "Alice était à l'heure."

    log_in(auth, net.alice)
    sent = client.post(url, data={"recommendation": "recommends", "comment": about_bob})
    assert path_of(sent) == f"/echanges/{exchange.id}"
    own = client.get(f"/echanges/{exchange.id}").text
    assert "Votre retour sur Bob Durand" in own and about_bob in own
    assert "visible par vous seul·e pour l'instant" in own
    # before Bob writes, Alice may still change hers: the same row, changed
    again = client.get(url)
    assert again.status_code == 200 and about_bob in again.text
    assert "Vous avez déjà écrit ce retour : vous pouvez encore le modifier." in again.text
    client.post(url, data={"recommendation": "recommends", "comment": about_bob + " Merci !"})
    about_bob += " Merci !"
    (written,) = rows(Feedback, exchange_id=exchange.id)
    assert written.comment == about_bob

    log_in(auth, net.bob)
    page = client.get(f"/echanges/{exchange.id}").text
    assert "Alice Martin a écrit son retour. Écrivez le vôtre pour voir les deux" in page
    assert about_bob not in page
    for hidden in (f"/membres/{net.bob.id}", f"/membres/{net.bob.id}/retours"):
        profile = client.get(hidden).text
        assert about_bob not in profile
        assert "pas encore de retour" in profile  # new here, not bad
    assert about_bob not in client.get(url).text  # nor on his own form

    sent = client.post(url, data={"recommendation": "neutral", "comment": about_alice})
    assert path_of(sent) == f"/echanges/{exchange.id}"
    page = client.get(f"/echanges/{exchange.id}").text
    assert about_bob in page and about_alice in page
    assert "Les deux retours sont visibles, ici et sur vos profils." in page

    for viewer in (net.alice, net.bob, net.carol, None):
        log_in(auth, viewer)
        for subject, comment, other in (
            (net.bob, about_bob, about_alice),
            (net.alice, about_alice, about_bob),
        ):
            for where in (f"/membres/{subject.id}", f"/membres/{subject.id}/retours"):
                text = client.get(where).text
                assert comment in text, (viewer, where)
                assert other not in text, (viewer, where)  # each on the profile it is about

    log_in(auth, net.alice)
    before = state()
    for method in ("GET", "POST"):
        response = client.open(url, method=method, data={**WRITE, "comment": "Changé"})
        assert path_of(response) == f"/echanges/{exchange.id}"
        assert "Votre retour est publié : il ne peut plus être modifié." in followed(
            client, response
        )
    assert state() == before
    assert f'href="{url}"' not in client.get(f"/echanges/{exchange.id}").text


def test_the_member_reviewed_replies_once_under_the_feedback(client, auth, net):
    about_bob, _about_alice = both_wrote(net, exchange_in(net, "confirmed"))
    url = f"/retours/{about_bob.id}/repondre"

    for stranger in (net.alice, net.carol, net.coord_b, net.admin):  # only Bob may answer it
        log_in(auth, stranger)
        before = state()
        assert client.post(url, data={"text": "Pas à moi de répondre"}).status_code == 403
        assert state() == before

    log_in(auth, net.bob)
    profile = client.get(f"/membres/{net.bob.id}").text
    assert f'action="{url}"' in profile and "Répondre publiquement" in profile
    first = client.post(url, data={"text": "Merci Alice, à bientôt !"})
    assert path_of(first) == f"/membres/{net.bob.id}/retours"
    assert "Votre réponse est publiée sous le retour." in followed(client, first)
    second = client.post(url, data={"text": "Et encore merci"})
    assert path_of(second) == f"/membres/{net.bob.id}/retours"
    assert "Vous avez déjà répondu à ce retour." in followed(client, second)
    (item,) = rows(Feedback, id=about_bob.id)
    assert item.reply == "Merci Alice, à bientôt !"
    assert len(told(net.alice, "feedback_replied")) == 1

    log_in(auth, None)
    for where in (f"/membres/{net.bob.id}", f"/membres/{net.bob.id}/retours"):
        text = client.get(where).text
        entry = text.split(f'id="retour-{about_bob.id}"', 1)[1].split("</li>", 1)[0]
        assert "Bob Durand a répondu :" in entry and "Merci Alice, à bientôt !" in entry
        assert "Et encore merci" not in text
        assert f'action="{url}"' not in text


def test_a_feedback_still_blind_cannot_be_answered(client, auth, net):
    exchange = exchange_in(net, "confirmed")
    blind = feedback_service.write(net.alice.id, exchange.id, "recommends", "En attente")
    log_in(auth, net.bob)
    before = state()
    assert client.post(f"/retours/{blind.id}/repondre", data={"text": "Déjà ?"}).status_code == 404
    assert state() == before


# ------------------------------------------------------------------- 3. the summaries


def card_of(page: str, title: str) -> str:
    """The listing card (or the listing page's head) that carries this title."""
    for article in page.split("<article")[1:]:
        if title in article:
            return article.split("</article>", 1)[0]
    raise AssertionError(f"no card for {title}")


def test_cards_and_the_listing_page_carry_the_authors_record(client, auth, net):
    exchange = exchange_in(net, "confirmed", "Réparation de crevaisons")
    newcomer_offer = factories.listing(net.carol, net.ruche, "Cours de tricot")

    listing_page = client.get(f"/annonces/{exchange.listing_id}").text
    assert "1 échange confirmé · pas encore de retour" in listing_page
    search = client.get("/annonces").text
    assert "Nouveau membre" in card_of(search, "Cours de tricot")
    assert "1 échange confirmé · pas encore de retour" in card_of(
        search, "Réparation de crevaisons"
    )

    both_wrote(net, exchange)
    search = client.get("/annonces").text
    line = "Recommandé·e par 1 membre · 1 échange confirmé"
    assert line in card_of(search, "Réparation de crevaisons")
    assert "Nouveau membre" in card_of(search, "Cours de tricot")
    assert line in client.get(f"/annonces/{exchange.listing_id}").text
    assert "Nouveau membre" in client.get(f"/annonces/{newcomer_offer.id}").text


def test_the_profile_counts_voices_exchanges_and_confirmed_skills(client, auth, net):
    first = exchange_in(net, "confirmed")
    both_wrote(net, first)  # Alice recommends Bob and confirms #vélo
    second = exchange_in(net, "confirmed")  # the same counterpart again: still one voice
    feedback_service.write(net.alice.id, second.id, "neutral", "Un peu pressé cette fois.")
    feedback_service.write(net.bob.id, second.id, "recommends", "")

    profile = client.get(f"/membres/{net.bob.id}").text
    counts = profile.split('class="rep-counts"', 1)[1].split("</dl>", 1)[0]
    # one voice, by its latest feedback (neutral), over two confirmed exchanges
    for label, number in (
        ("Recommandent", 0),
        ("Neutres", 1),
        ("Ne recommandent pas", 0),
        ("Échanges confirmés", 2),
    ):
        assert f"<dt>{label}</dt><dd>{number}</dd>" in counts, label
    assert "D'après 1 membre qui a échangé avec Bob Durand." in profile
    skills = profile.split('class="plain confirmed-skills"', 1)[1].split("</ul>", 1)[0]
    assert "vélo" in skills and "1 membre en témoigne" in skills
    assert "réparation" not in skills  # not ticked

    carol = client.get(f"/membres/{net.carol.id}").text
    assert "pas encore d'échange confirmé, donc pas encore de retour" in carol
    assert 'class="rep-counts"' not in carol


# ------------------------------------------------------------------- 5. reports and hidden comments


def test_a_feedback_is_reported_by_others_but_never_by_its_author_nor_while_blind(
    client, auth, net
):
    about_bob, _about_alice = both_wrote(net, exchange_in(net, "confirmed"))
    blind = feedback_service.write(net.alice.id, exchange_in(net, "confirmed").id, "neutral", "")
    url = f"/retours/{about_bob.id}/signaler"

    log_in(auth, net.alice)
    before = state()
    assert client.get(url).status_code == 403
    assert client.post(url, data={"reason": "spam"}).status_code == 403
    log_in(auth, net.carol)
    assert client.get(f"/retours/{blind.id}/signaler").status_code == 404
    assert client.post(f"/retours/{blind.id}/signaler", data={"reason": "spam"}).status_code == 404
    assert state() == before

    form = client.get(url)
    assert form.status_code == 200 and 'name="reason"' in form.text
    sent = client.post(url, data={"reason": "misleading", "text": "Ce n'est pas arrivé."})
    assert path_of(sent) == f"/membres/{net.bob.id}/retours"
    assert "Merci : votre signalement a bien été reçu." in followed(client, sent)
    (report,) = rows(Report, feedback_id=about_bob.id)
    assert (report.reporter_id, report.reason, report.status) == (
        net.carol.id,
        "misleading",
        "open",
    )
    assert rows(ModerationAction) == []  # a report is no coordinator's act

    log_in(auth, net.coord_b)
    desk = client.get("/moderation").text
    assert "laissé par Alice Martin sur Bob Durand" in desk
    assert f'action="/moderation/retours/{about_bob.id}/masquer"' in desk
    log_in(auth, net.coord_c)  # neither party's space
    desk = client.get("/moderation").text
    assert "laissé par Alice Martin sur Bob Durand" not in desk


def test_a_coordinator_hides_the_comment_with_a_reason_and_the_recommendation_stays(
    client, auth, net
):
    about_bob, _about_alice = both_wrote(net, exchange_in(net, "confirmed"))
    comment = "Bob explique avec patience."
    hide = f"/moderation/retours/{about_bob.id}/masquer"
    restore = f"/moderation/retours/{about_bob.id}/retablir"
    act = {"reason": "Propos sur une tierce personne", "part": "comment"}
    log_in(auth, net.carol)
    client.post(f"/retours/{about_bob.id}/signaler", data={"reason": "inappropriate"})

    for refused in (net.alice, net.bob, net.carol, net.coord_c):  # parties, members, outsiders
        log_in(auth, refused)
        before = state()
        assert client.post(hide, data=act).status_code == 403
        assert state() == before

    log_in(auth, net.coord_b)
    before = state()
    sent = client.post(
        hide, data={"reason": "  ", "part": "comment", "next": f"/membres/{net.bob.id}"}
    )
    assert path_of(sent) == f"/membres/{net.bob.id}"
    assert "Dites pourquoi : la personne qui l'a écrit le recevra." in followed(client, sent)
    assert state() == before

    sent = client.post(hide, data={**act, "next": f"/membres/{net.bob.id}"})
    assert path_of(sent) == f"/membres/{net.bob.id}"
    assert "Texte masqué. La personne qui l'a écrit en est prévenue." in followed(client, sent)
    (item,) = rows(Feedback, id=about_bob.id)
    assert item.comment_hidden_reason == act["reason"] and item.comment == comment  # not erased
    (hidden,) = rows(ModerationAction, action="feedback_hidden")
    assert (hidden.actor_id, hidden.reason, hidden.target_type, hidden.target_id) == (
        net.coord_b.id,
        act["reason"],
        "feedback",
        about_bob.id,
    )
    assert (hidden.subject_user_id, hidden.space_id) == (net.alice.id, net.phare.id)
    (note,) = told(net.alice, "feedback_hidden")
    assert note.data["reason"] == act["reason"]
    assert rows(Report, feedback_id=about_bob.id)[0].status == "actioned"

    for viewer in (None, net.carol, net.bob):
        log_in(auth, viewer)
        for where in (f"/membres/{net.bob.id}", f"/membres/{net.bob.id}/retours"):
            page = client.get(where).text
            assert "Commentaire masqué par la coordination." in page
            assert comment not in page
            entry = page.split(f'id="retour-{about_bob.id}"', 1)[1].split("</li>", 1)[0]
            assert "recommande" in entry  # the recommendation itself stays
        assert "<dt>Recommandent</dt><dd>1</dd>" in client.get(f"/membres/{net.bob.id}").text

    for refused in (net.alice, net.bob, net.coord_c):
        log_in(auth, refused)
        before = state()
        assert client.post(restore, data={"reason": "", "part": "comment"}).status_code == 403
        assert state() == before

    log_in(auth, net.coord_a)  # the author's space's coordinator may act too
    sent = client.post(restore, data={"reason": "Relu, rien de blessant", "part": "comment"})
    assert path_of(sent) == "/moderation"
    assert "Texte rétabli." in followed(client, sent)
    (restored,) = rows(ModerationAction, action="feedback_restored")
    assert (restored.actor_id, restored.reason, restored.target_id) == (
        net.coord_a.id,
        "Relu, rien de blessant",
        about_bob.id,
    )
    assert told(net.alice, "feedback_restored")
    log_in(auth, None)
    page = client.get(f"/membres/{net.bob.id}").text
    assert comment in page and "Commentaire masqué par la coordination." not in page


def test_a_reply_is_hidden_on_its_own(client, auth, net):
    about_bob, _about_alice = both_wrote(net, exchange_in(net, "confirmed"))
    feedback_service.reply(net.bob.id, about_bob.id, "Réponse hors sujet")
    log_in(auth, net.admin)
    sent = client.post(
        f"/moderation/retours/{about_bob.id}/masquer",
        data={"reason": "Hors sujet", "part": "reply"},
    )
    assert path_of(sent) == "/moderation"
    (item,) = rows(Feedback, id=about_bob.id)
    assert item.reply_hidden_at is not None and item.comment_hidden_at is None
    assert told(net.bob, "feedback_hidden")  # who wrote the reply is told
    log_in(auth, None)
    page = client.get(f"/membres/{net.bob.id}").text
    assert "Réponse masquée par la coordination." in page and "Réponse hors sujet" not in page
    assert "Bob explique avec patience." in page


# ------------------------------------------------------------------- 6. the notifications


def test_the_notifications_say_a_feedback_waits_then_that_both_show(client, auth, net):
    exchange = exchange_in(net, "confirmed", "Réglage des freins")
    log_in(auth, net.alice)
    client.post(f"/echanges/{exchange.id}/retour", data=WRITE)
    log_in(auth, net.bob)
    waiting = (
        "Alice Martin a laissé un retour sur l'échange « Réglage des freins ». "
        "Écrivez le vôtre pour voir les deux"
    )
    assert waiting in client.get("/notifications").text
    client.post(f"/echanges/{exchange.id}/retour", data={"recommendation": "recommends"})
    for party, other in ((net.bob, "Alice Martin"), (net.alice, "Bob Durand")):
        log_in(auth, party)
        page = client.get("/notifications").text
        assert (
            f"Les retours sur l'échange « Réglage des freins » avec {other} sont maintenant visibles."
            in page
        )
    log_in(auth, net.alice)
    assert waiting not in client.get("/notifications").text  # the author is never told to wait


# ------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("author", "data"),
    [
        ("alice", {"recommendation": "zzz", "comment": "x"}),
        ("alice", {"recommendation": "", "comment": "x"}),
        ("alice", {"comment": "sans réponse"}),
        ("alice", {"recommendation": "recommends", "skills": ["abc"]}),
        ("alice", {"recommendation": "recommends", "skills": ["999999"]}),
        ("alice", {"recommendation": "recommends", "skills": ["-1"]}),
        ("alice", {"recommendation": "recommends", "skills": [str(2**70)]}),
        ("alice", {"recommendation": "recommends", "comment": "x" * 5000}),
        ("bob", {"recommendation": "recommends", "skills": ["{velo}"]}),  # gave the time: none
    ],
    ids=[
        "unknown recommendation",
        "empty recommendation",
        "no recommendation",
        "skill not a number",
        "unknown skill",
        "negative skill",
        "huge skill",
        "5000-char comment",
        "skill confirmed by the provider",
    ],
)
def test_a_feedback_form_sent_wrong_is_shown_again_and_writes_nothing(
    client, auth, net, author, data
):
    exchange = exchange_in(net, "confirmed")
    velo = next(s.id for s in exchange.listing.skills if s.name == "vélo")
    data = {
        k: [v.replace("{velo}", str(velo)) for v in value] if isinstance(value, list) else value
        for k, value in data.items()
    }
    log_in(auth, getattr(net, author))
    before = state()
    response = client.post(f"/echanges/{exchange.id}/retour", data=data)
    assert response.status_code == 400
    assert 'name="recommendation"' in response.text  # the form again, with what went wrong
    assert state() == before


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("", id="empty"),
        pytest.param("   ", id="blank"),
        pytest.param("x" * 5000, id="5000 chars"),
    ],
)
def test_a_reply_sent_wrong_is_refused_with_a_message(client, auth, net, text):
    about_bob, _about_alice = both_wrote(net, exchange_in(net, "confirmed"))
    log_in(auth, net.bob)
    before = state()
    response = client.post(f"/retours/{about_bob.id}/repondre", data={"text": text})
    assert path_of(response) == f"/membres/{net.bob.id}/retours"
    assert 'class="flash flash-error"' in followed(client, response)
    assert state() == before


def test_hiding_an_unknown_part_of_a_feedback_changes_nothing(client, auth, net):
    about_bob, _about_alice = both_wrote(net, exchange_in(net, "confirmed"))
    log_in(auth, net.coord_b)
    before = state()
    response = client.post(
        f"/moderation/retours/{about_bob.id}/masquer", data={"reason": "Test", "part": "evil"}
    )
    assert response.status_code < 500
    assert state() == before


@pytest.mark.parametrize("feedback_id", ["0", "-1", "2147483648", "99999999999", str(10**30)])
def test_an_unknown_or_impossible_feedback_address_is_a_404_and_changes_nothing(
    client, auth, net, feedback_id
):
    both_wrote(net, exchange_in(net, "confirmed"))
    log_in(auth, net.coord_b)
    before = state()
    for method, path, data in (
        ("GET", f"/retours/{feedback_id}/signaler", None),
        ("POST", f"/retours/{feedback_id}/signaler", {"reason": "spam"}),
        ("POST", f"/retours/{feedback_id}/repondre", {"text": "Bonjour"}),
        ("POST", f"/moderation/retours/{feedback_id}/masquer", {"reason": "Test"}),
        ("POST", f"/moderation/retours/{feedback_id}/retablir", {"reason": "Test"}),
        ("GET", f"/echanges/{feedback_id}/retour", None),
        ("POST", f"/echanges/{feedback_id}/retour", WRITE),
        ("GET", f"/membres/{feedback_id}/retours", None),
    ):
        response = client.open(path, method=method, data=data)
        assert response.status_code == 404, (method, path, response.status_code)
    assert state() == before


def test_a_page_number_out_of_range_still_shows_the_feedback(client, net):
    both_wrote(net, exchange_in(net, "confirmed"))
    for query in ("?page=0", "?page=-3", "?page=abc", "?page=99999999999", "?page=2"):
        page = client.get(f"/membres/{net.bob.id}/retours{query}")
        assert page.status_code == 200 and "Bob explique avec patience." in page.text


# ------------------------------------------------------------------- English


def test_the_feedback_pages_render_in_english(client, auth, net):
    """Only that they render: the wording is the translations test's (tests/unit)."""
    _, about_alice = both_wrote(net, exchange_in(net, "confirmed"))
    pending = exchange_in(net, "confirmed")
    feedback_service.write(net.bob.id, pending.id, "recommends", "")  # one that waits for Alice
    feedback_service.reply(net.alice.id, about_alice.id, "Merci Bob")
    log_in(auth, net.carol)
    client.post(f"/retours/{about_alice.id}/signaler", data={"reason": "other", "text": "?"})
    for person, pages in (
        (
            net.alice,
            (
                f"/membres/{net.bob.id}",
                f"/membres/{net.bob.id}/retours",
                f"/membres/{net.alice.id}",
                f"/membres/{net.carol.id}",
                f"/echanges/{pending.id}/retour",
                f"/echanges/{pending.id}",
                f"/membres/{net.alice.id}/retours",
                "/annonces",
                "/echanges",
                "/notifications",
            ),
        ),
        (net.carol, (f"/retours/{about_alice.id}/signaler",)),
        (net.coord_a, ("/moderation", f"/membres/{net.alice.id}")),
    ):
        log_in(auth, person)
        client.get("/?lang=en")  # the language switch, remembered from here on
        for where in pages:
            page = client.get(where)
            assert page.status_code == 200, where
            assert '<html lang="en">' in page.text, where
