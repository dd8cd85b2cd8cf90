"""``tests.helpers.counted`` counts the block's own statements, never a background task's: the
statement-count tests (request path, reports at two sizes, fan-outs) rely on it."""

from __future__ import annotations

import asyncio

from sqlalchemy import text

from bot.app import BotApp
from tests.helpers import counted


async def _select(app: BotApp, marker: str) -> None:
    async with app.database.engine.connect() as connection:
        await connection.execute(text(f"SELECT '{marker}'"))


async def test_a_background_task_s_statements_are_not_counted(app: BotApp) -> None:
    started = asyncio.Event()
    release = asyncio.Event()

    async def background() -> None:
        started.set()
        await release.wait()
        await _select(app, "background")

    task = asyncio.create_task(background())
    await started.wait()
    with counted(app) as statements:
        release.set()
        await task  # ran while the block was open
        await _select(app, "mine")
    assert [s for s in statements if "background" in s] == []
    assert [s for s in statements if "mine" in s] == ["SELECT 'mine'"]
