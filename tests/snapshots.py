"""Copies of the whole database's rows, put back ids and all.

A world built once through the services (the demo network, the access matrix's worlds) serves
every test that needs it: the first builds it, the next get its rows copied back into the
emptied database, which costs milliseconds where building costs seconds.
"""

from __future__ import annotations

from sqlalchemy import select, text

from models import Entry, Transfer, db

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


def put_back(rows: Rows) -> None:
    """Empty the database, then write `rows` back as they were taken."""
    tables = db.metadata.sorted_tables
    if _ledger_written():
        # On PostgreSQL a trigger refuses any DELETE of a transfer or an entry: TRUNCATE is the
        # only way to empty them. It costs ~70 ms a time, and the tables are almost always
        # empty here already (conftest empties them after every test), so the plain DELETEs
        # below do otherwise.
        names = ", ".join(f'"{t.name}"' for t in tables)
        db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in reversed(tables):
            if table.name == "transfers":  # corrections first: they name what they reverse
                db.session.execute(table.delete().where(table.c.reverses_id.is_not(None)))
            db.session.execute(table.delete())
    for table in tables:
        if rows[table.name]:
            db.session.execute(table.insert(), rows[table.name])
    next_ids(rows)
    db.session.expire_all()


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


def _ledger_written() -> bool:
    """Whether the append-only ledger holds rows a DELETE would be refused (PostgreSQL)."""
    if db.engine.dialect.name != "postgresql":
        return False
    return bool(
        db.session.scalar(select(Transfer.id).limit(1))
        or db.session.scalar(select(Entry.id).limit(1))
    )
