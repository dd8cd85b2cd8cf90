"""Reading and pruning a change log written by triggers (``advice_changes``, ``directory_changes``)
or by the ORM (``hub_changes``).

Each log has a numbered ``id`` (the version after the change), a ``community_id`` and the id of
the row that changed; an in-memory index follows it (``bot/core/followed.py``). The two reads
every follower needs are the same for every log.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models_advice_index import AdviceChange
from storage.models_hub import HubChange
from storage.models_networking import DirectoryChange


async def log_version(session: AsyncSession, log: Any) -> int:
    """The log's newest number (one index lookup), 0 when empty."""
    return int(await session.scalar(select(func.max(log.id))) or 0)


async def log_changes(
    session: AsyncSession, log: Any, changed: Any, after: int, limit: int, ids: Sequence[int]
) -> list[tuple[int, int, int]] | None:
    """(number, community, ``changed``) after number ``after`` and those numbered ``ids``
    (gaps seen earlier), oldest first; None when more than ``limit`` changed."""
    condition = log.id > after
    if ids:
        condition = or_(condition, log.id.in_(list(ids)))
    statement = (
        select(log.id, log.community_id, changed).where(condition).order_by(log.id).limit(limit + 1)
    )
    rows = (await session.execute(statement)).all()
    if len(rows) > limit:
        return None
    return [(int(a), int(b), int(c)) for a, b, c in rows]


async def prune_log(session: AsyncSession, log: Any, keep: int) -> int:
    """Delete all but the newest ``keep`` rows of ``log``; return how many went.

    A follower whose cursor falls in the deleted range finds all ``keep`` rows after it, so as
    long as ``keep`` exceeds every follower's incremental limit it rebuilds instead of applying
    an incomplete list (the caller keeps that promise). Rows, not numbers: a rolled-back
    transaction leaves a number unused, and ``keep`` numbers could hold fewer rows."""
    oldest_kept = select(log.id).order_by(log.id.desc()).offset(keep - 1).limit(1).scalar_subquery()
    result = await session.execute(delete(log).where(log.id < oldest_kept))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


class ChangeLogRepository:
    """The change logs the in-memory indexes follow, kept short (they were never pruned)."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def prune(self, keep: int) -> dict[str, int]:
        """All but the newest ``keep`` rows of each log deleted; rows deleted per table."""
        return {
            log.__tablename__: await prune_log(self.session, log, keep)
            for log in (AdviceChange, DirectoryChange, HubChange)
        }
