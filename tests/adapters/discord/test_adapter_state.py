"""The adapter_state table (command-sync hash) on SQLite and, when configured, PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

from storage.database import Database


async def test_adapter_state_keeps_one_value_per_key(db_url: str) -> None:
    database = Database(db_url)
    await database.upgrade()
    now = datetime(2026, 11, 21, 12, tzinfo=UTC)
    try:
        async with database.unit_of_work() as uow:
            assert await uow.adapter_state.get("discord.commands.x") is None
            await uow.adapter_state.put("discord.commands.x", "hash-1", now)
        async with database.unit_of_work() as uow:
            await uow.adapter_state.put("discord.commands.x", "hash-2", now)
        async with database.unit_of_work() as uow:
            assert await uow.adapter_state.get("discord.commands.x") == "hash-2"
    finally:
        await database.dispose()
