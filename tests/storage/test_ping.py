"""The pool's pre-ping on PostgreSQL: one simple query, and still a dead connection is replaced
before a unit of work uses it (a database restart costs members nothing)."""

from __future__ import annotations

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


async def test_the_pre_ping_is_one_query_without_a_transaction(pg_url: str) -> None:
    database = Database(pg_url)
    try:
        await _backend_pid(database)  # one pooled connection
        sent: list[str] = []
        async with database.engine.connect() as connection:  # checkout: the pre-ping
            raw = (await connection.get_raw_connection()).driver_connection
            assert raw is not None
        raw.add_query_logger(lambda record: sent.append(record.query))
        async with database.engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
        # the ping alone, then the statement's own transaction (SQLAlchemy's ping sent
        # BEGIN, a probe and ROLLBACK first)
        assert sent[:2] == ["SELECT 1", "BEGIN;"]
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
