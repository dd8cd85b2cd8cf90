"""Fixtures: a loopback Bot API server and the real python-telegram-bot talking to it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from adapters.telegram import TelegramAdapter, Tuning
from bot.app import BotApp
from bot.config import AdminsConfig, Settings, TelegramConfig
from bot.core.clock import ManualClock
from tests.conftest import make_settings
from tests.fakes.telegram_api import FakeTelegram, group_chat, private_chat, user

FAST = Tuning(backoff=0.01, max_backoff=0.05, poll_timeout=1, read_timeout=5, group_per_minute=600)

AMINA = user(101, "Amina", language="en")
KARIM = user(102, "Karim", language="ar")
SOFIA = user(500, "Sofia", language="es")
"""Sofia is a network admin (``[admins] telegram``)."""
GROUP = group_chat(-1001, "Champions")
FORUM = group_chat(-100300, "Champions forum", forum=True)
TOPIC = 42


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    server = FakeTelegram()
    await server.start()
    yield server
    await server.stop()
    assert server.violations == [], server.violations


def telegram_settings(url: str, fake: FakeTelegram, **telegram: Any) -> Settings:
    return make_settings(
        url,
        admins=AdminsConfig(telegram=(str(SOFIA["id"]),)),
        telegram=TelegramConfig(api_base_url=fake.base_url, **telegram),
    )


@pytest.fixture
async def bot_app(sqlite_url: str, fake: FakeTelegram, clock: ManualClock) -> AsyncIterator[BotApp]:
    app = await BotApp.start(telegram_settings(sqlite_url, fake), clock=clock)
    yield app
    await app.close()


@pytest.fixture
async def telegram(bot_app: BotApp, fake: FakeTelegram) -> AsyncIterator[TelegramAdapter]:
    adapter = TelegramAdapter(bot_app, bot_app.settings, fake.token, tuning=FAST)
    await adapter.start()
    yield adapter
    await adapter.stop()


__all__ = ["AMINA", "FORUM", "GROUP", "KARIM", "SOFIA", "TOPIC", "private_chat"]
