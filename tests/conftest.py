"""Shared fixtures: a real SQLite file per test, and the real PostgreSQL when configured.

Every test still gets its own SQLite file, but not by running the 27 migrations and importing
the demo catalogue again (about 0.7 s of CPU a test, two thirds of the suite's time): the
``sqlite_url`` file starts as a copy of one migrated once per session, and the ``app`` fixture's
as a copy of a bot started once per session and start time (:func:`started_copy`). The copies
are byte-for-byte what those steps write; the migrations and the first start themselves are
tested on fresh files (``fresh_sqlite_url``) by the tests that are about them.

``TEST_DATABASE_URL`` (CI sets it to the machine's PostgreSQL) makes the ``db_url`` fixture run
each storage test on PostgreSQL too. Each test session gets its own PostgreSQL database, so
several runs on one server never see each other's rows; ``db_url`` makes it a copy of a database
migrated once per session (``CREATE DATABASE ... TEMPLATE``), as SQLite's is a file copy.
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import create_async_engine

from bot.app import BotApp
from bot.config import AdminsConfig, Settings, StorageConfig
from bot.core.clock import ManualClock
from bot.delivery import pacing
from storage.database import upgrade_sync

pytest_plugins = ["tests.cpu_report"]

PG_ENV = "TEST_DATABASE_URL"


async def _pg_admin(url: str, *statements: str) -> None:
    engine = create_async_engine(url, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as connection:
            for statement in statements:
                await connection.execute(text(statement))
    finally:
        await engine.dispose()


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str | None]:
    """A fresh database on the configured PostgreSQL server for this test session."""
    base = os.environ.get(PG_ENV)
    if not base:
        yield None
        return
    name = f"champions_test_{uuid.uuid4().hex[:10]}"
    asyncio.run(_pg_admin(base, f'CREATE DATABASE "{name}"'))
    url = make_url(base).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        asyncio.run(_pg_admin(base, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture
async def pg_app(postgres_url: str | None) -> AsyncIterator[BotApp]:
    """An app started on an emptied PostgreSQL database (skipped without one), its hub index
    saved: for what only PostgreSQL shows (a change number committed after a higher one)."""
    if postgres_url is None:
        pytest.skip("TEST_DATABASE_URL not set")
    await reset_postgres(postgres_url)
    app = await BotApp.start(make_settings(postgres_url), clock=ManualClock())
    await app.warmed()
    yield app
    await app.close()


async def reset_postgres(url: str) -> None:
    """Empty the database. An app of the test may still read in the background (an index
    warming up): PostgreSQL then ends one side of the lock cycle as a deadlock; if it picked
    the drop, the drop runs again."""
    for attempt in range(5):
        try:
            await _pg_admin(url, "DROP SCHEMA public CASCADE", "CREATE SCHEMA public")
            return
        except DBAPIError as error:
            if "deadlock" not in str(error) or attempt == 4:
                raise
            await asyncio.sleep(0.1)


async def _database_url(
    request: pytest.FixtureRequest, tmp_path: Path, postgres_url: str | None
) -> str:
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    if postgres_url is None:
        pytest.skip(f"{PG_ENV} not set")
    await reset_postgres(postgres_url)
    return postgres_url


@pytest.fixture(params=["sqlite", "postgresql"])
async def fresh_db_url(
    request: pytest.FixtureRequest, tmp_path: Path, postgres_url: str | None
) -> str:
    """An empty database (no table yet) on a real SQLite file, and again on PostgreSQL when
    it is configured: for the tests of the migrations themselves."""
    return await _database_url(request, tmp_path, postgres_url)


@pytest.fixture(params=["sqlite", "postgresql"])
async def db_url(
    request: pytest.FixtureRequest, tmp_path: Path, postgres_url: str | None,
    migrated_template: Path, postgres_template: str | None,
) -> str:  # fmt: skip
    """Run the test on a real SQLite file, and again on PostgreSQL when it is configured;
    both already migrated, copies of the session's templates."""
    if request.param == "sqlite":
        copy_sqlite(migrated_template, tmp_path / "bot.db")
        return f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    if postgres_url is None or postgres_template is None:
        pytest.skip(f"{PG_ENV} not set")
    await copy_postgres(postgres_template, postgres_url)
    return postgres_url


@pytest.fixture(scope="session")
def postgres_template(postgres_url: str | None) -> Iterator[str | None]:
    """A PostgreSQL database at the newest migration, migrated once per session: what
    ``db_url`` gives is a copy of it. Before, each test emptied the schema and its start ran
    the migrations again: about 0.5 s a test, 120 tests."""
    if postgres_url is None:
        yield None
        return
    template = f"{make_url(postgres_url).database}_migrated"
    asyncio.run(_pg_admin(os.environ[PG_ENV], f'CREATE DATABASE "{template}"'))
    try:
        upgrade_sync(_on_database(postgres_url, template))
        yield template
    finally:
        asyncio.run(_pg_admin(os.environ[PG_ENV], f'DROP DATABASE IF EXISTS "{template}"'))


def _on_database(url: str, name: str) -> str:
    return make_url(url).set(database=name).render_as_string(hide_password=False)


async def copy_postgres(template: str, url: str) -> None:
    """Make ``url``'s database a fresh copy of ``template`` (PostgreSQL copies its files: about
    0.1 s). Connections a test left open to the old one are closed."""
    name = make_url(url).database
    await _pg_admin(
        os.environ[PG_ENV],
        f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)',
        f'CREATE DATABASE "{name}" TEMPLATE "{template}"',
    )


def copy_sqlite(source: Path, target: Path) -> None:
    """Copy a closed SQLite database with SQLite's own backup (a WAL file is never missed)."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    src.close()
    dst.close()


@pytest.fixture(scope="session")
def templates(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder for this session's template databases."""
    return tmp_path_factory.mktemp("templates")


@pytest.fixture(scope="session")
def migrated_template(templates: Path) -> Path:
    """An empty database at the newest migration, migrated once per session."""
    path = templates / "migrated.db"
    upgrade_sync(f"sqlite+aiosqlite:///{path}")
    return path


@pytest.fixture
def fresh_sqlite_url(tmp_path: Path) -> str:
    """A SQLite file that does not exist yet: for tests of migrations and of a first start."""
    return f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"


@pytest.fixture
def sqlite_url(tmp_path: Path, migrated_template: Path) -> str:
    """A SQLite file of its own, already migrated (a copy of :func:`migrated_template`)."""
    copy_sqlite(migrated_template, tmp_path / "bot.db")
    return f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"


_STARTED: dict[object, Path] = {}


async def started_copy(target: Path, templates: Path, clock: ManualClock) -> None:
    """Make ``target`` what :meth:`BotApp.start` leaves with the test settings at the clock's
    time (migrated, the demo catalogue imported, the hub index saved), from a template started
    once per session and time; each test then starts on its own copy."""
    key = clock.now()
    if key not in _STARTED:
        path = templates / f"started-{len(_STARTED)}.db"
        first = await BotApp.start(
            make_settings(f"sqlite+aiosqlite:///{path}"), clock=ManualClock(key)
        )
        await first.warmed()
        await first.close()
        _STARTED[key] = path
    copy_sqlite(_STARTED[key], target)


@pytest.fixture(autouse=True)
def _no_chat_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests send many messages to one chat in real time: the platforms' per-chat limits
    (1 a second, 20 a minute) are off unless a test sets ``[reminders] chat_limits``
    (tests/delivery/test_fair.py)."""
    monkeypatch.setattr(pacing, "PLATFORM_CHAT_LIMITS", {})


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


def make_settings(url: str, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "storage": StorageConfig(url=url),
        "admins": AdminsConfig(console=("sofia",)),
    }
    values.update(overrides)
    return Settings.model_validate(values)


@pytest.fixture
async def app(
    sqlite_url: str, tmp_path: Path, templates: Path, clock: ManualClock
) -> AsyncIterator[BotApp]:
    """The whole bot on a real SQLite file, with a manual clock."""
    await started_copy(tmp_path / "bot.db", templates, clock)
    bot_app = await BotApp.start(make_settings(sqlite_url), clock=clock)
    await bot_app.warmed()  # the indexes warm up in background: a test starts after them
    yield bot_app
    await bot_app.close()
