"""The pool's pre-ping in one round trip on PostgreSQL instead of three.

Every unit of work checks its pooled connection first (``pool_pre_ping``), so a database
restart costs members nothing: a dead connection is replaced before it is used. SQLAlchemy's
asyncpg ping opens a transaction around its probe (``BEGIN``, ``;``, ``ROLLBACK``: three round
trips, for pgbouncer's transaction mode, where a prepared probe could land on another server
connection). A probe sent with the simple query protocol (``execute("SELECT 1")`` with no arguments)
prepares nothing, so it needs no transaction: one round trip per request instead of three,
with the same answer, and a failure still goes through the driver's own error translation,
so the pool tells a disconnect from another error as before.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.util.concurrency import await_


def ping_in_one_round_trip(engine: AsyncEngine) -> None:
    """Make ``engine``'s pre-ping one simple query (asyncpg only; other drivers keep theirs).

    Falls back to SQLAlchemy's own ping whenever the adapted connection does not look as
    expected (a transaction already open, or a SQLAlchemy release that renamed its parts)."""
    dialect = engine.sync_engine.dialect
    if dialect.driver != "asyncpg":
        return
    original = dialect.do_ping

    def do_ping(dbapi_connection: Any) -> bool:
        raw = getattr(dbapi_connection, "_connection", None)
        if raw is None or getattr(dbapi_connection, "_transaction", True) is not None:
            return bool(original(dbapi_connection))
        try:
            await_(raw.execute("SELECT 1"))
        except Exception as error:
            dbapi_connection._handle_exception(error)  # raises the DBAPI error the pool reads
        return True

    dialect.do_ping = do_ping  # type: ignore[method-assign]
