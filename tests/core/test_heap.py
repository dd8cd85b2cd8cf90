"""Once the start-up's indexes are built, the app freezes the heap (``BotApp.settle_heap``).

A full collection walked the hub index's hundreds of thousands of objects with the event loop
stopped (110-130 ms); frozen, they are out of its walks. The test unfreezes afterwards: other
tests in this process must not inherit a frozen heap.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from bot.app import BotApp
from bot.features.hub.service import HubService
from tests.conftest import make_settings


@pytest.fixture
def unfrozen() -> Iterator[None]:
    gc.unfreeze()
    yield
    gc.unfreeze()


@pytest.mark.usefixtures("unfrozen")
async def test_the_built_indexes_leave_the_collectors_walks(db_url: str) -> None:
    app = await BotApp.start(make_settings(db_url))
    try:
        await app.settle_heap()
        assert app.services[HubService].indexed > 0  # built before the freeze
        assert gc.get_freeze_count() > 50_000  # the demo catalogue's index among them
        # A full collection now walks only what came after: far fewer than were frozen.
        assert len(gc.get_objects()) < gc.get_freeze_count() / 2
    finally:
        await app.close()
