"""My exchanges as a person reads them: what waits on me first, then the closed ones thirty
a page, newest first, with "Plus anciens" / "Plus récents" through every one of them once."""

from __future__ import annotations

import html
import re

import pytest

from tests import factories
from tests.budget_data import declined_exchanges

LINK = re.compile(r'<a rel="(prev|next)" href="([^"]+)"')
SHOWN = re.compile(r"Terminé (\d+)")


@pytest.fixture
def alice(app, auth):
    member = factories.member("Alice")
    factories.join(member, factories.space("La Ruche"))
    auth.login(member)
    return member


def _read(client, url: str) -> tuple[list[int], dict[str, str]]:
    page = client.get(url)
    assert page.status_code == 200, url
    links = {rel: html.unescape(href) for rel, href in LINK.findall(page.text)}
    return [int(n) for n in SHOWN.findall(page.text)], links


def test_my_closed_exchanges_come_thirty_a_page_newest_first_each_once(client, alice):
    bob, carol = factories.member("Bob"), factories.member("Carol")
    declined_exchanges(alice, [bob, carol], 70)
    seen, url = [], "/echanges"
    while url:
        shown, links = _read(client, url)
        seen.append(shown)
        url = links.get("next")
    assert [len(page) for page in seen] == [30, 30, 10]
    assert [n for page in seen for n in page] == list(range(69, -1, -1))
    back, url = [], links["prev"]
    while url:
        shown, links = _read(client, url)
        back.append(shown)
        url = links.get("prev")
    assert back == [seen[1], seen[0]]


def test_what_waits_on_me_stays_on_top_of_every_page_of_the_history(client, alice):
    bob = factories.member("Bob")
    offer = factories.listing(bob, factories.space("Le Phare"), "Réparation de vélo")
    client.post(f"/annonces/{offer.id}/proposer", data={"message": "Samedi ?", "minutes": "1 h"})
    declined_exchanges(alice, [bob], 40)
    _shown, links = _read(client, "/echanges")
    older = client.get(links["next"]).text
    assert "Réparation de vélo" in older and "Terminé 9" in older and "Terminé 10" not in older


@pytest.mark.parametrize(
    "query", ["avant=abc", "avant=-1", "apres=99999999999999999999", "avant=1.5", "apres=0"]
)
def test_a_bad_cursor_gives_the_first_page_of_the_history(client, alice, query):
    declined_exchanges(alice, [factories.member("Bob")], 35)
    assert _read(client, f"/echanges?{query}")[0] == _read(client, "/echanges")[0]
