"""My statement and the common pot as a person reads them: newest first, fifty a page, the
links "Plus anciens" / "Plus récents" through every movement once, the period kept with
them, its totals shown, bad cursors giving the first page; and the CSV streamed whole."""

from __future__ import annotations

import csv
import html
import io
import re
from datetime import date
from zoneinfo import ZoneInfo

import pytest

from exchange.services.ledger import statements, transfers
from tests import factories
from tests.querycount import counting
from tests.statement_data import History, gifts_to_the_pot

LINK = re.compile(r'<a rel="(prev|next)" href="([^"]+)"')
SHOWN = re.compile(r"Mouvement (\d+)")


@pytest.fixture
def alice(app, auth):
    member = factories.member("Alice")
    auth.login(member)
    return member


@pytest.fixture
def history(alice) -> History:
    return History.of(alice)


def _read(client, url: str) -> tuple[list[int], dict[str, str], str]:
    """The movements a page shows (their numbers, top to bottom) and its links."""
    page = client.get(url)
    assert page.status_code == 200, url
    links = {rel: html.unescape(href) for rel, href in LINK.findall(page.text)}
    return [int(n) for n in SHOWN.findall(page.text)], links, page.text


def test_my_statement_shows_the_newest_movements_first_fifty_a_page(client, history):
    history.grow(120)
    shown, links, text = _read(client, "/compte")
    assert shown == list(range(119, 69, -1))
    assert set(links) == {"next"} and "avant=" in links["next"]
    assert "Plus anciens" in text and "Plus récents" not in text
    assert "120 mouvements" in text


def test_the_links_lead_through_every_movement_exactly_once_and_back(client, history):
    history.grow(130)
    seen, url = [], "/compte"
    while url:
        shown, links, _text = _read(client, url)
        seen += shown
        url = links.get("next")
    assert seen == list(range(129, -1, -1))
    assert shown == list(range(29, -1, -1))  # the last page: the oldest movements
    back, url = [], links["prev"]
    while url:
        shown, links, _text = _read(client, url)
        back += shown
        url = links.get("prev")
    assert sorted(back) == list(range(30, 130)) and len(back) == 100  # each one once


def test_the_period_stays_with_the_links_and_its_totals_are_its_movements(client, history):
    history.grow(300)  # one every 7 h from 1 January 2025
    url, shown_all = "/compte?du=2025-02-01&au=2025-02-20", []
    while url:
        shown, links, text = _read(client, url)
        assert "du=2025-02-01" in url and "au=2025-02-20" in url
        shown_all += shown
        url = links.get("next")
    zone = ZoneInfo("Europe/Paris")
    moved = [
        e
        for e in history.entries()
        if date(2025, 2, 1) <= e.created_at.astimezone(zone).date() <= date(2025, 2, 20)
    ]
    assert len(shown_all) == len(set(shown_all)) == len(moved) > 50
    assert shown_all == sorted(shown_all, reverse=True)
    st = statements.page(
        transfers.account_of(history.member.id), date(2025, 2, 1), date(2025, 2, 20)
    )
    assert st.received == sum(e.amount for e in moved if e.amount > 0)
    assert st.given == -sum(e.amount for e in moved if e.amount < 0)
    assert st.opening == moved[0].balance_after - moved[0].amount
    assert st.closing == moved[-1].balance_after
    assert "Solde au 1 février 2025" in text  # the last page opens the period
    first = client.get("/compte?du=2025-02-01&au=2025-02-20").text
    assert "Solde au 20 février 2025" in first and "sur la période choisie" in first
    assert f"{len(moved)} mouvements" in first


@pytest.mark.parametrize(
    "query",
    ["avant=abc", "avant=-5", "avant=0", "avant=99999999999999999999", "avant=1.5",
     "apres=%F0%9F%8C%B1", "apres=", "avant=1", "apres=2147483647", "avant=abc&apres=-1"],
)  # fmt: skip
def test_a_bad_cursor_gives_the_first_page(client, history, query):
    history.grow(60)
    first, _links, _text = _read(client, "/compte")
    shown, _links, _text = _read(client, f"/compte?{query}")
    assert shown == first
    assert _read(client, f"/caisse-commune?{query}")[0] == _read(client, "/caisse-commune")[0]


def test_the_common_pot_pages_its_movements_newest_first(client, alice):
    gifts_to_the_pot(alice, 70, "Mouvement")
    shown, links, _text = _read(client, "/caisse-commune")
    assert shown == list(range(69, 19, -1))
    shown, links, _text = _read(client, links["next"])
    assert shown == list(range(19, -1, -1)) and set(links) == {"prev"}
    client.post("/deconnexion")
    _shown, links, text = _read(client, "/caisse-commune")
    assert "Mouvement 69" not in text and "Message lu par les membres" in text  # a visitor
    assert "avant=" in links["next"]


def test_the_csv_of_3000_movements_streams_them_all_oldest_first(client, history):
    history.grow(3000, bulk=True)
    assert transfers.verify().ok  # the rows are the ledger's own
    with counting() as seen:
        response = client.get("/compte/releve.csv")
        assert response.is_streamed
        pieces = list(response.response)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    body = b"".join(p if isinstance(p, bytes) else p.encode() for p in pieces).decode("utf-8")
    assert body.startswith("\ufeffDate;Mouvement;")
    rows = list(csv.reader(io.StringIO(body.removeprefix("\ufeff")), delimiter=";"))
    assert len(rows) == 3000 + 1 and body.count("\r\n") == 3001
    assert [row[3] for row in rows[1:]] == [f"Mouvement {i}" for i in range(3000)]
    assert rows[-1][7] == str(transfers.account_of(history.member.id).balance)
    # One piece a batch of 1,000 read, after the headers' piece: never the whole file at once.
    assert len(pieces) >= 3 and max(len(p) for p in pieces) < len(body) / 2
    batches = [sql for sql in seen.sql if "AS entry_id" in sql]
    assert len(batches) == 3, seen
