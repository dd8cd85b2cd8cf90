"""`champions-bot run --only ROLE`: each process of a split deployment does its part only.

Both loopback platforms run, both tokens are set, and the outbox holds a row for each
platform; what each role receives, sends and leaves alone is read on the fakes.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from adapters.runner import Role, run_platforms
from bot.config import AdminsConfig, DiscordConfig, Settings, StorageConfig, TelegramConfig
from bot.core.messages import Platform, Recipient, Reply
from bot.delivery import outbox
from storage.database import Database
from storage.statuses import OutboxStatus
from tests.fakes.discord import GUILD_ID, FakeDiscord
from tests.fakes.telegram_api import FakeTelegram

TELEGRAM_USER = 101


@pytest.fixture
async def telegram() -> AsyncIterator[FakeTelegram]:
    server = FakeTelegram()
    await server.start()
    yield server
    await server.stop()
    assert server.violations == []


@pytest.fixture
async def discord() -> AsyncIterator[FakeDiscord]:
    async with FakeDiscord() as server:
        yield server
        assert server.violations == []


def _settings(url: str, telegram: FakeTelegram, discord: FakeDiscord) -> Settings:
    return Settings(
        storage=StorageConfig(url=url),
        admins=AdminsConfig(),
        telegram=TelegramConfig(api_base_url=telegram.base_url),
        discord=DiscordConfig(
            guild_id=GUILD_ID, api_base_url=discord.api_base_url, gateway_url=discord.gateway_url
        ),
    )


async def _queue_one_per_platform(url: str, discord_user: str) -> None:
    due = datetime.now(UTC) - timedelta(minutes=1)
    database = Database(url)
    await database.upgrade()
    try:
        async with database.unit_of_work() as uow:
            await uow.outbox.enqueue_many(
                [
                    outbox.message(
                        "role:telegram",
                        "announcement",
                        Recipient(Platform.TELEGRAM, str(TELEGRAM_USER), private=True),
                        Reply.text("Hello Telegram"),
                        due,
                    ),
                    outbox.message(
                        "role:discord",
                        "announcement",
                        Recipient(Platform.DISCORD, discord_user, private=True),
                        Reply.text("Hello Discord"),
                        due,
                    ),
                ],
                now=due,
            )
    finally:
        await database.dispose()


async def _statuses(url: str) -> dict[str, OutboxStatus]:
    database = Database(url)
    try:
        async with database.unit_of_work() as uow:
            rows = await uow.outbox.with_prefix("role:")
            return {row.idempotency_key: OutboxStatus(row.status) for row in rows}
    finally:
        await database.dispose()


async def _run(
    only: Role | None, settings: Settings, telegram: FakeTelegram, until: Callable[[], object]
) -> None:
    task = asyncio.create_task(
        run_platforms(
            settings, telegram_token=telegram.token, discord_token="fake-token", only=only
        )
    )
    try:
        for _ in range(200):
            if until():
                break
            if task.done():
                task.result()
            await asyncio.sleep(0.05)
        else:
            raise AssertionError("the role never did its part")
        await asyncio.sleep(0.3)  # let it do anything it should not
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def test_only_dispatcher_sends_for_every_platform_and_receives_nothing(
    tmp_path: Path, telegram: FakeTelegram, discord: FakeDiscord
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    await _queue_one_per_platform(url, discord.add_user("Amina"))
    await _run(
        Role.DISPATCHER,
        _settings(url, telegram, discord),
        telegram,
        lambda: telegram.sent and discord.sent,
    )
    assert [s.text for s in telegram.sent] == ["Hello Telegram"]
    assert [s.content for s in discord.sent] == ["Hello Discord"]
    # no update comes in: no polling, no webhook, no gateway session, no menus
    assert not {"getUpdates", "setWebhook", "setMyCommands"} & set(telegram.methods())
    assert discord.identifies == [] and discord.command_puts == []
    assert set((await _statuses(url)).values()) == {OutboxStatus.SENT}


async def test_only_telegram_handles_telegram_and_leaves_discord_rows_alone(
    tmp_path: Path, telegram: FakeTelegram, discord: FakeDiscord
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    await _queue_one_per_platform(url, discord.add_user("Amina"))
    await _run(
        Role.TELEGRAM,
        _settings(url, telegram, discord),
        telegram,
        lambda: telegram.sent and "deleteWebhook" in telegram.methods(),  # polling started
    )
    assert [s.text for s in telegram.sent] == ["Hello Telegram"]
    assert discord.requests == [] and discord.identifies == []
    assert await _statuses(url) == {
        "role:telegram": OutboxStatus.SENT,
        "role:discord": OutboxStatus.PENDING,
    }


async def test_only_discord_handles_discord_and_leaves_telegram_rows_alone(
    tmp_path: Path, telegram: FakeTelegram, discord: FakeDiscord
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    await _queue_one_per_platform(url, discord.add_user("Amina"))
    await _run(
        Role.DISCORD,
        _settings(url, telegram, discord),
        telegram,
        lambda: discord.sent and discord.identifies,
    )
    assert [s.content for s in discord.sent] == ["Hello Discord"]
    assert telegram.calls == []
    assert await _statuses(url) == {
        "role:telegram": OutboxStatus.PENDING,
        "role:discord": OutboxStatus.SENT,
    }
