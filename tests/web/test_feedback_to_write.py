"""The feedback a member still owes: the ten whose window closes first on /echanges, all of
them a page at a time on their own page, each with its deadline, read in SQL whatever the
member's history (a busy member closes hundreds of exchanges in 14 days)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from exchange.feedback import routes as feedback_routes
from exchange.services.paging import Window
from exchange.services.reputation import feedback
from models import db
from models.base import utcnow
from tests import factories
from tests.budget_data import confirmed_exchange


@pytest.fixture
def owed(app, auth):
    """Alice received 14 confirmed helps, "Aide 0" closing first: she wrote about one, the
    window of another has closed, and Paul 3 has written his about her on "Aide 3"."""
    space = factories.space("La Ruche")
    alice = factories.member("Alice Martin")
    factories.join(alice, space)
    made = []
    for i in range(14):
        provider = factories.member(f"Paul {i}")
        factories.join(provider, space)
        offer = factories.listing(provider, space, f"Aide {i}")
        made.append(confirmed_exchange(provider, alice, offer))
    now = utcnow()
    for i, ex in enumerate(made):
        ex.closed_at = now - timedelta(days=13) + timedelta(hours=i)
    made[13].closed_at = now - timedelta(days=15)  # its window has closed
    db.session.commit()
    feedback.write(alice.id, made[5].id, "recommends", "Merci")
    feedback.write(made[3].provider_id, made[3].id, "recommends", "Ravi")
    auth.login(alice)
    return made


def _titles(html: str) -> list[str]:
    section = html.split('class="plain exchange-list feedback-todo"')[1].split("</ul>")[0]
    return re.findall(r"<strong>(Aide \d+)</strong>", section)


def test_my_exchanges_show_the_ten_closing_first_and_lead_to_the_rest(client, owed):
    page = client.get("/echanges")
    assert page.status_code == 200
    assert _titles(page.text) == [f"Aide {i}" for i in (0, 1, 2, 3, 4, 6, 7, 8, 9, 10)]
    assert re.search(r'Retours à écrire <span class="badge">12</span>', page.text)
    assert "Voir les 12 retours à écrire" in page.text
    assert "Paul 3 a écrit le sien" in page.text


def test_every_owed_feedback_has_its_page_soonest_deadline_first(client, owed, monkeypatch):
    everything = client.get("/echanges/retours-a-ecrire")
    assert everything.status_code == 200
    expected = [f"Aide {i}" for i in (0, 1, 2, 3, 4, 6, 7, 8, 9, 10, 11, 12)]
    assert _titles(everything.text) == expected
    assert "Paul 3 a écrit le sien" in everything.text
    monkeypatch.setattr(feedback_routes, "PER_PAGE", 5)
    third = client.get("/echanges/retours-a-ecrire?page=3")
    assert _titles(third.text) == expected[10:] and "Page 3 sur 3" in third.text
    past_the_end = client.get("/echanges/retours-a-ecrire?page=40")
    assert _titles(past_the_end.text) == expected[10:]
    for bad in ("0", "-1", "abc", "9" * 40):
        assert client.get(f"/echanges/retours-a-ecrire?page={bad}").status_code == 200


def test_nothing_owed_says_so(client, auth, app):
    bob = factories.member("Bob Durand")
    db.session.commit()
    auth.login(bob)
    page = client.get("/echanges/retours-a-ecrire")
    assert page.status_code == 200 and "Aucun retour à écrire." in page.text


def test_visitors_are_sent_to_log_in(client, app):
    answer = client.get("/echanges/retours-a-ecrire")
    assert answer.status_code == 302 and "/connexion" in answer.headers["Location"]


def test_written_and_closed_ones_are_not_owed(app, owed):
    alice_id = owed[0].receiver_id
    page = feedback.to_write(alice_id, Window(per_page=50))
    ids = [e.id for e, _theirs in page.items]
    assert owed[5].id not in ids and owed[13].id not in ids and page.total == 12
    assert [theirs for e, theirs in page.items if e.id == owed[3].id] == [True]
