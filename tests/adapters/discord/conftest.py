"""Fixtures: a loopback fake Discord and the real discord.py client wired to a real BotApp."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from adapters.discord.adapter import DiscordBot, point_at
from bot.app import BotApp
from bot.config import AdminsConfig, DiscordConfig, RemindersConfig, Settings, StorageConfig
from bot.core.clock import ManualClock
from tests.conftest import copy_sqlite
from tests.fakes.discord import GUILD_ID, FakeDiscord, Interaction

TOKEN = "fake-token"


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    async with FakeDiscord() as server:
        yield server
        assert server.violations == [], server.violations


def discord_settings(
    url: str, fake: FakeDiscord, admins: tuple[str, ...] = (), **discord: Any
) -> Settings:
    config = DiscordConfig(
        guild_id=GUILD_ID,
        api_base_url=fake.api_base_url,
        gateway_url=fake.gateway_url,
        **discord,
    )
    return Settings(
        storage=StorageConfig(url=url),
        admins=AdminsConfig(discord=admins),
        discord=config,
    )


class Running:
    """A started bot: the app, the client and its connect task."""

    def __init__(self, app: BotApp, bot: DiscordBot, task: asyncio.Task[None]) -> None:
        self.app = app
        self.bot = bot
        self.task = task

    async def stop(self) -> None:
        await self.bot.close()
        self.task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await self.task
        await self.app.close()


Starter = Callable[..., Awaitable[Running]]


@pytest.fixture
async def start_bot(
    fake: FakeDiscord, tmp_path: Path, clock: ManualClock, migrated_template: Path
) -> AsyncIterator[Starter]:
    """Start the real client against the fake (again and again: same database). The database
    starts migrated, a copy of the session's template: the migrations are tested elsewhere,
    and running them for each of these tests cost a third of a second of CPU."""
    running: list[Running] = []
    copy_sqlite(migrated_template, tmp_path / "bot.db")
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"

    async def start(
        *,
        registry_hook: Callable[[BotApp], None] | None = None,
        defer_after: float = 2.0,
        reminders: RemindersConfig | None = None,
        **discord: Any,
    ) -> Running:
        settings = discord_settings(url, fake, **discord)
        if reminders is not None:
            settings = settings.model_copy(update={"reminders": reminders})
        point_at(settings)
        app = await BotApp.start(settings, clock=clock)
        if registry_hook is not None:
            registry_hook(app)
        bot = DiscordBot(app, settings, defer_after=defer_after, guild_ready_timeout=0.05)
        await bot.login("fake-token")
        task = asyncio.create_task(bot.connect(reconnect=True))
        await fake.wait_connected()
        await asyncio.wait_for(bot.wait_until_ready(), 10)
        started = Running(app, bot, task)
        running.append(started)
        return started

    yield start
    for item in running:
        await item.stop()


def answers(interaction: Interaction) -> list[dict[str, Any]]:
    """Every message body the bot produced for an interaction, in order."""
    bodies = [c.get("data") or {} for c in interaction.callbacks if c["type"] in (4, 7)]
    return [*bodies, *interaction.edits, *interaction.followups]


def text_of(interaction: Interaction) -> str:
    return "\n".join(str(body.get("content") or "") for body in answers(interaction))


def ephemeral(body: dict[str, Any]) -> bool:
    return bool(int(body.get("flags") or 0) & 64)
