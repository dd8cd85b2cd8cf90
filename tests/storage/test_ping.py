"""The pool's pre-ping on PostgreSQL: the transaction's own BEGIN, and still a dead connection
is replaced before a unit of work uses it (a database restart costs members nothing)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from sqlalchemy import text

from storage.database import Database
from tests.conftest import _pg_admin


@pytest.fixture
def pg_url(postgres_url: str | None) -> str:
    if postgres_url is None:
        pytest.skip("TEST_DATABASE_URL not set")
    return postgres_url


async def _backend_pid(database: Database) -> int:
    async with database.unit_of_work() as uow:
        return int((await uow.session.execute(text("SELECT pg_backend_pid()"))).scalar_one())


async def _raw_of_the_one_pooled_connection(database: Database) -> Any:
    await _backend_pid(database)  # one pooled connection
    async with database.engine.connect() as connection:
        raw = (await connection.get_raw_connection()).driver_connection
        assert raw is not None
    return raw


async def test_the_pre_ping_is_the_transactions_begin(pg_url: str) -> None:
    database = Database(pg_url, pool_size=1)
    try:
        raw = await _raw_of_the_one_pooled_connection(database)
        sent: list[str] = []
        raw.add_query_logger(lambda record: sent.append(record.query))
        async with database.unit_of_work() as uow:
            assert (await uow.session.execute(text("SELECT 41 + 1"))).scalar_one() == 42
        await asyncio.sleep(0)  # asyncpg calls query loggers soon, not at once
        # no probe of its own: the BEGIN checked the connection (SQLAlchemy's ping sent
        # BEGIN, a probe and ROLLBACK, and the unit of work its own BEGIN after them)
        assert sent == ["BEGIN;", "COMMIT;"]
    finally:
        await database.dispose()


async def test_autocommit_after_checkout_still_works(pg_url: str) -> None:
    """An isolation level chosen after checkout ends the ping's empty transaction first, so
    a statement that cannot run in a transaction block still runs."""
    database = Database(pg_url, pool_size=1)
    try:
        await _raw_of_the_one_pooled_connection(database)
        async with database.engine.connect() as connection:
            autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
            await autocommit.execute(text("VACUUM pg_catalog.pg_am"))  # no transaction block
        async with database.unit_of_work() as uow:  # the connection went back usable
            assert (await uow.session.execute(text("SELECT 1"))).scalar_one() == 1
    finally:
        await database.dispose()


async def test_a_connection_killed_by_the_server_is_replaced_unseen(pg_url: str) -> None:
    database = Database(pg_url)
    try:
        before = await _backend_pid(database)
        await _pg_admin(pg_url, f"SELECT pg_terminate_backend({before})")
        after = await _backend_pid(database)  # no error: the ping found it dead
        assert after != before
    finally:
        await database.dispose()
