"""Ports the core calls and adapters implement."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
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


@dataclass(frozen=True)
class MirroredEvent:
    """What a platform's own scheduled event shows (Discord guild scheduled events)."""

    title: str
    description: str
    starts_at: datetime
    ends_at: datetime
    location: str
    """The link of an online event, or the place of an in-person one."""


class EventMirror(Protocol):
    """Copies the bot's events to a platform's scheduled events; the adapter implements it.

    Called outside any request (by the dispatcher's periodic sweep), so a slow or failing
    platform never blocks or rolls back an admin's command; a failed copy is retried later.
    """

    async def publish(self, event: MirroredEvent, existing_id: str | None) -> str:
        """Create (``existing_id`` None) or update the platform event; return its id."""
        ...

    async def cancel(self, existing_id: str) -> None: ...
