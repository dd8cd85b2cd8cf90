"""What the dispatcher needs from the running application, beyond the core's ports.

The dispatcher sits below the features and the app (features enqueue through
``bot.delivery.outbox``), so it may not import ``bot.app``; it depends on this protocol, which
``BotApp`` implements, exactly as the router depends on :class:`bot.core.ports.Ports`.
Its settings come the same way: ``ports.services[RemindersConfig]``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Protocol

from bot.core.ports import Ports

if TYPE_CHECKING:
    from bot.core.messages import Platform
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
