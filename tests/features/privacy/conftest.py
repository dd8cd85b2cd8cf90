"""The bot of the privacy tests: two communities, advice places on both platforms."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.app import BotApp
from bot.core.clock import ManualClock
from tests.features.privacy.week import two_communities


@pytest.fixture
async def app(db_url: str, clock: ManualClock) -> AsyncIterator[BotApp]:
    """On SQLite, and on PostgreSQL when ``TEST_DATABASE_URL`` is set."""
    bot_app = await BotApp.start(two_communities(db_url), clock=clock)
    yield bot_app
    await bot_app.close()
