"""SQLite through aiosqlite with one hand-off to its thread per statement, not four.

aiosqlite runs each connection in a thread of its own, and every call crosses to it and back:
a queue put, the thread's wake-up, then ``call_soon_threadsafe`` and the event loop's wake-up.
SQLAlchemy's adapter makes four such calls per statement (open a cursor, execute, fetch all,
close the cursor) and one more to roll back a connection going back to the pool even when no
transaction is open. On the request path that hand-off was most of SQLite's CPU
(docs/performance.md). Here a statement runs in the thread as one function (cursor, execute,
fetch, close) and returns its rows with the cursor's description, row count and last row id,
which is all SQLAlchemy reads from a cursor that is not server-side; a rollback with nothing
to roll back stays on the event loop.

Errors are sqlite3's own, raised from the same call as before, so SQLAlchemy translates them
as it did. Server-side cursors (``stream``) keep SQLAlchemy's adapter. The module is handed to
the engine with ``create_async_engine(..., module=one_hop_dbapi())``: the URL stays
``sqlite+aiosqlite://``.
"""

from __future__ import annotations

import collections
import sqlite3
from collections.abc import Sequence
from typing import Any

import aiosqlite
from sqlalchemy.connectors.asyncio import AsyncAdapt_dbapi_connection
from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_cursor,
    AsyncAdapt_aiosqlite_dbapi,
)
from sqlalchemy.util import EMPTY_DICT

Outcome = tuple[Any, list[Any], int, int | None]
"""What a statement leaves: the description, the rows, the row count, the last row id."""


def _run(connection: sqlite3.Connection, operation: str, parameters: Any) -> Outcome:
    """One statement, start to finish, in the connection's own thread."""
    cursor = connection.cursor()
    try:
        if parameters is None:
            cursor.execute(operation)
        else:
            cursor.execute(operation, parameters)
        rows = cursor.fetchall() if cursor.description else []
        return cursor.description, rows, cursor.rowcount, cursor.lastrowid
    finally:
        cursor.close()


def _run_many(connection: sqlite3.Connection, operation: str, parameters: Sequence[Any]) -> Outcome:
    cursor = connection.cursor()
    try:
        cursor.executemany(operation, parameters)
        return None, [], cursor.rowcount, cursor.lastrowid
    finally:
        cursor.close()


class OneHopCursor(AsyncAdapt_aiosqlite_cursor):
    """A client-side cursor whose statement crosses to the connection's thread once."""

    __slots__ = ("_arraysize", "_description", "_lastrowid", "_rowcount")

    def __init__(self, adapt_connection: AsyncAdapt_dbapi_connection) -> None:
        # SQLAlchemy's opens an aiosqlite cursor here (one hand-off); this one opens none
        self._adapt_connection = adapt_connection
        self._connection = adapt_connection._connection
        self._cursor = None  # type: ignore[assignment]
        self._soft_closed_memoized = EMPTY_DICT
        self._rows = collections.deque()
        self._description: Any = None
        self._rowcount = -1
        self._lastrowid: int | None = None
        self._arraysize = 1

    @property
    def description(self) -> Any:
        return self._description

    @property
    def rowcount(self) -> int:
        return self._rowcount

    @property
    def lastrowid(self) -> int:
        return self._lastrowid  # type: ignore[return-value]

    @property
    def arraysize(self) -> int:
        return self._arraysize

    @arraysize.setter
    def arraysize(self, value: int) -> None:
        self._arraysize = value

    async def _async_soft_close(self) -> None:
        """Nothing stays open on the thread's side: the rows are already here."""

    def close(self) -> None:
        self._rows.clear()

    async def _execute_async(self, operation: Any, parameters: Any) -> Any:
        connection: aiosqlite.Connection = self._connection  # type: ignore[assignment]
        outcome: Outcome = await connection._execute(_run, connection._conn, operation, parameters)
        self._keep(outcome)
        return self

    async def _executemany_async(self, operation: Any, seq_of_parameters: Any) -> Any:
        connection: aiosqlite.Connection = self._connection  # type: ignore[assignment]
        outcome: Outcome = await connection._execute(
            _run_many, connection._conn, operation, seq_of_parameters
        )
        self._keep(outcome)
        return self

    def _keep(self, outcome: Outcome) -> None:
        description, rows, self._rowcount, self._lastrowid = outcome
        self._description = description
        self._rows = collections.deque(rows)


class OneHopConnection(AsyncAdapt_aiosqlite_connection):
    """aiosqlite's adapted connection with :class:`OneHopCursor`, and a rollback that does
    not cross to the thread when no transaction is open (every check-in asks for one)."""

    __slots__ = ()

    _cursor_cls = OneHopCursor

    def rollback(self) -> None:
        raw = self._connection._connection
        if raw is not None and not raw.in_transaction:
            return  # the pool's reset after a commit: nothing to undo
        super().rollback()


class OneHopDBAPI(AsyncAdapt_aiosqlite_dbapi):
    """The DBAPI module SQLAlchemy's aiosqlite dialect is given: connections as above."""

    def connect(self, *arg: Any, **kw: Any) -> OneHopConnection:
        adapted = super().connect(*arg, **kw)
        return OneHopConnection(self, adapted._connection)


def one_hop_dbapi() -> OneHopDBAPI:
    return OneHopDBAPI(aiosqlite, sqlite3)
