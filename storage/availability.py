"""Telling "the database is not there" from any other failure, as storage's own error.

Above storage, an outage (keep the update, retry later, report unhealthy) must be told from a
bug (apologize, log the traceback) without knowing the driver. :func:`watch_engine` installs two
engine events that raise :class:`~storage.errors.StorageUnavailable` at the source, inside
whatever code ran the query:

- ``handle_error`` for the driver's errors: PostgreSQL's connection, resource and shutdown
  classes, a missing database, schema or table, a refused user; SQLite's "unable to open",
  "database is locked" (after the busy timeout), disk and read-only errors, a missing table;
- ``do_connect`` for the operating system's: refused, unreachable, unknown host, timed out
  (asyncpg raises these as they are, outside SQLAlchemy's error handling).

Everything else (a broken constraint, a syntax error) passes through unchanged. The pre-ping that
checks a pooled connection before use is left alone: SQLAlchemy reconnects on its own there.

The same events keep an :class:`Availability`: every session transaction that committed after
running a statement (and every :meth:`~storage.database.Database.check` that finds the schema)
marks storage available, every
outage error marks it lost, and listeners hear each change (the app's health logs one line per
change and decides when to give up). A bare ``SELECT 1`` marks nothing: a database recreated
empty answers it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import event
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import Dialect, ExceptionContext
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.orm import Session, SessionTransaction

from storage.errors import StorageUnavailable

CONNECT_HINT = "check that the database server runs and the host and port in [storage] url"
SCHEMA_HINT = (
    "the database was emptied or recreated: restart the bot (start-up applies the migrations) "
    "or run `champions-bot db upgrade`"
)
PG_STATES = {
    "3D000": "create the database (createdb NAME) or fix its name in [storage] url",
    "3F000": SCHEMA_HINT,
    "42P01": SCHEMA_HINT,
    "28000": "check the user in [storage] url",
    "28P01": "check the user and password in [storage] url",
}
"""SQLSTATEs meaning the database, its schema or the right to use it is missing, with a fix."""
PG_CLASSES = {
    "08": CONNECT_HINT,  # connection exception
    "53": "the database server is out of connections, memory or disk",  # insufficient resources
    "57P": "the database server is shutting down or starting",  # shutdown, cannot connect now
}
SQLITE_MESSAGES = {
    "unable to open database file": (
        "check that [storage] url names a file in a folder that exists and is writable"
    ),
    "database is locked": "another process holds the SQLite file; only one bot may use it",
    "disk i/o error": "check the disk that holds the SQLite file",
    "readonly database": "make the SQLite file and its folder writable",
    "no such table": SCHEMA_HINT,
    "file is not a database": "[storage] url names a file that is not an SQLite database",
    "database disk image is malformed": "the SQLite file is damaged; restore it from a backup",
}


def _sqlstate(error: BaseException | None) -> str | None:
    state = getattr(error, "sqlstate", None) or getattr(error, "pgcode", None)
    return str(state) if state else None


def _driver_message(error: BaseException) -> str:
    """The driver's own words, on one line (SQLAlchemy's wrapper adds the SQL and a link)."""
    orig = getattr(error, "orig", None)
    text = str(orig if orig is not None else error) or type(error).__name__
    return " ".join(text.split())


def unavailable(error: BaseException) -> StorageUnavailable | None:
    """Storage's error for ``error`` when it means the database cannot be used, else ``None``."""
    if isinstance(error, StorageUnavailable):
        return error
    if isinstance(error, OSError):  # refused, unreachable, unknown host, timed out
        return StorageUnavailable(f"cannot connect: {_driver_message(error)}", hint=CONNECT_HINT)
    if isinstance(error, sa_exc.TimeoutError):  # no pooled connection came free in time
        return StorageUnavailable(_driver_message(error), hint=CONNECT_HINT)
    if not isinstance(error, sa_exc.DBAPIError):
        return None
    message = _driver_message(error)
    state = _sqlstate(error.orig)
    if state is not None:
        hint = PG_STATES.get(state) or next(
            (h for prefix, h in PG_CLASSES.items() if state.startswith(prefix)), None
        )
        if hint is not None:
            return StorageUnavailable(message, hint=hint)
    lowered = message.lower()
    for words, hint in SQLITE_MESSAGES.items():
        if words in lowered:
            return StorageUnavailable(message, hint=hint)
    if error.connection_invalidated or isinstance(error, sa_exc.InterfaceError):
        return StorageUnavailable(message, hint=CONNECT_HINT)
    return None


class Availability:
    """Whether the database answered lately, as the engine saw it.

    ``error`` is the outage in progress (``None`` while available), ``last_ok`` when a
    transaction last committed or a check last passed. Listeners are called on each change
    only (lost, back), in the event loop.
    """

    def __init__(self) -> None:
        self.error: StorageUnavailable | None = None
        self.last_ok: datetime | None = None
        self.lost_at: datetime | None = None
        self.listeners: list[Callable[[Availability], None]] = []

    @property
    def available(self) -> bool:
        return self.error is None

    def ok(self) -> None:
        self.last_ok = datetime.now(UTC)
        if self.error is not None:
            self.error = None
            self._changed()

    def lost(self, error: StorageUnavailable) -> None:
        changed = self.error is None
        self.error = error  # the latest reason, for whoever asks
        if changed:
            self.lost_at = datetime.now(UTC)
            self._changed()

    def _changed(self) -> None:
        for listener in list(self.listeners):
            listener(self)


def watch_engine(engine: AsyncEngine, availability: Availability) -> None:
    """Make ``engine`` raise :class:`StorageUnavailable` when the database cannot be used, and
    keep ``availability`` up to date."""

    def on_error(context: ExceptionContext) -> None:
        if context.is_pre_ping:  # a stale pooled connection: SQLAlchemy replaces it
            return
        translated = unavailable(context.sqlalchemy_exception or context.original_exception)
        if translated is not None:
            availability.lost(translated)
            raise translated

    def on_connect(dialect: Dialect, _record: Any, cargs: Any, cparams: Any) -> Any:
        try:
            return dialect.connect(*cargs, **cparams)
        except OSError as error:
            translated = unavailable(error)
            assert translated is not None
            availability.lost(translated)
            raise translated from error

    event.listen(engine.sync_engine, "handle_error", on_error)
    event.listen(engine.sync_engine, "do_connect", on_connect)
    _WATCHED[engine.sync_engine] = availability


_WATCHED: WeakKeyDictionary[Any, Availability] = WeakKeyDictionary()
"""Each watched engine's availability, for the session events below (one listener for all)."""
_USED = "storage.availability.used"
"""``Session.info`` key: the transaction in progress holds a connection (it ran a statement)."""


@event.listens_for(Session, "after_begin")
def _connection_used(session: Session, _transaction: SessionTransaction, _connection: Any) -> None:
    session.info[_USED] = True


@event.listens_for(Session, "after_rollback")
def _rolled_back(session: Session) -> None:
    session.info.pop(_USED, None)


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    """Mark storage available once a transaction that ran statements *has* committed.

    Not the engine's ``commit`` event: it fires before the driver commits, so a transaction
    that read before the database was dropped and committed after it said "storage back" for
    the instant before its commit failed (a false "back" between two "lost" lines)."""
    if not session.info.pop(_USED, False):
        return  # nothing ran: says nothing about the database
    bind = session.bind
    found = _WATCHED.get(getattr(bind, "engine", bind))
    if found is not None:
        found.ok()


@contextmanager
def unavailable_errors(availability: Availability) -> Iterator[None]:
    """Raise :class:`StorageUnavailable` for what the engine events cannot see (the pool's
    own timeout), and mark ``availability`` lost for any that leaves the block."""
    try:
        yield
    except StorageUnavailable as error:
        availability.lost(error)
        raise
    except sa_exc.SQLAlchemyError as error:  # not OSError: a feed fetch in a job is no outage
        translated = unavailable(error)
        if translated is None:
            raise
        availability.lost(translated)
        raise translated from error
