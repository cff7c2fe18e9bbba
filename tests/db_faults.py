"""Breaking PostgreSQL for real, for the tests of what members see when the database is away.

A test gets a database of its own on the TEST_DATABASE_URL server (created, migrated, dropped
at the end), so refusing its connections (`ALLOW_CONNECTIONS false`) or terminating its
backends (`pg_terminate_backend`) disturbs no other test.
"""

from __future__ import annotations

import contextlib
import time
import uuid
from collections.abc import Iterator

import psycopg
from flask import Flask, request, request_finished
from sqlalchemy import text
from sqlalchemy.engine import make_url

from models import db

KILL_HEADER = "X-Archipel-Test-Kill-Connection"


def libpq_url(url: str, database: str | None = None) -> str:
    """The same server as a plain libpq address (what psycopg.connect takes)."""
    parsed = make_url(url).set(drivername="postgresql")
    if database:
        parsed = parsed.set(database=database)
    return parsed.render_as_string(hide_password=False)


@contextlib.contextmanager
def own_database(server_url: str) -> Iterator[str]:
    """A new, empty database beside the test database; its libpq address. Dropped after."""
    name = f"{make_url(server_url).database}_away_{uuid.uuid4().hex[:8]}"
    admin = psycopg.connect(libpq_url(server_url), autocommit=True)
    try:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield libpq_url(server_url, name)
        finally:
            admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        admin.close()


class Switch:
    """What an administrator does to one database from another connection."""

    def __init__(self, server_url: str, database_url: str):
        self.name = make_url(database_url).database
        self.admin = psycopg.connect(libpq_url(server_url), autocommit=True)

    def refuse_connections(self) -> None:
        """New connections refused, open ones ended: the database is away for the app."""
        self.admin.execute(f'ALTER DATABASE "{self.name}" ALLOW_CONNECTIONS false')
        self.terminate(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            self.name,
        )

    def allow_connections(self) -> None:
        self.admin.execute(f'ALTER DATABASE "{self.name}" ALLOW_CONNECTIONS true')

    def terminate(self, query: str, *params) -> list[int]:
        pids = [row[0] for row in self.admin.execute(query, params).fetchall()]
        for pid in pids:
            # Waits (up to 5 s) until the backend has really gone.
            self.admin.execute("SELECT pg_terminate_backend(%s, 5000)", (pid,))
        return pids

    def terminate_waiting_on_a_lock(self, deadline: float = 15.0) -> int:
        """End the backend of the request that waits on a lock in this database."""
        end = time.monotonic() + deadline
        while time.monotonic() < end:
            pids = self.terminate(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s AND wait_event_type = 'Lock'",
                self.name,
            )
            if pids:
                return pids[0]
            time.sleep(0.02)
        raise AssertionError("no request came to wait on the lock")

    def close(self) -> None:
        self.admin.close()


def kill_connection_after_the_page(app: Flask) -> None:
    """A request carrying KILL_HEADER has its connection terminated by the server once its
    page is built, before the request ends: a restart or a failover between its last query
    and the end of its transaction."""

    @request_finished.connect_via(app, weak=False)
    def _kill(sender, response, **extra):
        if KILL_HEADER not in request.headers:
            return
        pid = db.session.execute(text("SELECT pg_backend_pid()")).scalar()
        with db.engine.connect() as other:
            other.execute(text("SELECT pg_terminate_backend(:pid, 5000)"), {"pid": pid})
