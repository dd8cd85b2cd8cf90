"""A claim that fails (the database went away mid-pass) fails the pass once, cleanly.

Every worker waiting on the failed claim fails with it; the pass raises one error and reads the
others, so asyncio never logs "Task exception was never retrieved" with a traceback, as if
nobody had handled the outage (seen in tests/test_give_up.py's stderr)."""

from __future__ import annotations

import asyncio
import gc
from typing import Any

import pytest

from bot.app import BotApp
from bot.config import RemindersConfig
from bot.core.clock import ManualClock
from bot.delivery.dispatcher import Dispatcher
from storage.errors import StorageUnavailable
from storage.repositories.outbox import OutboxRepository
from tests.conftest import make_settings
from tests.delivery.helpers import DUE, chat_rows, enqueue
from tests.delivery.platforms import EdgePlatform

FOUR_WORKERS = RemindersConfig(send_rates={"telegram": 5000.0}, concurrency=4, chat_limits={})


async def test_a_failed_claim_fails_the_pass_once_with_every_error_read(
    sqlite_url: str, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = await BotApp.start(make_settings(sqlite_url, reminders=FOUR_WORKERS), clock=clock)
    app.add_messenger(EdgePlatform(clock))
    await enqueue(app, chat_rows(40, 1, kind="announcement"))
    claim_due = OutboxRepository.claim_due
    claims = 0

    async def first_claim_only(self: OutboxRepository, *args: Any, **kwargs: Any) -> Any:
        nonlocal claims
        claims += 1
        if claims > 1:
            raise StorageUnavailable("the database went away")
        return await claim_due(self, *args, **kwargs)

    monkeypatch.setattr(OutboxRepository, "claim_due", first_claim_only)
    unread: list[dict[str, Any]] = []
    loop = asyncio.get_running_loop()
    loop.set_exception_handler(lambda _loop, context: unread.append(context))
    try:
        clock.set(DUE)
        with pytest.raises(StorageUnavailable):
            await Dispatcher(app, batch_size=8).run_due()
        gc.collect()  # an unread task error is reported when the task is collected
    finally:
        loop.set_exception_handler(None)
    assert claims >= 2
    assert [(c.get("message"), c.get("future")) for c in unread] == []
    monkeypatch.undo()
    await app.close()
