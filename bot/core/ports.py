"""Ports the core calls and adapters implement."""

from __future__ import annotations

from typing import Protocol

from bot.core.messages import Platform, Recipient, Reply, SentMessage


class DeliveryError(Exception):
    """Raised by a messenger when a send failed for good (blocked bot, chat gone).

    ``retryable`` tells the dispatcher whether trying later could work.
    """

    def __init__(self, message: str, *, retryable: bool = False) -> None:
        super().__init__(message)
        self.retryable = retryable


class RateLimitedError(DeliveryError):
    """The platform refused because of its rate limit (HTTP 429); try again after ``retry_after``.

    The dispatcher pauses that platform for the given seconds and sends the same message again.
    """

    def __init__(self, message: str, *, retry_after: float) -> None:
        super().__init__(message, retryable=True)
        self.retry_after = retry_after


class Messenger(Protocol):
    """Sends a reply outside any request: reminders, announcements, relays."""

    platform: Platform

    async def send(self, recipient: Recipient, reply: Reply) -> SentMessage: ...
