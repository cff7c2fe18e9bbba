"""When the database is away: recognise it, and end a request cleanly on a dead connection.

"Away" means the database cannot be reached or the connection under a request died (refused
connections, a restart, a failover, `pg_terminate_backend`, a pool with no connection to give
within its timeout): errors that say nothing about
the query itself. A constraint, a serialization failure or a statement timeout is not
"away" and stays an ordinary error.
"""

from __future__ import annotations

import logging

import psycopg
from sqlalchemy import exc as sa_exc

from models import db

log = logging.getLogger(__name__)

# Besides class 08 (connection exceptions), the SQLSTATEs of a server ending the session.
_GONE_STATES = {
    "57P01",  # admin_shutdown: pg_terminate_backend, a fast shutdown
    "57P02",  # crash_shutdown
    "57P03",  # cannot_connect_now: starting up, in recovery
}


def database_away(error: BaseException | None) -> bool:
    """Whether this error (or one it was raised from) says the database is unreachable."""
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if isinstance(error, sa_exc.DBAPIError) and error.connection_invalidated:
            return True
        # DisconnectionError: the pool's pre-ping found the server gone. TimeoutError: no
        # connection came free within the pool's timeout (a database that hangs).
        if isinstance(error, sa_exc.DisconnectionError | sa_exc.TimeoutError):
            return True
        if _lost(error.orig if isinstance(error, sa_exc.DBAPIError) else error):
            return True
        error = error.__cause__ or error.__context__
    return False


def _lost(error: BaseException) -> bool:
    if isinstance(error, psycopg.InterfaceError):  # "the connection is closed"
        return True
    if isinstance(error, psycopg.OperationalError):
        # No SQLSTATE: the client could not connect, or lost the server mid-way.
        state = error.sqlstate
        return state is None or state.startswith("08") or state in _GONE_STATES
    return False


def end_session(exc: BaseException | None = None) -> None:
    """End the request's database session, even on a connection that died under it.

    Ending a session rolls its transaction back; on a connection the server has closed that
    rollback fails, and raised from the app context's teardown it would bypass every error
    page (gunicorn's bare "Internal Server Error"). The server has already rolled the
    transaction back with the connection: forget the connection instead, and the response
    the request built goes out.
    """
    try:
        db.session.remove()
    except Exception as error:
        if not database_away(error):
            raise
        log.warning("database connection lost at the end of a request: %s", error)
        try:
            db.session.registry().invalidate()
        finally:
            db.session.registry.clear()


def register(app) -> None:
    # Teardowns run last registered first: this one ends the session before Flask-SQLAlchemy's
    # own teardown, which then finds nothing left to end.
    app.teardown_appcontext(end_session)
