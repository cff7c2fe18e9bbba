"""Copies of the whole database's rows, put back ids and all.

A world built once through the services (the demo network, the access matrix's worlds) serves
every test that needs it: the first builds it, the next get its rows copied back into the
emptied database, which costs milliseconds where building costs seconds.
"""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import exists, literal, select, text, union_all

from models import db

Rows = dict[str, list[dict]]


def take() -> Rows:
    """Every row of every table, in id order (a correction comes after what it reverses)."""
    db.session.commit()
    return {
        table.name: [
            {column.key: row._mapping[column] for column in table.columns}
            for row in db.session.execute(select(table).order_by(*table.primary_key.columns))
        ]
        for table in db.metadata.sorted_tables
    }


def put_back(rows: Rows, *, triggers_off: bool = False) -> None:
    """Empty the database, then write `rows` back as they were taken (`triggers_off`: see
    `empty`)."""
    empty(triggers_off=triggers_off)
    for table in db.metadata.sorted_tables:
        if rows[table.name]:
            db.session.execute(table.insert(), rows[table.name])
    next_ids(rows)
    db.session.expire_all()


def empty(keep: Collection[str] = (), *, triggers_off: bool = False) -> None:
    """Empty every table that holds rows (but those named in `keep`), its ids starting again.
    `triggers_off`: the caller turned PostgreSQL's triggers off for its transaction
    (session_replication_role = replica), so a DELETE may empty the append-only ledger.

    Found in one statement: most tests fill a few tables, and emptying all of them each time
    (TRUNCATE on PostgreSQL, where a trigger refuses any DELETE of a transfer or an entry)
    cost ~70 ms a test.
    """
    tables = [t for t in db.metadata.sorted_tables if t.name not in keep]
    probe = union_all(
        *(select(literal(t.name).label("name")).where(exists(select(t))) for t in tables)
    )
    filled = set(db.session.scalars(select(probe.subquery().c.name)))
    if not filled:
        return
    postgresql = db.engine.dialect.name == "postgresql"
    if postgresql and filled & {"transfers", "entries"} and not triggers_off:
        # A trigger refuses any DELETE of a transfer or an entry: TRUNCATE (~70 ms) empties them.
        names = ", ".join(f'"{t.name}"' for t in tables if t.name in filled)
        db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        db.session.commit()
        return
    for table in reversed(tables):
        if table.name not in filled:
            continue
        if table.name == "transfers":
            # A correction names the transfer it reverses, and SQLite checks ON DELETE
            # RESTRICT row by row: corrections go first.
            db.session.execute(table.delete().where(table.c.reverses_id.is_not(None)))
        db.session.execute(table.delete())
        if postgresql and table.autoincrement_column is not None:
            db.session.execute(
                text("SELECT setval(pg_get_serial_sequence(:t, :c), 1, false)"),
                {"t": table.name, "c": table.autoincrement_column.name},
            )
    db.session.commit()


def next_ids(rows: Rows) -> None:
    """On PostgreSQL, a table's next id comes after the rows it holds (rows copied with their
    ids, or conftest's reference rows put back with theirs, leave it behind)."""
    if db.engine.dialect.name == "postgresql":
        for table in db.metadata.sorted_tables:
            column = table.autoincrement_column
            if column is not None and rows[table.name]:
                db.session.execute(
                    text("SELECT setval(pg_get_serial_sequence(:t, :c), :n)"),
                    {
                        "t": table.name,
                        "c": column.name,
                        "n": max(r[column.key] for r in rows[table.name]),
                    },
                )
    db.session.commit()


class Left:
    """The world a test left in the database for the next one instead of emptying it.

    Most cases of the access matrix read a world and change nothing, and the next case reads
    the same world: copying it back each time was most of their cost. A test that saw the
    database exactly as its world was built sets `asked` to that world's key; the `app`
    fixture then leaves the rows (`key`), and empties them before any test that is not marked
    `reads_left_rows`, or that needs another world."""

    def __init__(self):
        self.key: object = None  # what the database holds, as the last test left it
        self.asked: object = None  # what the running test leaves, if it leaves anything


LEFT = Left()
