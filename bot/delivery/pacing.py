"""Pacing: how fast the dispatcher sends on each platform.

One :class:`TokenBucket` per platform, at the rate configured in ``[reminders] send_rates``
(20 per second when a platform has none); a platform's "slow down" (HTTP 429) pauses its
bucket for everyone sending there.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

DEFAULT_RATE = 20.0
"""Sends per second on a platform without a configured rate."""


class TokenBucket:
    """Paces sends to ``rate`` per second: each send takes the next free slot.

    Timers wake a little late, more so on a busy machine; slots missed that way within the
    last ``catch_up`` seconds are used at once, so the average rate stays at ``rate`` (a burst
    of at most ``rate * catch_up`` sends, which platforms' own buckets allow) instead of
    drifting below it.
    """

    def __init__(
        self,
        rate: float,
        *,
        catch_up: float = 0.05,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
    ) -> None:
        self.interval = 1.0 / rate
        self._slack = max(catch_up, self.interval)
        self._monotonic = monotonic
        self._sleep = sleep
        self._next = 0.0
        self._lock = asyncio.Lock()

    async def acquire(self) -> None:
        async with self._lock:
            now = self._monotonic()
            slot = max(self._next, now - self._slack)
            self._next = slot + self.interval
            if slot > now:
                await self._sleep(slot - now)

    def pause(self, seconds: float) -> None:
        """The platform asked us to wait: nobody sends on it before ``seconds`` from now."""
        self._next = max(self._next, self._monotonic() + seconds)


class Pacing:
    """The buckets of one dispatcher, made on first use for each platform."""

    def __init__(
        self,
        rates: Mapping[str, float],
        *,
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
    ) -> None:
        self._rates = rates
        self._sleep = sleep
        self._buckets: dict[str, TokenBucket] = {}

    def bucket(self, platform: str) -> TokenBucket:
        if platform not in self._buckets:
            rate = self._rates.get(platform, DEFAULT_RATE)
            self._buckets[platform] = TokenBucket(rate, sleep=self._sleep)
        return self._buckets[platform]
