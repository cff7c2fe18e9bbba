"""Long statements through the services: a page at a time newest first, keyset on the entry
id (every movement once, whatever arrives meanwhile), the period's totals read in SQL, and
the CSV's rows read in batches, oldest first, without an object per row."""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest

from exchange.services.ledger import statements, transfers
from models import db
from tests import factories
from tests.querycount import counting
from tests.statement_data import History, gifts_to_the_pot


@pytest.fixture
def alice(app):
    return factories.member("Alice")


@pytest.fixture
def history(alice) -> History:
    return History.of(alice)


def _account(member):
    return transfers.account_of(member.id)


def _reasons(lines) -> list[str]:
    return [line.transfer.reason for line in lines]


def _all_pages(account, start=None, end=None, per_page=50):
    """Every page from the first, following `older`; then back up, following `newer`."""
    down = [statements.page(account, start, end, per_page=per_page)]
    while down[-1].older is not None:
        down.append(statements.page(account, start, end, before=down[-1].older, per_page=per_page))
    up = [down[-1]]
    while up[-1].newer is not None:
        up.append(statements.page(account, start, end, after=up[-1].newer, per_page=per_page))
    return down, up


def test_a_page_shows_the_newest_movements_first_with_their_running_balance(alice, history):
    history.grow(120)
    st = statements.page(_account(alice))
    assert _reasons(st.lines) == [f"Mouvement {i}" for i in range(119, 69, -1)]
    by_id = {e.id: e for e in history.entries()}
    assert [line.balance_after for line in st.lines] == [
        by_id[line.entry.id].balance_after for line in st.lines
    ]
    assert st.newer is None and st.older == st.lines[-1].entry.id
    assert st.closing == _account(alice).balance == st.lines[0].balance_after


def test_paging_back_and_forth_shows_every_movement_exactly_once(alice, history):
    history.grow(163)
    down, up = _all_pages(_account(alice), per_page=40)
    newest_first = [line.entry.id for page in down for line in page.lines]
    assert newest_first == [e.id for e in reversed(history.entries())]
    assert [len(page.lines) for page in down] == [40, 40, 40, 40, 3]
    assert down[-1].older is None and down[0].newer is None
    # Back up from the oldest page: the same movements, each once.
    seen = [line.entry.id for page in up for line in page.lines]
    assert sorted(seen) == sorted(newest_first) and len(set(seen)) == len(seen)
    assert up[-1].newer is None


def test_a_movement_written_while_paging_neither_repeats_a_row_nor_hides_one(alice, history):
    history.grow(100)
    account = _account(alice)
    first = statements.page(account)
    history.grow(101)  # a new movement arrives while Alice reads
    second = statements.page(account, before=first.older)
    assert _reasons(second.lines) == [f"Mouvement {i}" for i in range(49, -1, -1)]
    assert second.older is None
    assert second.newer == second.lines[0].entry.id  # back up: the new one is on top
    back = statements.page(account, after=second.newer)
    assert _reasons(back.lines) == [f"Mouvement {i}" for i in range(99, 49, -1)]
    assert back.newer is not None
    assert _reasons(statements.page(account, after=back.newer).lines) == ["Mouvement 100"]


def _expected(history, start: date | None, end: date | None):
    """The period's figures, added up in Python from the entries, in the network's zone."""
    zone = ZoneInfo("Europe/Paris")
    every = history.entries()
    inside = [
        e
        for e in every
        if (start is None or e.created_at.astimezone(zone).date() >= start)
        and (end is None or e.created_at.astimezone(zone).date() <= end)
    ]
    before = [
        e for e in every if start is not None and e.created_at.astimezone(zone).date() < start
    ]
    opening = inside[0].balance_after - inside[0].amount if inside else 0
    if not inside and before:
        opening = before[-1].balance_after
    return (
        opening,
        inside[-1].balance_after if inside else opening,
        sum(e.amount for e in inside if e.amount > 0),
        -sum(e.amount for e in inside if e.amount < 0),
        len(inside),
    )


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (None, None),
        (date(2025, 2, 1), date(2025, 2, 28)),
        (date(2025, 1, 15), None),
        (None, date(2025, 1, 20)),
        (date(2025, 3, 1), date(2025, 3, 31)),  # after the last movement: empty
        (date(2024, 1, 1), date(2024, 12, 31)),  # before the first: empty
        (date(1, 1, 1), date(9999, 12, 31)),  # the calendar's edges
    ],
    ids=["all", "february", "since", "until", "after-all", "before-all", "edges"],
)
def test_the_totals_of_a_period_are_the_sum_of_its_movements(alice, history, start, end):
    history.grow(200)  # one every 7 h: 1 January to 28 February 2025
    st = statements.page(_account(alice), start, end)
    opening, closing, received, given, count = _expected(history, start, end)
    assert (st.opening, st.closing, st.received, st.given) == (opening, closing, received, given)
    assert st.totals.count == count
    assert st.closing - st.opening == st.received - st.given
    lines = [line for page in _all_pages(_account(alice), start, end)[0] for line in page.lines]
    assert len(lines) == count
    assert sum(line.amount for line in lines) == received - given


def test_the_period_and_the_cursor_work_together(alice, history):
    history.grow(300)
    start, end = date(2025, 2, 1), date(2025, 2, 10)
    down, _up = _all_pages(_account(alice), start, end, per_page=10)
    got = [line.entry.id for page in down for line in page.lines]
    zone = ZoneInfo("Europe/Paris")
    wanted = [
        e.id
        for e in reversed(history.entries())
        if start <= e.created_at.astimezone(zone).date() <= end
    ]
    assert got == wanted and len(down) == -(-len(wanted) // 10)


def test_a_cursor_that_leads_nowhere_gives_the_first_page(alice, history):
    history.grow(80)
    account = _account(alice)
    first = _reasons(statements.page(account).lines)
    entries = history.entries()
    for cursor in (
        {"before": entries[0].id},  # nothing older than the first movement
        {"after": entries[-1].id},  # nothing newer than the last
        {"after": 2**31 - 1},
        {"before": 1},
    ):
        assert _reasons(statements.page(account, **cursor).lines) == first, cursor
    january = statements.page(account, date(2025, 1, 1), date(2025, 1, 5), after=entries[-1].id)
    assert january.lines and january.newer is None  # the period's own first page


def test_the_first_page_costs_two_statements_however_long_the_account(alice, history):
    for n in (10, 400):
        history.grow(n)  # its commit expires what the session knew: the page reads it all
        account = _account(alice)
        with counting() as seen:
            st = statements.page(account, date(2025, 1, 1), None, before=10**6)
            [line.counterpart.user.display_name for line in st.lines]  # nothing loads late
        assert seen.count == 2, seen


def test_the_csv_rows_come_oldest_first_in_batches_without_an_object_per_row(alice, history):
    history.grow(350)
    account = _account(alice)
    held = len(db.session.identity_map)
    with counting() as seen:
        rows = list(statements.movements(account, batch=100))
    assert [r.reason for r in rows] == [f"Mouvement {i}" for i in range(350)]
    assert [r.entry_id for r in rows] == [e.id for e in history.entries()]
    assert [r.balance_after for r in rows] == [e.balance_after for e in history.entries()]
    assert {r.counterpart_name for r in rows} == {"Contrepartie"}
    # The totals, then one statement a batch of 100: 4 for 350 rows.
    assert seen.count == 1 + 4, seen
    assert len(db.session.identity_map) == held  # plain rows: nothing kept per row


def test_the_csv_rows_read_one_batch_at_a_time_as_they_are_consumed(alice, history):
    history.grow(250)
    account = _account(alice)
    with counting() as seen:
        rows = statements.movements(account, batch=100)
        assert seen.count == 1  # the period's bounds, before any row
        for _ in range(100):
            next(rows)
        assert seen.count == 2
        next(rows)
        assert seen.count == 3
        assert len(list(rows)) == 149 and seen.count == 4


def test_the_csv_rows_of_a_period_stop_at_its_last_movement(alice, history):
    history.grow(300)
    start, end = date(2025, 2, 1), date(2025, 2, 10)
    rows = list(statements.movements(_account(alice), start, end, batch=7))
    zone = ZoneInfo("Europe/Paris")
    wanted = [
        e.id for e in history.entries() if start <= e.created_at.astimezone(zone).date() <= end
    ]
    assert [r.entry_id for r in rows] == wanted
    assert list(statements.movements(_account(alice), date(2030, 1, 1))) == []


def test_the_whole_statement_is_its_pages_read_backwards(alice, history):
    history.grow(130)
    account = _account(alice)
    whole = statements.statement(account)
    down, _up = _all_pages(account)
    assert [line.entry.id for line in whole.lines] == [
        line.entry.id for page in reversed(down) for line in reversed(page.lines)
    ]
    assert (whole.opening, whole.closing) == (0, account.balance)


def test_a_page_of_the_pot_keeps_the_givers_words_for_members(app):
    gifts_to_the_pot(factories.member("Léa"), 60, "Pour la caisse")
    visitor = statements.pot_page()
    assert len(visitor.lines) == 50 and {line.reason for line in visitor.lines} == {""}
    assert {line.withheld for line in visitor.lines} == {"gift"}
    member = statements.pot_page(before=visitor.older, for_members=True)
    assert _reasons(member.lines) == [line.reason for line in member.lines]
    assert [line.reason for line in member.lines] == [
        f"Pour la caisse {i}" for i in range(9, -1, -1)
    ]
    assert member.received == 60 and member.closing == transfers.pot().balance == 60


def test_an_empty_period_after_movements_opens_and_closes_with_the_balance_then(alice, history):
    history.grow(20)
    balance = history.entries()[-1].balance_after
    later = history.at(20).date() + timedelta(days=30)
    st = statements.page(_account(alice), later, later + timedelta(days=3))
    assert (st.lines, st.opening, st.closing, st.totals.count) == ([], balance, balance, 0)
