"""A stop always stops polling, even when the HTTP layer turns the cancellation into an error.

httpx may report a request cancelled mid-flight as a network error; PTB raises that as
``NetworkError``, which polling retries: the cancellation was swallowed and the loop polled on
for ever, so ``TelegramAdapter.stop`` never returned.
"""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import Any

from telegram.error import NetworkError

from adapters.telegram.polling import Polling


class SwallowingBot:
    def __init__(self) -> None:
        self.calls = 0

    async def delete_webhook(self, **_: Any) -> bool:
        return True

    async def get_updates(self, **_: Any) -> tuple[Any, ...]:
        self.calls += 1
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            raise NetworkError("httpx.ReadError") from None
        return ()


async def test_a_cancelled_poll_stops_even_when_the_cancellation_became_a_network_error() -> None:
    bot = SwallowingBot()
    adapter: Any = SimpleNamespace(application=SimpleNamespace(bot=bot))
    polling = Polling(
        adapter, timeout=30, allowed_updates=["message"], backoff=0.01, max_backoff=0.01,
        peek_seconds=1,
    )  # fmt: skip
    task = asyncio.create_task(polling.run())
    await asyncio.sleep(0.05)
    task.cancel()
    done, _ = await asyncio.wait({task}, timeout=2)
    assert done, "polling went on after it was cancelled"
    assert task.cancelled() and bot.calls == 1
