"""Processed platform updates, for idempotent handling of redeliveries."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, delete
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from storage.integrity import constraint_errors
from storage.models import ProcessedUpdate


def _first_time(insert: Any) -> Any:
    # on the table, not the mapped class: an ORM insert given values runs as a bulk insert,
    # whose result has no row count
    return (
        insert(ProcessedUpdate.__table__)
        .values(
            platform=bindparam("platform"),
            update_key=bindparam("update_key"),
            processed_at=bindparam("processed_at"),
        )
        .on_conflict_do_nothing(index_elements=["platform", "update_key"])
    )


FIRST_TIME = {"postgresql": _first_time(postgresql_insert), "sqlite": _first_time(sqlite_insert)}
"""Record an update unless it is known, per dialect: run on every request, so built once."""


class UpdateLog:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def seen(self, platform: str, update_key: str) -> bool:
        return await self.session.get(ProcessedUpdate, (platform, update_key)) is not None

    async def first_time(self, platform: str, update_key: str, now: datetime) -> bool:
        """Record the update unless it already is; True when this delivery is the first.

        One statement (an insert that skips a known key). On PostgreSQL, a concurrent twin
        that recorded it but has not committed makes this wait for its outcome, so exactly one
        of two simultaneous deliveries goes on.
        """
        statement = FIRST_TIME[self.session.get_bind().dialect.name]
        values = {"platform": platform, "update_key": update_key, "processed_at": now}
        result = await self.session.execute(statement, values)
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def record(self, platform: str, update_key: str, now: datetime) -> None:
        """Record the update in the request's transaction.

        Raises :class:`storage.errors.DuplicateKeyError` when a concurrent twin of this delivery
        recorded it first (or, if the twin has not committed yet, the commit fails the same way).
        """
        self.session.add(
            ProcessedUpdate(platform=platform, update_key=update_key, processed_at=now)
        )
        with constraint_errors():
            await self.session.flush()

    async def forget_before(self, moment: datetime) -> int:
        result = await self.session.execute(
            delete(ProcessedUpdate).where(ProcessedUpdate.processed_at < moment)
        )
        return int(result.rowcount or 0)  # type: ignore[attr-defined]
