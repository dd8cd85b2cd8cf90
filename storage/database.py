"""The async engine and sessions, and applying migrations at start-up."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import event, text
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from storage.availability import Availability, unavailable_errors, watch_engine
from storage.errors import StorageUnavailable
from storage.integrity import constraint_errors
from storage.ping import begin_as_ping
from storage.sqlite_driver import one_hop_dbapi
from storage.unit_of_work import UnitOfWork

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
STARTUP_LOCK = 0x43_48_41_4D  # "CHAM"
"""The PostgreSQL advisory lock that serializes start-ups (migrations, the communities of the
config, the demo catalogue): processes started together on one fresh database take turns
instead of racing to create the same tables and rows."""


POOL_SIZE = 15
MAX_OVERFLOW = 5
POOL_TIMEOUT = 30.0
SQLITE_POOL_SIZE = 4
"""Connections kept to a SQLite file, whatever ``pool_size`` says (it sizes PostgreSQL's pool).

SQLite has one writer, and every request writes: fifteen connections only took turns at its
file lock, through its busy handler, which serves no one in order. With four, the router ran
1.5x the requests a second and its back-to-back p99 fell from 470 to 166 ms
(docs/performance.md); a long export still leaves three for everyone else."""
"""The pool keeps ``pool_size`` connections open and :class:`Database` lets as many units of
work in at once; the overflow is for what runs beside them (the wake-up listener, the
start-up lock). SQLAlchemy's defaults (5 kept, 10 overflow, with units of work up to 15) closed
an overflow connection whenever 5 were idle and opened one again moments later: with 50
members at once about one new PostgreSQL connection per 13 requests (a server process, an SSL
attempt, asyncpg's type introspection) and the server planning the fixed statements afresh
on each (docs/performance.md). A request waits as long as the pool would before it gives up."""

_HOLDS_TURN: ContextVar[bool] = ContextVar("holds_database_turn", default=False)
"""Set while a task is inside a unit of work: a nested one does not queue again (it would
wait for itself)."""


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """WAL lets readers and one writer work at once; foreign keys make cascades real."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def alembic_config(url: str) -> AlembicConfig:
    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


@cache
def migration_heads() -> frozenset[str]:
    """The revisions a fully migrated database is at (the scripts are read once a process)."""
    return frozenset(ScriptDirectory.from_config(alembic_config("")).get_heads())


def is_current(connection: Connection) -> bool:
    """Whether the database is at every head already: a restart then skips Alembic's
    environment, which reads and runs every migration script (most of a start's time)."""
    applied = MigrationContext.configure(connection).get_current_heads()
    return frozenset(applied) == migration_heads()


def _sqlite_folder(database: str) -> None:
    """Create the SQLite file's folder, or say why it cannot be."""
    folder = Path(database).parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        why = "a file is in the way" if isinstance(error, FileExistsError) else error.strerror
        raise StorageUnavailable(
            f"cannot create the folder {folder} for the SQLite file: {why}",
            hint="choose a writable place in [storage] url",
        ) from error


class Database:
    """One database: the engine, a session factory and units of work.

    A database that cannot be used raises :class:`StorageUnavailable` (from any statement, the
    unit of work and :meth:`check`); :attr:`availability` follows what the engine saw.
    """

    def __init__(self, url: str, *, echo: bool = False, pool_size: int = POOL_SIZE) -> None:
        self.url = url
        parsed = make_url(url)
        self.dialect = parsed.get_backend_name()
        if self.dialect == "sqlite" and parsed.database and parsed.database != ":memory:":
            _sqlite_folder(parsed.database)
        memory = self.dialect == "sqlite" and parsed.database in (None, "", ":memory:")
        if self.dialect == "sqlite":
            pool_size = min(pool_size, SQLITE_POOL_SIZE)
        pooled: dict[str, Any] = (
            {}  # one connection, shared (StaticPool): nothing to queue for
            if memory
            else {
                "pool_size": pool_size,
                "max_overflow": MAX_OVERFLOW,
                "pool_timeout": POOL_TIMEOUT,
            }
        )
        if parsed.get_driver_name() == "aiosqlite":
            pooled["module"] = one_hop_dbapi()  # one thread hand-off per statement
        self.engine: AsyncEngine = create_async_engine(
            # a SQLite connection is a file this process holds: nothing on the other side can
            # drop it, and its ping was a quarter of a request's hand-offs to aiosqlite
            url,
            echo=echo,
            pool_pre_ping=self.dialect != "sqlite",
            **pooled,
        )
        begin_as_ping(self.engine)
        self._turns = None if memory else asyncio.Semaphore(pool_size)
        """Units of work wait here, first come first served, for a pooled connection.

        The pool alone is not fair: a connection given back goes to whoever asks next, not to
        who waited longest (``AsyncAdaptedQueue`` takes a free one without queueing, and a
        waiter that lost it queues again at the back). With 50 members at once, those who got
        a connection kept getting one and a few waited for seconds (the router's p99 was 5-10
        times its p50), up to the pool's timeout. ``asyncio.Semaphore`` serves its waiters in
        order (since Python 3.11.1). On SQLite its writer lock decides the order of writes,
        but without the queue 32 requests at once borrowed the pool's overflow: a thread and a
        connection opened, then closed when given back, once every 20 updates end to end
        (docs/performance.md). A shared in-memory database has one connection and no queue."""
        self.availability = Availability()
        watch_engine(self.engine, self.availability)
        if self.dialect == "sqlite":
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)
        self.after_enqueue: list[Callable[[], None]] = []
        """Called after a transaction that queued outbox rows commits (wakes the dispatcher)."""
        self._starting = False

    @property
    def is_postgresql(self) -> bool:
        return self.dialect == "postgresql"

    async def ping(self, seconds: float = 2.0) -> None:
        """One round trip (``SELECT 1``), for readiness checks; raises when the database
        cannot answer within ``seconds`` (TimeoutError) or at all."""
        async with asyncio.timeout(seconds), self.engine.connect() as connection:
            await connection.execute(text("SELECT 1"))

    async def upgrade(self) -> None:
        """Apply every Alembic migration not yet applied (all heads)."""

        def run(connection: Connection) -> None:
            if is_current(connection):
                return
            config = alembic_config(self.url)
            config.attributes["connection"] = connection
            command.upgrade(config, "heads")

        async with self.startup_lock():
            with unavailable_errors(self.availability):
                async with self.engine.begin() as connection:
                    await connection.run_sync(run)

    @asynccontextmanager
    async def startup_lock(self) -> AsyncIterator[None]:
        """Run the block alone among the processes starting on this PostgreSQL database
        (:data:`STARTUP_LOCK`, held by one connection, released when it closes: a crashed
        process does not keep it). Re-entered by the same :class:`Database`, it does nothing."""
        if not self.is_postgresql or self._starting:
            yield
            return
        with unavailable_errors(self.availability):
            connection = await self.engine.connect()
            try:
                await connection.execute(
                    text("SELECT pg_advisory_lock(:key)"), {"key": STARTUP_LOCK}
                )
                await connection.commit()
            except BaseException:
                await connection.close()
                raise
        self._starting = True
        try:
            yield
        finally:
            self._starting = False
            with unavailable_errors(self.availability):
                try:
                    await connection.execute(
                        text("SELECT pg_advisory_unlock(:key)"), {"key": STARTUP_LOCK}
                    )
                    await connection.commit()
                finally:
                    await connection.close()

    async def check(self) -> None:
        """Raise :class:`StorageUnavailable` unless the database answers with its schema in
        place (a database recreated empty answers, but has no migration recorded)."""
        with unavailable_errors(self.availability):
            async with self.engine.connect() as connection:
                applied = await connection.scalar(text("SELECT version_num FROM alembic_version"))
        if applied is None:
            error = StorageUnavailable(
                "no migration is recorded in the database",
                hint="run `champions-bot db upgrade` or restart the bot",
            )
            self.availability.lost(error)
            raise error
        self.availability.ok()

    @asynccontextmanager
    async def unit_of_work(self) -> AsyncIterator[UnitOfWork]:
        """A transaction with every repository: committed if the block succeeds.

        A broken constraint, in the block or at commit, leaves as storage's own error
        (:class:`storage.errors.DuplicateKeyError` for a duplicate key), never as SQLAlchemy's;
        a database that cannot be used, as :class:`StorageUnavailable`.
        """
        async with self._turn():
            with unavailable_errors(self.availability), constraint_errors():
                # The session begins on its first statement (autobegin) and is committed or
                # rolled back here: ``session.begin()`` hands its empty begin to SQLAlchemy's
                # greenlet, one hand-off per request for nothing (docs/performance.md).
                session = self.sessions()
                try:
                    yield UnitOfWork(session, dialect=self.dialect, wake_hooks=self.after_enqueue)
                    await session.commit()
                except BaseException:
                    if session.sync_session.in_transaction():
                        await session.rollback()
                    raise
                finally:
                    await _close(session)

    @asynccontextmanager
    async def _turn(self) -> AsyncIterator[None]:
        """Wait for this task's turn at the pool (see ``_turns``); a nested unit of work
        already has it. A wait as long as the pool's timeout is an outage, as the pool's is."""
        if self._turns is None or _HOLDS_TURN.get():
            yield
            return
        with unavailable_errors(self.availability):
            try:
                if self._turns.locked():  # someone waits, or none is free: queue, with a limit
                    async with asyncio.timeout(POOL_TIMEOUT):  # no task, unlike wait_for
                        await self._turns.acquire()
                else:  # free and nobody ahead: taken at once
                    await self._turns.acquire()
            except TimeoutError:
                raise sa_exc.TimeoutError(
                    f"no database connection free within {POOL_TIMEOUT:.0f} s"
                ) from None
        token = _HOLDS_TURN.set(True)
        try:
            yield
        finally:
            _HOLDS_TURN.reset(token)
            self._turns.release()

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        async with self.sessions() as session:
            yield session

    async def dispose(self) -> None:
        await self.engine.dispose()


async def _close(session: AsyncSession) -> None:
    """Close a unit of work's session. Once its transaction has committed or rolled back, the
    connection is back in the pool and closing only forgets the session's objects: done
    in place. ``AsyncSession``'s own exit runs ``close()`` in a task of its own, shielded
    from cancellation, for a close that still has a connection to give back: a task and a
    turn of the event loop on every request (docs/performance.md), kept for that case."""
    if session.sync_session.in_transaction():  # left open (a failed commit, a cancel)
        await session.__aexit__(None, None, None)  # AsyncSession's own exit: safe from cancel
    else:
        session.sync_session.close()


def upgrade_sync(url: str) -> None:
    """Apply migrations from synchronous code (the CLI)."""

    async def run() -> None:
        database = Database(url)
        try:
            await database.upgrade()
        finally:
            await database.dispose()
            await asyncio.to_thread(_join_driver_threads)

    asyncio.run(run())


def _join_driver_threads(seconds: float = 2.0) -> None:
    """Wait for aiosqlite's connection threads while the event loop still runs.

    When a connection fails to open (a path that is a folder), aiosqlite stops its worker
    thread by posting one last result to the loop; if ``asyncio.run`` has closed the loop by
    then, the thread prints "Event loop is closed" under the bot's one-line error.
    """
    for thread in threading.enumerate():
        if "_connection_worker_thread" in thread.name:
            thread.join(seconds)
