"""Platforms at the edge for dispatcher tests: latency, 429s, failures and lost answers.

:class:`EdgePlatform` is Telegram-like: it keeps what each chat received, in arrival order, and
offers no way to look back. :class:`LookingPlatform` is Discord-like: it drops a repeated key
by itself (a nonce) and can say whether a chat holds a message.
"""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from bot.core.clock import Clock
from bot.core.messages import Platform, Recipient, Reply, SentMessage
from bot.core.ports import DeliveryError, MaybeDeliveredError, RateLimitedError


@dataclass
class Arrival:
    chat_id: str
    text: str
    message_id: str
    at: datetime


@dataclass
class EdgePlatform:
    """Receives messages with random latency and scripted or random faults."""

    clock: Clock
    platform: Platform = Platform.TELEGRAM
    jitter: float = 0.0
    """Each call takes a random 0..jitter seconds."""
    rate_limited: float = 0.0
    """Chance that a call is answered 429 (nothing arrives)."""
    failing: float = 0.0
    """Chance that a call is answered with a server error (nothing arrives)."""
    answer_lost: float = 0.0
    """Chance that the message arrives but its answer is lost (a timeout after the request)."""
    fault: Callable[[Recipient, str], str | None] | None = None
    """Scripted faults: ``"429"`` (the platform's), ``"429chat"`` (the chat's), ``"500"``,
    ``"lost"``, ``"refused"`` or None, per call."""
    retry_after: float = 0.001
    """What a scripted 429 asks to wait."""
    seed: int = 14
    arrivals: list[Arrival] = field(default_factory=list)
    in_flight: int = 0
    most_in_flight: int = 0

    def __post_init__(self) -> None:
        self._random = random.Random(self.seed)

    def _pick(self, recipient: Recipient, text: str) -> str | None:
        if self.fault is not None:
            return self.fault(recipient, text)
        roll = self._random.random()
        for name, chance in (
            ("429", self.rate_limited),
            ("500", self.failing),
            ("lost", self.answer_lost),
        ):
            if roll < chance:
                return name
            roll -= chance
        return None

    async def send(self, recipient: Recipient, reply: Reply) -> SentMessage:
        text = reply.body.plain()
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            if self.jitter:
                await asyncio.sleep(self._random.uniform(0, self.jitter))
            fault = self._pick(recipient, text)
            if fault == "429":
                raise RateLimitedError("429 Too Many Requests", retry_after=self.retry_after)
            if fault == "429chat":
                raise RateLimitedError(
                    "429 Too Many Requests", retry_after=self.retry_after, scope="chat"
                )
            if fault == "500":
                raise DeliveryError("500 Internal Server Error", retryable=True)
            if fault == "refused":
                raise DeliveryError("403 Forbidden: bot was blocked by the user")
            arrival = self._arrive(recipient, text)
            if fault == "lost":
                raise MaybeDeliveredError("read timeout after the request was written")
            return SentMessage(self.platform, recipient.chat_id, arrival.message_id)
        finally:
            self.in_flight -= 1

    def _arrive(self, recipient: Recipient, text: str) -> Arrival:
        arrival = Arrival(recipient.chat_id, text, str(len(self.arrivals) + 1), self.clock.now())
        self.arrivals.append(arrival)
        return arrival

    def chat(self, chat_id: str) -> list[str]:
        """What a chat shows, in order."""
        return [a.text for a in self.arrivals if a.chat_id == chat_id]

    def duplicates(self) -> int:
        counts = Counter((a.chat_id, a.text) for a in self.arrivals)
        return sum(n - 1 for n in counts.values())


@dataclass
class LookingPlatform(EdgePlatform):
    """Discord-like: a repeated key returns the message already there; a chat can be read."""

    platform: Platform = Platform.DISCORD
    keys: dict[str, Arrival] = field(default_factory=dict)
    looked: int = 0

    async def send_once(self, recipient: Recipient, reply: Reply, *, key: str) -> SentMessage:
        if key in self.keys:
            known = self.keys[key]
            return SentMessage(self.platform, known.chat_id, known.message_id)
        before = len(self.arrivals)
        try:
            return await self.send(recipient, reply)
        finally:
            if len(self.arrivals) > before:
                self.keys[key] = self.arrivals[-1]

    async def find_sent(
        self, recipient: Recipient, reply: Reply, *, since: datetime
    ) -> SentMessage | None:
        self.looked += 1
        text = reply.body.plain()
        for arrival in reversed(self.arrivals):
            if arrival.chat_id == recipient.chat_id and arrival.text == text:
                return SentMessage(self.platform, arrival.chat_id, arrival.message_id)
        return None
