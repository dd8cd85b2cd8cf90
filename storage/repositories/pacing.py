"""A send rate per platform shared by every process on one PostgreSQL database.

The bucket is one row per platform holding the next free send slot (seconds since the epoch on
the database server's clock, so hosts' clocks do not matter). A process reserves a few slots
at once with one atomic ``INSERT … ON CONFLICT DO UPDATE … RETURNING``: the row lock makes
concurrent reservations take turns, and each gets slots after the previous ones, so every
process together sends at most at the platform's rate. A platform-wide 429 moves the next slot
past the wait, for every process.

PostgreSQL only: on SQLite (one process) the dispatcher paces itself in memory.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

_NOW = "extract(epoch from clock_timestamp())"

_RESERVE = text(
    f"""
    INSERT INTO platform_pacing (platform, next_at) VALUES (:platform, {_NOW} + :span)
    ON CONFLICT (platform) DO UPDATE
        SET next_at = GREATEST(platform_pacing.next_at, {_NOW} - :slack) + :span
    RETURNING next_at - :span - {_NOW}
    """
)

_PAUSE = text(
    f"""
    INSERT INTO platform_pacing (platform, next_at) VALUES (:platform, {_NOW} + :seconds)
    ON CONFLICT (platform) DO UPDATE
        SET next_at = GREATEST(platform_pacing.next_at, {_NOW} + :seconds)
    """
)


async def reserve(
    connection: AsyncConnection, platform: str, *, count: int, interval: float, slack: float
) -> float:
    """Reserve ``count`` consecutive slots ``interval`` apart; returns the seconds from now
    until the first one (negative: it is already free). ``slack``: slots missed within that
    many seconds are still handed out (timers wake late; the average rate holds)."""
    result = await connection.execute(
        _RESERVE, {"platform": platform, "span": count * interval, "slack": slack}
    )
    return float(result.scalar_one())


async def pause(connection: AsyncConnection, platform: str, *, seconds: float) -> None:
    """Nobody sends on ``platform`` for ``seconds`` from now (a platform-wide 429)."""
    await connection.execute(_PAUSE, {"platform": platform, "seconds": seconds})
