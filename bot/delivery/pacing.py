"""Pacing: how fast the dispatcher sends, per platform and per chat.

- **Per platform**: a bucket at the rate of ``[reminders] send_rates`` (20 per second when a
  platform has none). On PostgreSQL the bucket is shared by every process
  (:class:`SharedBucket`, a row in the database), so N processes together stay within the
  platform's limit; on SQLite (one process) it lives in memory (:class:`TokenBucket`). A
  platform-wide 429 pauses the bucket for everyone sending there.
- **Per chat**: :class:`ChatLimits` knows when each chat may take its next message (Telegram
  about 1 per second in a private chat and 20 per minute in a group; Discord 5 per 5 seconds
  per channel). A chat that must wait is set aside by the pass (``bot.delivery.claiming``): no
  worker sits waiting on it while other chats have rows. A 429 for one chat sets that chat
  aside for its ``retry_after``, and only that chat.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections import deque
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from storage.repositories import pacing as shared_pacing

if TYPE_CHECKING:
    from storage.database import Database

log = logging.getLogger(__name__)

DEFAULT_RATE = 20.0
"""Sends per second on a platform without a configured rate."""

PLATFORM_CHAT_LIMITS: dict[str, str] = {
    "telegram.private": "1/1",
    "telegram.group": "20/60",
    "discord.private": "5/5",
    "discord.group": "5/5",
}
"""Per-chat limits as ``count/seconds`` (the platforms' published limits), used when
``[reminders] chat_limits`` is not set."""

FLOOD_CHATS = 3
"""A 429 from this many different chats within :data:`FLOOD_SECONDS` is taken as the platform
limiting the bot as a whole (Telegram does not say which limit a 429 is for): the platform
pauses."""
FLOOD_SECONDS = 1.0


class Bucket(Protocol):
    async def acquire(self) -> None: ...

    def pause(self, seconds: float) -> None: ...


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


class SharedBucket:
    """A platform's rate shared by every process on the database (see
    ``storage.repositories.pacing``): slots are reserved a few at a time (about a tenth of a
    second's worth), then handed out here at their times. A slot reserved and not used is
    lost, never lent: the processes together stay at or under the rate."""

    def __init__(
        self,
        database: Database,
        platform: str,
        rate: float,
        *,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
    ) -> None:
        self.database = database
        self.platform = platform
        self.interval = 1.0 / rate
        self.batch = max(1, min(math.ceil(rate * 0.1), 50))
        self._slack = 0.0
        """No catch-up across processes: a slot not taken in time is gone, so no window of
        a second ever holds more than the rate (timers waking late cost a little speed)."""
        self._monotonic = monotonic
        self._sleep = sleep
        self._slots: deque[float] = deque()
        self._paused_until = 0.0
        self._lock = asyncio.Lock()
        self._pausing: set[asyncio.Task[None]] = set()
        self.dropped = 0
        """Slots lost because this process woke too late for them."""

    async def acquire(self) -> None:
        async with self._lock:
            while True:
                if not self._slots:
                    await self._reserve()
                slot = self._slots.popleft()
                if slot < self._paused_until:
                    continue  # slots that fall in a pause are dropped: the platform said wait
                delay = slot - self._monotonic()
                if delay > 0:
                    await self._sleep(delay)
                if self._monotonic() - slot <= self.late:
                    return
                self.dropped += 1  # woke too late (a busy host): sending now could crowd the
                # next processes' slots, so this one is lost and the next is taken

    @property
    def late(self) -> float:
        """How late after its slot a send may still leave."""
        return max(self.interval / 2, 0.005)

    async def _reserve(self) -> None:
        async with self.database.engine.begin() as connection:
            first = await shared_pacing.reserve(
                connection,
                self.platform,
                count=self.batch,
                interval=self.interval,
                slack=self._slack,
            )
            # Read the clock as the answer arrives, not after the commit: the answer's trip
            # home makes slots later (never earlier), and the less, the closer processes'
            # slots stay to the database's schedule.
            start = self._monotonic() + first
        self._slots.extend(start + n * self.interval for n in range(self.batch))

    def pause(self, seconds: float) -> None:
        """A platform-wide 429: this process waits now, and every other one from its next
        reservation."""
        self._paused_until = max(self._paused_until, self._monotonic() + seconds)
        task = asyncio.get_running_loop().create_task(self._pause(seconds))
        self._pausing.add(task)
        task.add_done_callback(self._pausing.discard)

    async def shared(self) -> None:
        """Wait until the pauses asked so far are written for the other processes (a clean
        stop; tests)."""
        while self._pausing:
            await asyncio.gather(*self._pausing)

    async def _pause(self, seconds: float) -> None:
        try:
            async with self.database.engine.begin() as connection:
                await shared_pacing.pause(connection, self.platform, seconds=seconds)
        except Exception as error:  # this process still waits; the others meet their own 429
            log.warning("could not share a pause of %s: %s", self.platform, error)


@dataclass
class _Level:
    level: float
    at: float


@dataclass(frozen=True)
class ChatLimit:
    """At most ``count`` messages per ``seconds`` in one chat, in bursts of ``count`` at most."""

    count: int
    seconds: float

    @classmethod
    def parse(cls, text: str) -> ChatLimit:
        count, _, seconds = text.partition("/")
        return cls(int(count), float(seconds.rstrip("s") or 1))


class ChatLimits:
    """When each chat may take its next message: a leaky bucket per chat (a burst of ``count``,
    then ``count / seconds`` per second), and the pauses asked by a chat's 429."""

    def __init__(
        self,
        limits: Mapping[str, str] | None = None,
        *,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        chosen = PLATFORM_CHAT_LIMITS if limits is None else limits
        self.limits = {key: ChatLimit.parse(value) for key, value in chosen.items()}
        self._monotonic = monotonic
        self._levels: dict[tuple[str, str], _Level] = {}
        self._paused: dict[tuple[str, str], float] = {}
        self._limited: dict[str, deque[tuple[float, str]]] = {}

    def _limit(self, platform: str, private: bool) -> ChatLimit | None:
        return self.limits.get(f"{platform}.{'private' if private else 'group'}")

    def wait(self, platform: str, chat_id: str, private: bool) -> float:
        """Seconds until the chat may take a message (0: now)."""
        now = self._monotonic()
        key = (platform, chat_id)
        paused = self._paused.get(key, 0.0) - now
        limit = self._limit(platform, private)
        state = self._levels.get(key)
        if limit is None or state is None:
            return max(paused, 0.0)
        rate = limit.count / limit.seconds
        level = max(state.level - (now - state.at) * rate, 0.0)
        over = level + 1 - limit.count
        return max(paused, over / rate if over > 1e-9 else 0.0, 0.0)

    def sent(self, platform: str, chat_id: str, private: bool) -> None:
        """Count a message sent to the chat."""
        limit = self._limit(platform, private)
        if limit is None:
            return
        now = self._monotonic()
        key = (platform, chat_id)
        rate = limit.count / limit.seconds
        state = self._levels.get(key)
        level = 0.0 if state is None else max(state.level - (now - state.at) * rate, 0.0)
        self._levels[key] = _Level(level + 1, now)
        if len(self._levels) > 50_000:
            self._forget(now)

    def pause(self, platform: str, chat_id: str, seconds: float) -> bool:
        """A 429 for this chat: it waits ``seconds``. True when several chats were limited
        within a second: the platform itself is limiting the bot (pause the platform)."""
        now = self._monotonic()
        key = (platform, chat_id)
        self._paused[key] = max(self._paused.get(key, 0.0), now + seconds)
        recent = self._limited.setdefault(platform, deque())
        recent.append((now, chat_id))
        while recent and recent[0][0] < now - FLOOD_SECONDS:
            recent.popleft()
        return len({chat for _, chat in recent}) >= FLOOD_CHATS

    def _forget(self, now: float) -> None:
        """Drop the chats whose bucket has drained (memory stays bounded by active chats)."""
        for key, state in list(self._levels.items()):
            if now - state.at > 120:
                del self._levels[key]
        for key, until in list(self._paused.items()):
            if until < now:
                del self._paused[key]


class Pacing:
    """The buckets of one dispatcher (made on first use for each platform) and its chats'
    limits. ``database``: share each platform's bucket through it (PostgreSQL)."""

    def __init__(
        self,
        rates: Mapping[str, float],
        *,
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
        chat_limits: Mapping[str, str] | None = None,
        database: Database | None = None,
    ) -> None:
        self._rates = rates
        self._sleep = sleep
        self._database = database
        self._buckets: dict[str, Bucket] = {}
        self.chats = ChatLimits(chat_limits)

    def rate(self, platform: str) -> float:
        return self._rates.get(platform, DEFAULT_RATE)

    @property
    def shared(self) -> bool:
        return self._database is not None

    def bucket(self, platform: str) -> Bucket:
        if platform not in self._buckets:
            rate = self.rate(platform)
            self._buckets[platform] = (
                SharedBucket(self._database, platform, rate, sleep=self._sleep)
                if self._database is not None
                else TokenBucket(rate, sleep=self._sleep)
            )
        return self._buckets[platform]
