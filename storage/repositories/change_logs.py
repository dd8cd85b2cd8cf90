"""Reading a change log written by triggers (``advice_changes``, ``directory_changes``).

Each log has a numbered ``id`` (the version after the change), a ``community_id`` and the id of
the row that changed; an in-memory index follows it (``bot/core/followed.py``). The two reads
every follower needs are the same for every log.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession


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
