"""When the database is away: recognise it, and end a request cleanly on a dead connection.
And a statement timeout on PostgreSQL for web requests only.

"Away" means the database cannot be reached or the connection under a request died (refused
connections, a restart, a failover, `pg_terminate_backend`, a pool with no connection to give
within its timeout): errors that say nothing about
the query itself. A constraint or a serialization failure is not "away" and stays an ordinary
error; a statement PostgreSQL cancelled (`statement_timed_out`) is not "away" either, but the
error pages answer it with the same 503: the database did not answer in time.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

import psycopg
from flask import current_app, has_request_context
from sqlalchemy import event
from sqlalchemy import exc as sa_exc

from models import db

log = logging.getLogger(__name__)

# Besides class 08 (connection exceptions), the SQLSTATEs of a server ending the session.
_GONE_STATES = {
    "57P01",  # admin_shutdown: pg_terminate_backend, a fast shutdown
    "57P02",  # crash_shutdown
    "57P03",  # cannot_connect_now: starting up, in recovery
}
QUERY_CANCELED = "57014"  # the statement timeout, or a pg_cancel_backend


def _chain(error: BaseException | None) -> Iterator[BaseException]:
    """This error and the ones it was raised from, each once."""
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        yield error
        error = error.__cause__ or error.__context__


def database_away(error: BaseException | None) -> bool:
    """Whether this error (or one it was raised from) says the database is unreachable."""
    for link in _chain(error):
        if isinstance(link, sa_exc.DBAPIError) and link.connection_invalidated:
            return True
        # DisconnectionError: the pool's pre-ping found the server gone. TimeoutError: no
        # connection came free within the pool's timeout (a database that hangs).
        if isinstance(link, sa_exc.DisconnectionError | sa_exc.TimeoutError):
            return True
        if _lost(link.orig if isinstance(link, sa_exc.DBAPIError) else link):
            return True
    return False


def statement_timed_out(error: BaseException | None) -> bool:
    """Whether this error (or one it was raised from) is a statement PostgreSQL cancelled."""
    for link in _chain(error):
        orig = link.orig if isinstance(link, sa_exc.DBAPIError) else link
        if isinstance(orig, psycopg.Error) and orig.sqlstate == QUERY_CANCELED:
            return True
    return False


def _lost(error: BaseException | None) -> bool:
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


def _statement_timeout(dbapi_connection, connection_record, connection_proxy) -> None:
    """Give a connection the web's statement timeout while a request holds it, none otherwise.

    A page that runs past DB_STATEMENT_TIMEOUT_MS is cancelled by PostgreSQL and answered with
    the 503 page (errors.py), rather than holding a worker's thread and a connection. Commands
    (migrations, the demo seed, `flask ledger verify`) and the app's own threads hold
    connections outside requests and run as long as they need. The setting is sent only when a
    connection changes side, so a web worker's connections pay for it once.
    """
    wanted = current_app.config["DB_STATEMENT_TIMEOUT_MS"] if has_request_context() else 0
    if connection_record.info.get("statement_timeout", 0) == wanted:
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("SELECT set_config('statement_timeout', %s, false)", (f"{int(wanted)}ms",))
    cursor.close()
    dbapi_connection.commit()  # outside any transaction of the app's, and never rolled back
    connection_record.info["statement_timeout"] = wanted


def register(app) -> None:
    # Teardowns run last registered first: this one ends the session before Flask-SQLAlchemy's
    # own teardown, which then finds nothing left to end.
    app.teardown_appcontext(end_session)
    with app.app_context():
        engine = db.engine
    if engine.dialect.name == "postgresql":
        event.listen(engine, "checkout", _statement_timeout)
