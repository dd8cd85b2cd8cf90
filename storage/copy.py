"""``champions-bot db copy --to URL``: every row of one database into another, empty one.

The way from the console's SQLite file to PostgreSQL (docs/deploy.md). The target is
migrated to the current schema first and must hold no row; the source must be fully
migrated too, so both have the same tables. Tables are copied parents first (foreign-key
order; the tables triggers write, last), each in primary-key order and in batches, all in one
transaction on the target: a copy that fails half-way leaves the target empty, ready for
another try. On PostgreSQL the id sequences are then moved past the copied ids, so the next
row gets a fresh id.
"""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy import Integer, Table, delete, func, insert, select, text
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.database import Database
from storage.models import Base
from storage.revisions import UnknownRevisionError, pending_migrations

BATCH_SIZE = 1000
WRITTEN_BY_TRIGGERS = frozenset({"advice_changes", "directory_changes"})
"""Tables the target's triggers fill while other tables are copied (migrations 0028, 0030): emptied
of those rows and copied last, so they hold the source's rows exactly."""


class CopyRefused(Exception):
    """The copy would lose or mix data; the message says what to do."""


async def copy_database(
    source_url: str, target_url: str, *, batch_size: int = BATCH_SIZE
) -> dict[str, int]:
    """Copy every table of ``source_url`` into ``target_url``; return the rows per table."""
    source = Database(source_url)
    target = Database(target_url)
    try:
        await _check_source(source)
        await target.upgrade()
        async with target.engine.begin() as write:
            await _refuse_rows(write)
            async with source.engine.connect() as read:
                tables = sorted(Base.metadata.sorted_tables,
                                key=lambda table: table.name in WRITTEN_BY_TRIGGERS)  # fmt: skip
                counts: dict[str, int] = {}
                for table in tables:
                    if table.name in WRITTEN_BY_TRIGGERS:
                        await write.execute(delete(table))
                    counts[table.name] = await _copy_table(read, write, table, batch_size)
            if target.is_postgresql:
                await _move_sequences(write)
        return counts
    finally:
        await source.dispose()
        await target.dispose()


def copy_database_sync(source_url: str, target_url: str) -> dict[str, int]:
    return asyncio.run(copy_database(source_url, target_url))


async def _check_source(source: Database) -> None:
    try:
        pending = await pending_migrations(source)
    except UnknownRevisionError as unknown:
        raise CopyRefused(
            f"The source database is at revision {unknown}, which this version of the bot "
            "does not know: copy with the version that wrote it."
        ) from None
    if pending:
        raise CopyRefused(
            f"The source database lacks {len(pending)} migration(s): run "
            "`champions-bot db upgrade` on it first."
        )


async def _refuse_rows(write: AsyncConnection) -> None:
    for table in Base.metadata.sorted_tables:
        if await write.scalar(select(func.count()).select_from(table)):
            raise CopyRefused(
                f"The target database is not empty (table {table.name} has rows): copy into "
                "a new, empty database only, so nothing is mixed or overwritten."
            )


async def _copy_table(
    read: AsyncConnection, write: AsyncConnection, table: Table, batch_size: int
) -> int:
    """Rows in primary-key order (a row that points at an earlier row of its own table comes
    after it), ``batch_size`` at a time."""
    copied = 0
    result = await read.stream(select(table).order_by(*table.primary_key.columns))
    async for batch in result.mappings().partitions(batch_size):
        rows: list[dict[str, Any]] = [dict(row) for row in batch]
        await write.execute(insert(table), rows)
        copied += len(rows)
    return copied


async def _move_sequences(write: AsyncConnection) -> None:
    for table in Base.metadata.sorted_tables:
        columns = list(table.primary_key.columns)
        if len(columns) != 1 or not isinstance(columns[0].type, Integer):
            continue
        column = columns[0].name
        sequence = await write.scalar(
            text("SELECT pg_get_serial_sequence(:table, :column)"),
            {"table": table.name, "column": column},
        )
        if sequence is None:
            continue
        await write.execute(
            text(
                f'SELECT setval(:sequence, COALESCE((SELECT MAX("{column}") FROM '
                f'"{table.name}"), 1), (SELECT MAX("{column}") FROM "{table.name}") IS NOT NULL)'
            ),
            {"sequence": sequence},
        )
