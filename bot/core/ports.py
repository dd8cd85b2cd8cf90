"""Ports: what the core needs from the running application, and what adapters implement.

The router, the command context and suggestion queries depend on :class:`Ports`, never on
``bot.app.BotApp``: the core is the kernel every other part imports, so it must not import the
part that wires everything together. ``BotApp`` implements the protocol; a test can hand the
router anything that does. The same ports reach periodic jobs (``job(ports, now)``) and
suggestion sources (``query.ports``); handlers reach them through their context (``ctx.now``,
``ctx.services``, ``ctx.registry``).

What the protocol holds, and why each is a port rather than a setting read by the core:

- ``unit_of_work()`` opens one transaction; ``storage.database.Database`` is the real one.
  Storage raises its own errors from it (``storage.errors``), so the core catches a duplicate
  key without importing SQLAlchemy.
- ``clock``: time is injected so tests run on a manual clock.
- ``registry``: what the features declared (commands, flows, listeners, sources).
- ``access``: who is an admin of every community whatever their role (the secretariat: the
  configured admins, or whoever the platform marks as admin). Role-based rights stay in the
  router; this is the one rule that comes from outside the database.
- ``default_community``: the community of a private chat with someone who has none yet.
- ``services``: a typed container of the services the features declared and the settings
  sections (see ``bot.core.services`` for why a container and not attributes on the app).

The layers this protects are enforced by the import contracts in ``pyproject.toml``
(``lint-imports``, run by ``make test``): core < config < delivery < features < app < runtime
< adapters < the command line, which alone starts adapters.
"""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Literal, Protocol

from bot.core.messages import Actor, Platform, Recipient, Reply, SentMessage

if TYPE_CHECKING:
    from bot.core.clock import Clock
    from bot.core.registry import Registry
    from bot.core.services import Services
    from storage.unit_of_work import UnitOfWork


class UnitOfWorkFactory(Protocol):
    """Opens one transaction with every repository: committed when the block succeeds.

    ``storage.database.Database`` is one, and so is every :class:`Ports`.
    """

    def unit_of_work(self) -> AbstractAsyncContextManager[UnitOfWork]: ...


class AccessPolicy(Protocol):
    """Decides who is an admin of every community, whatever their role in the one at hand."""

    def is_global_admin(self, actor: Actor) -> bool: ...


class Ports(UnitOfWorkFactory, Protocol):
    """What the router, handlers, periodic jobs and suggestion sources use of the running app."""

    @property
    def clock(self) -> Clock: ...

    @property
    def registry(self) -> Registry: ...

    @property
    def access(self) -> AccessPolicy: ...

    @property
    def default_community(self) -> str:
        """The slug of the community a member with none belongs to (it exists at start-up)."""
        ...

    @property
    def services(self) -> Services: ...


class DeliveryError(Exception):
    """Raised by a messenger when a send failed for good (blocked bot, chat gone).

    ``retryable`` tells the dispatcher whether trying later could work.
    """

    def __init__(self, message: str, *, retryable: bool = False) -> None:
        super().__init__(message)
        self.retryable = retryable


OUTBOX_SEND: ContextVar[bool] = ContextVar("outbox_send", default=False)
"""Set while the outbox's dispatcher sends: it handles a 429 itself (it sets the chat aside,
or pauses the platform), so a messenger should hand a 429 back at once rather than wait it
out in place holding the dispatcher's worker (and, in some libraries, every other send)."""

RateLimitScope = Literal["chat", "platform"]
"""What a 429 covers: one chat, or every send of the bot on the platform."""


class RateLimitedError(DeliveryError):
    """The platform refused because of its rate limit (HTTP 429); try again after ``retry_after``.

    ``scope`` says what the limit covers: ``"chat"`` (only this chat is limited: the dispatcher
    pauses that chat and goes on with the others) or ``"platform"`` (the bot as a whole: every
    send on the platform waits). A messenger that cannot tell says ``"platform"``.
    """

    def __init__(
        self, message: str, *, retry_after: float, scope: RateLimitScope = "platform"
    ) -> None:
        super().__init__(message, retryable=True)
        self.retry_after = retry_after
        self.scope: RateLimitScope = scope


class MaybeDeliveredError(DeliveryError):
    """The request reached the platform but its answer did not reach us (a read timeout, a
    connection closed after the request was written): the chat may hold the message.

    Sending it again may show it twice; the dispatcher decides per kind of message whether
    to repeat it, look in the chat first, or leave it (docs/delivery.md).
    """

    def __init__(self, message: str) -> None:
        super().__init__(message, retryable=True)


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
