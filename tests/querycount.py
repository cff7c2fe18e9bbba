"""Count the SQL statements a request runs, to hold each page to a query budget.

The counter listens to SQLAlchemy's `before_cursor_execute` event on the app's engine while
one request runs, so the test's own setup is not counted. What is not a query of the page is
left out, so SQLite and PostgreSQL count alike: transaction control (BEGIN, COMMIT, ROLLBACK,
SAVEPOINT, RELEASE), SQLite's PRAGMAs, PostgreSQL's SET/SHOW and the introspection the driver
runs on a new connection.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import event

from models import db

NOT_A_QUERY = re.compile(
    r"\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE|PRAGMA|SET|SHOW|RESET"
    r"|SELECT\s+pg_catalog\.|SELECT\s+current_schema|SELECT\s+CAST\('test)",
    re.IGNORECASE,
)


@dataclass
class Statements:
    """The statements seen, in order."""

    sql: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.sql)

    def __str__(self) -> str:
        return "\n".join(f"{n:3} {s}" for n, s in enumerate(self.sql, 1))


@contextmanager
def counting(engine=None):
    """Within the block, every query sent to the engine (the app's by default) is recorded."""
    engine = engine or db.engine
    seen = Statements()

    def record(conn, cursor, statement, parameters, context, executemany):
        if not NOT_A_QUERY.match(statement):
            seen.sql.append(" ".join(statement.split())[:200])

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def queries_of(client, url: str, *, status: int = 200) -> Statements:
    """The statements one GET of `url` runs; it must answer `status`."""
    with counting() as seen:
        response = client.get(url)
        response.get_data()  # a streamed body runs its queries while it is read
    assert response.status_code == status, (url, response.status_code)
    return seen
