"""Shared fixtures: a real SQLite file per test, and the real PostgreSQL when configured.

``TEST_DATABASE_URL`` (CI sets it to the machine's PostgreSQL) makes the ``db_url`` fixture run
each storage test on PostgreSQL too. Each test session gets its own PostgreSQL database, so
several runs on one server never see each other's rows.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from bot.app import BotApp
from bot.config import AdminsConfig, Settings, StorageConfig
from bot.core.clock import ManualClock
from bot.delivery import pacing
from bot.features.hub.service import HubService

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


async def reset_postgres(url: str) -> None:
    await _pg_admin(url, "DROP SCHEMA public CASCADE", "CREATE SCHEMA public")


@pytest.fixture(params=["sqlite", "postgresql"])
async def db_url(
    request: pytest.FixtureRequest, tmp_path: Path, postgres_url: str | None
) -> AsyncIterator[str]:
    """Run the test on a real SQLite file, and again on PostgreSQL when it is configured."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
        return
    if postgres_url is None:
        pytest.skip(f"{PG_ENV} not set")
    await reset_postgres(postgres_url)
    yield postgres_url


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"


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
async def app(sqlite_url: str, clock: ManualClock) -> AsyncIterator[BotApp]:
    """The whole bot on a real SQLite file, with a manual clock."""
    bot_app = await BotApp.start(make_settings(sqlite_url), clock=clock)
    await bot_app.services[HubService].saved()  # the hub index's warm-up, started in background
    yield bot_app
    await bot_app.close()
