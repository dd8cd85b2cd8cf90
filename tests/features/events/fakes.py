"""A platform at the edge: a messenger that records what it was asked to send."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime

from bot.app import BotApp
from bot.core.clock import Clock
from bot.core.messages import Platform, Recipient, Reply, SentMessage
from bot.delivery.dispatcher import Dispatcher


@dataclass
class Delivery:
    recipient: Recipient
    reply: Reply
    at: datetime

    @property
    def text(self) -> str:
        return self.reply.body.plain()


@dataclass
class RecordingMessenger:
    """Records each send; ``before`` may stop, crash or slow a send (it runs first)."""

    clock: Clock
    platform: Platform = Platform.CONSOLE
    sent: list[Delivery] = field(default_factory=list)
    before: Callable[[int], Awaitable[None]] | None = None
    latency: float = 0.0

    async def send(self, recipient: Recipient, reply: Reply) -> SentMessage:
        if self.before is not None:
            await self.before(len(self.sent))
        if self.latency:
            await asyncio.sleep(self.latency)
        self.sent.append(Delivery(recipient, reply, self.clock.now()))
        await asyncio.sleep(0)
        return SentMessage(self.platform, recipient.chat_id, str(len(self.sent)))

    def to(self, chat_id: str) -> list[Delivery]:
        return [d for d in self.sent if d.recipient.chat_id == chat_id]


def wire(
    app: BotApp, messenger: RecordingMessenger | None = None
) -> tuple[Dispatcher, RecordingMessenger]:
    messenger = messenger or RecordingMessenger(app.clock)
    app.add_messenger(messenger)
    return Dispatcher(app), messenger
