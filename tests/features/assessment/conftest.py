"""The bot on SQLite and, when ``TEST_DATABASE_URL`` is set, on PostgreSQL too."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.app import BotApp
from bot.core.clock import ManualClock
from tests.conftest import make_settings


@pytest.fixture
async def both_app(db_url: str, clock: ManualClock) -> AsyncIterator[BotApp]:
    bot_app = await BotApp.start(make_settings(db_url), clock=clock)
    yield bot_app
    await bot_app.close()
