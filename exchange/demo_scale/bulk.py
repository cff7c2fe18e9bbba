"""Writing many rows fast: SQLAlchemy Core `insert()` executemany, a few thousand rows per
statement and one transaction per batch, with a progress bar per phase and its time.

Ids are given here (`Ids`), not by the database: rows can name each other before they are
written, and nothing is read back. The sequences of PostgreSQL are moved past them at the end.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from itertools import islice

import click
from sqlalchemy import Table, bindparam, func, select, text, update

from models import db

BATCH = 5000


class Ids:
    """The next free id of each table (the migrations' own rows stay where they are)."""

    def __init__(self):
        self._next: dict[str, int] = {}

    def take(self, table: Table, count: int = 1) -> int:
        """The first of `count` fresh ids of `table`."""
        if table.name not in self._next:
            with db.engine.connect() as connection:  # holds no lock past the read
                highest = connection.scalar(select(func.max(table.c.id))) or 0
            self._next[table.name] = highest + 1
        first = self._next[table.name]
        self._next[table.name] += count
        return first

    def tables(self) -> list[str]:
        """The tables whose ids were given here."""
        return sorted(self._next)


def batches(rows: Iterable, size: int = BATCH) -> Iterator[list]:
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield chunk


def write(connection, table: Table, rows: list[dict]) -> None:
    if rows:
        connection.execute(table.insert(), rows)


def insert(table: Table, rows: Iterable[dict], bar) -> int:
    """Insert rows in batches, one transaction each; `bar` advances by each batch's size."""
    count = 0
    for chunk in batches(rows):
        with db.engine.begin() as connection:
            write(connection, table, chunk)
        count += len(chunk)
        bar.update(len(chunk))
    return count


def insert_together(groups: Iterable[dict[Table, list[dict]]], bar, counted: Table) -> None:
    """Insert each group's rows (several tables, parents first) in one transaction per group;
    the bar counts the rows of `counted`."""
    for group in groups:
        with db.engine.begin() as connection:
            for table, rows in group.items():
                write(connection, table, rows)
        bar.update(len(group.get(counted, ())))


def set_column(table: Table, column: str, values: dict[int, object]) -> None:
    """UPDATE table SET column = value WHERE id = key, for many rows (executemany)."""
    statement = (
        update(table)
        .where(table.c.id == bindparam("_id"))
        .values({column: bindparam("_value")})
        .execution_options(synchronize_session=False)
    )
    for chunk in batches(values.items()):
        with db.engine.begin() as connection:
            connection.execute(statement, [{"_id": k, "_value": v} for k, v in chunk])


def move_sequences(ids: Ids) -> None:
    """PostgreSQL: each table's id sequence past the ids given here (SQLite needs nothing)."""
    if db.engine.dialect.name != "postgresql":
        return
    with db.engine.begin() as connection:
        for name in ids.tables():
            connection.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{name}', 'id'),"  # noqa: S608
                    f" (SELECT COALESCE(max(id), 0) + 1 FROM {name}), false)"
                )
            )


@contextmanager
def without_indexes(*tables: Table):
    """Drop the tables' secondary indexes while they fill, and build them again after (much
    faster than keeping them up to date row by row). Unique ones and those of constraints
    stay: they keep their rule checked as the rows come."""
    kept = []
    db.session.commit()  # a read of the session's would hold the lock DROP INDEX waits for
    with db.engine.begin() as connection:
        for table in tables:
            for name, definition in _secondary_indexes(connection, table.name):
                connection.execute(text(f'DROP INDEX "{name}"'))
                kept.append(definition)
    try:
        yield
    finally:
        with db.engine.begin() as connection:
            for definition in kept:
                connection.execute(text(definition))


def _secondary_indexes(connection, table: str) -> list[tuple[str, str]]:
    if connection.dialect.name == "postgresql":
        rows = connection.execute(
            text(
                "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = :t"
                " AND i.indexdef NOT LIKE 'CREATE UNIQUE%' AND i.indexname NOT IN"
                " (SELECT c.conname FROM pg_constraint c WHERE c.conrelid = CAST(:t AS regclass))"
            ),
            {"t": table},
        )
    else:
        rows = connection.execute(
            text(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = :t"
                " AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%'"
            ),
            {"t": table},
        )
    return [(name, definition) for name, definition in rows]


def analyze() -> None:
    """Fresh planner statistics for the pages that read the new rows; on PostgreSQL also the
    visibility map (VACUUM), without which the search's index-only scans read the heap and the
    planner prefers a scan of all 2.4 M listing words (260 ms a search instead of 12 ms).
    Autovacuum would get there after a while; a seed is measured at once."""
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))
        return
    with db.engine.begin() as connection:
        connection.execute(text("ANALYZE"))


class Phases:
    """Runs the phases of a seed, each with its progress bar and its time."""

    def __init__(self, echo: Callable[[str], object], show_bars: bool = True):
        self.echo = echo
        self.show_bars = show_bars
        self.times: list[tuple[str, float]] = []

    @contextmanager
    def phase(self, label: str, length: int):
        started = time.perf_counter()
        if self.show_bars:
            with click.progressbar(length=length, label=f"{label:<24}", show_pos=True) as bar:
                yield bar
        else:
            yield _Quiet()
        elapsed = time.perf_counter() - started
        self.times.append((label, elapsed))
        self.echo(f"  {label}: {elapsed:.1f} s")

    @property
    def total(self) -> float:
        return sum(seconds for _label, seconds in self.times)


class _Quiet:
    """A progress bar nobody sees (tests, scripts)."""

    def update(self, _count: int) -> None:
        pass
