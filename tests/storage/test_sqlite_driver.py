"""SQLite's statements cross to aiosqlite's thread once each, with the same results as before
(storage/sqlite_driver.py), and units of work queue for SQLite's few connections instead of
opening and closing overflow ones."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

import aiosqlite
import pytest
from sqlalchemy import event, select, text, update
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import CursorResult

from storage.database import SQLITE_POOL_SIZE, Database
from storage.errors import DuplicateKeyError
from storage.models import Member


@pytest.fixture
async def database(tmp_path: Path) -> AsyncIterator[Database]:
    found = Database(f"sqlite+aiosqlite:///{tmp_path}/bot.db")
    await found.upgrade()
    try:
        yield found
    finally:
        await found.dispose()


@contextmanager
def hand_offs() -> Iterator[Counter[str]]:
    """Every call aiosqlite hands to a connection's thread, by the function's name."""
    counted: Counter[str] = Counter()
    original = aiosqlite.Connection._execute

    async def counting(self: aiosqlite.Connection, fn: Any, *args: Any, **kwargs: Any) -> Any:
        counted[getattr(fn, "__name__", repr(fn))] += 1
        return await original(self, fn, *args, **kwargs)

    aiosqlite.Connection._execute = counting
    try:
        yield counted
    finally:
        aiosqlite.Connection._execute = original


NOW = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)


def _member(member_id: int | None, name: str) -> Member:
    return Member(id=member_id, display_name=name, language="fr", created_at=NOW, updated_at=NOW)


async def test_a_read_and_a_write_cross_to_the_thread_once_each(database: Database) -> None:
    async with database.session() as session:  # a first connection, opened outside the count
        await session.execute(text("SELECT 1"))
    with hand_offs() as counted:
        async with database.unit_of_work() as uow:
            uow.session.add(_member(1, "Amina"))
            await uow.session.flush()
            rows = (await uow.session.execute(text("SELECT id, display_name FROM members"))).all()
    assert rows == [(1, "Amina")]
    # the insert, the select, the commit; no ping, no cursor to open or close, and the pool's
    # rollback at check-in has nothing to undo (SQLAlchemy's adapter: 4 per statement, + 2)
    assert sum(counted.values()) == 3, counted


async def test_rows_counts_and_new_ids_are_what_sqlite_says(database: Database) -> None:
    async with database.unit_of_work() as uow:
        uow.session.add_all([_member(1, "Amina"), _member(2, "Chloé")])
        added = _member(None, "Lina")  # its id from SQLite
        uow.session.add(added)
        await uow.session.flush()
        assert added.id == 3  # the cursor's lastrowid
        changed = await uow.session.execute(update(Member).values(language="es"))
        # an UPDATE's result is a CursorResult; the stubs type execute() as any Result
        assert cast(CursorResult[Any], changed).rowcount == 3
        names = await uow.session.scalars(select(Member.display_name).order_by(Member.id))
        assert list(names) == ["Amina", "Chloé", "Lina"]
        nothing = await uow.session.execute(text("SELECT id FROM members WHERE id = 99"))
        assert nothing.first() is None


async def test_many_rows_at_once_and_a_streamed_read(database: Database) -> None:
    async with database.unit_of_work() as uow:
        await uow.session.execute(
            text(
                "INSERT INTO members (id, display_name, languages, expertise, consent_publish,"
                " onboarded, created_at, updated_at)"
                " VALUES (:id, :name, '[]', '[]', 0, 0, :now, :now)"
            ),
            [{"id": i, "name": f"M{i}", "now": NOW} for i in range(1, 1201)],
        )
    async with database.session() as session:
        streamed = await session.stream(select(Member.id).order_by(Member.id))  # server side
        seen = [row async for row in streamed.scalars()]
    assert seen == list(range(1, 1201))


async def test_a_broken_rule_rolls_back_and_leaves_the_connection_usable(
    database: Database,
) -> None:
    async with database.unit_of_work() as uow:
        uow.session.add(_member(1, "Amina"))
    with pytest.raises(DuplicateKeyError):
        async with database.unit_of_work() as uow:
            uow.session.add(_member(2, "Chloé"))
            await uow.session.flush()
            uow.session.add(_member(1, "Again"))
    with pytest.raises(sa_exc.OperationalError):
        async with database.session() as session:
            await session.execute(text("SELEC 1"))
    async with database.unit_of_work() as uow:
        names = list(await uow.session.scalars(select(Member.display_name)))
    assert names == ["Amina"]  # Chloé went with the failed transaction


async def test_units_of_work_queue_for_sqlites_connections(database: Database) -> None:
    """Thirty-two at once used to borrow the pool's overflow: each a new thread and connection,
    closed again when given back (a connection opened every 20 updates end to end)."""
    opened: list[object] = []
    event.listen(database.engine.sync_engine, "connect", lambda *_: opened.append(1))
    started = asyncio.Event()

    async def one(index: int) -> None:
        async with database.unit_of_work() as uow:
            await uow.session.execute(text("SELECT :i"), {"i": index})
            await asyncio.sleep(0)  # hold the connection across a turn of the loop
            started.set()

    await asyncio.gather(*(one(i) for i in range(32)))
    assert started.is_set()
    assert len(opened) <= SQLITE_POOL_SIZE
