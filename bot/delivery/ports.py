"""What the dispatcher needs from the running application, beyond the core's ports.

The dispatcher sits below the features and the app (features enqueue through
``bot.delivery.outbox``), so it may not import ``bot.app``; it depends on this protocol, which
``BotApp`` implements, exactly as the router depends on :class:`bot.core.ports.Ports`.
Its settings come the same way: ``ports.services[RemindersConfig]``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from bot.core.ports import Ports

if TYPE_CHECKING:
    from bot.core.messages import Platform, Recipient, Reply, SentMessage
    from bot.core.ports import Messenger
    from storage.database import Database


class DeliveryPorts(Ports, Protocol):
    @property
    def messengers(self) -> Mapping[Platform, Messenger]:
        """The platforms this process can send to; rows for others stay for another process."""
        ...

    @property
    def on_enqueue(self) -> list[Callable[[], None]]:
        """Wake-ups run after a transaction that queued rows commits (the scheduler adds one)."""
        ...

    @property
    def database(self) -> Database:
        """For the group commit of sent marks on a bare connection (no ORM session)."""
        ...


@runtime_checkable
class DedupingMessenger(Protocol):
    """A messenger whose platform drops a repeat by itself: the same ``key`` sent again within
    a few minutes returns the message already posted (Discord's ``nonce`` with
    ``enforce_nonce``). The dispatcher then resends a row that may have arrived without
    showing it twice."""

    async def send_once(self, recipient: Recipient, reply: Reply, *, key: str) -> SentMessage: ...


@runtime_checkable
class HistoryMessenger(Protocol):
    """A messenger that can look in a chat for a message the bot may have sent (Discord reads
    a channel's recent messages; Telegram gives bots no chat history)."""

    async def find_sent(
        self, recipient: Recipient, reply: Reply, *, since: datetime
    ) -> SentMessage | None:
        """The message showing ``reply`` posted by the bot in the chat since ``since``, if any."""
        ...
