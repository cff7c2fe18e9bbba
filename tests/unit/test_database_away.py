"""Only errors that say the database is unreachable become the 503 page; an error about the
query itself (a constraint, a timeout, a conflict) stays an ordinary error."""

from __future__ import annotations

import psycopg
import pytest
from psycopg import errors as pg
from sqlalchemy import exc as sa_exc

from exchange.database import database_away


def _wrapped(orig: Exception, invalidated: bool = False) -> sa_exc.DBAPIError:
    """As SQLAlchemy raises it: the driver's error inside its own class."""
    return sa_exc.DBAPIError.instance(
        "SELECT 1", {}, orig, psycopg.Error, connection_invalidated=invalidated
    )


def _name(error) -> str:
    return type(getattr(error, "orig", error)).__name__


AWAY = [
    _wrapped(psycopg.OperationalError("connection failed: Connection refused")),
    _wrapped(pg.AdminShutdown("terminating connection due to administrator command")),
    _wrapped(pg.CannotConnectNow("the database system is starting up")),
    _wrapped(pg.ConnectionFailure("connection failure")),
    _wrapped(psycopg.InterfaceError("the connection is closed")),
    _wrapped(psycopg.DatabaseError("server closed the connection"), invalidated=True),
    sa_exc.DisconnectionError("pool could not reconnect"),
    sa_exc.TimeoutError("QueuePool limit of size 5 overflow 10 reached, connection timed out"),
]
NOT_AWAY = [
    _wrapped(pg.UniqueViolation("duplicate key")),
    _wrapped(pg.QueryCanceled("canceling statement due to statement timeout")),
    _wrapped(pg.SerializationFailure("could not serialize access")),
    _wrapped(pg.DeadlockDetected("deadlock detected")),
    ValueError("not a database error"),
    None,
]


@pytest.mark.parametrize("error", AWAY, ids=_name)
def test_a_refused_or_lost_connection_means_the_database_is_away(error):
    assert database_away(error)


@pytest.mark.parametrize("error", NOT_AWAY, ids=_name)
def test_an_error_about_the_query_itself_is_not_the_database_away(error):
    assert not database_away(error)


def test_an_error_raised_while_handling_a_lost_connection_still_counts_as_away():
    try:
        try:
            raise _wrapped(pg.AdminShutdown("terminating connection"))
        except sa_exc.DBAPIError:
            raise RuntimeError("the page around it failed")  # noqa: B904 - as a bug would
    except RuntimeError as e:
        assert database_away(e)
