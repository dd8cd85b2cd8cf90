"""Adapters tell readiness when their platform connection goes up and down."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from pathlib import Path

from adapters.discord import run_discord
from adapters.telegram import run_telegram
from bot.app import BotApp
from bot.core.clock import ManualClock
from tests.adapters.discord.conftest import discord_settings
from tests.adapters.telegram.conftest import telegram_settings
from tests.fakes.discord import FakeDiscord
from tests.fakes.telegram_api import FakeTelegram


async def _until(condition: Callable[[], object], within: float = 10.0) -> None:
    for _ in range(int(within / 0.02)):
        if condition():
            return
        await asyncio.sleep(0.02)
    raise AssertionError("never happened")


async def test_discord_reports_ready_dropped_and_resumed(
    tmp_path: Path, clock: ManualClock
) -> None:
    states: list[bool] = []
    async with FakeDiscord() as fake:
        settings = discord_settings(f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}", fake)
        app = await BotApp.start(settings, clock=clock)
        task = asyncio.create_task(
            run_discord(app, settings, "fake-token", on_connection=states.append)
        )
        try:
            await _until(lambda: states == [True])
            await fake.drop_connection()
            await _until(lambda: states[-1] is True and False in states)
            assert fake.resumes, "the client resumed its session"
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
            await app.close()


async def test_telegram_reports_up_once_polling_and_down_when_stopped(
    tmp_path: Path, clock: ManualClock
) -> None:
    states: list[bool] = []
    fake = FakeTelegram()
    await fake.start()
    app = await BotApp.start(
        telegram_settings(f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}", fake), clock=clock
    )
    running = run_telegram(app, app.settings, fake.token, on_connection=states.append)
    task = asyncio.create_task(running)
    try:
        await _until(lambda: states == [True])
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await app.close()
        await fake.stop()
    assert states == [True, False]
