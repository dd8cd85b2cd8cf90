"""The pool's pre-ping on PostgreSQL: the transaction's own ``BEGIN`` is the probe.

Every unit of work checks its pooled connection first (``pool_pre_ping``), so a database
restart costs members nothing: a dead connection is replaced before it is used. SQLAlchemy's
asyncpg ping opens a transaction around its probe (``BEGIN``, ``;``, ``ROLLBACK``: three round
trips, for pgbouncer's transaction mode, where a prepared probe could land on another server
connection), and the unit of work then opens its own with a fourth.

Here the probe is the ``BEGIN`` the connection's next statement would send anyway: the adapted
connection starts its transaction at checkout, exactly as it would before its first statement
(same isolation level, read-only and deferrable settings), so a request pays no round trip for
the ping at all. A dead connection fails the ``BEGIN``, through the driver's own error
translation, and the pool replaces it as before. A connection in autocommit mode, or one already
in a transaction, gets a plain ``SELECT 1`` in the simple protocol (one round trip, nothing
prepared).

What it costs elsewhere: a connection checked out and given back with no statement at all now
sends a ``ROLLBACK`` (the app always runs one), and setting an isolation level after checkout
rolls the empty transaction back first (the adapter does that for any open transaction).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.util.concurrency import await_


def begin_as_ping(engine: AsyncEngine) -> None:
    """Make ``engine``'s pre-ping the transaction's ``BEGIN`` (asyncpg only; other drivers
    keep theirs).

    Falls back to SQLAlchemy's own ping whenever the adapted connection does not look as
    expected (a SQLAlchemy release that renamed its parts)."""
    dialect = engine.sync_engine.dialect
    if dialect.driver != "asyncpg":
        return
    original = dialect.do_ping

    def do_ping(dbapi_connection: Any) -> bool:
        raw = getattr(dbapi_connection, "_connection", None)
        start = getattr(dbapi_connection, "_start_transaction", None)
        if raw is None or start is None or not hasattr(dbapi_connection, "_transaction"):
            return bool(original(dbapi_connection))
        if dbapi_connection._transaction is None and not dbapi_connection.autocommit:
            await_(start())  # raises the DBAPI error the pool reads, as a statement would
            return True
        try:
            await_(raw.execute("SELECT 1"))
        except Exception as error:
            dbapi_connection._handle_exception(error)  # raises the DBAPI error the pool reads
        return True

    dialect.do_ping = do_ping  # type: ignore[method-assign]
