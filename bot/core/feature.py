"""A feature's declarations, written where its handlers are defined.

A :class:`Feature` plays the part of a discord.py cog or a Red-DiscordBot cog: a feature module
decorates its handlers at their definition (``@feature.command("rsvp", ...)``), and the
application installs every feature on one :class:`~bot.core.registry.Registry` at start-up.
Nothing is registered at import time on a global object, so two registries (two test apps)
never share state.

A command handler takes the :class:`~bot.core.context.CommandContext` and then one keyword
parameter per declared argument, typed::

    @feature.command("rsvp", description=N_("Join an event"), args=[ID_ARG])
    async def rsvp(ctx: CommandContext, id: int) -> Reply: ...

The registry checks at installation that the parameters and the declared arguments agree, so
a misspelled argument name fails at start-up rather than at the first member who uses it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, TypeVar

from bot.core.arguments import ArgSpec
from bot.core.registry import (
    CommandSpec,
    DeepLinkHandler,
    Handler,
    InlineHandler,
    PeriodicJob,
    Registry,
    RerenderHook,
    SentHook,
    TextHandler,
)
from bot.core.topics import Topic

if TYPE_CHECKING:
    from bot.core.suggestions import SuggestionSource

T = TypeVar("T")


class Feature:
    """Everything one feature declares; :meth:`install` puts it on a registry."""

    def __init__(self, name: str, topic: Topic | None = None) -> None:
        self.name = name
        self.topic = topic
        """The topic of every command it declares without its own ``topic=``."""
        self._steps: list[Callable[[Registry], object]] = []

    def __repr__(self) -> str:
        return f"Feature({self.name!r})"

    def _later(self, step: Callable[[Registry], object], value: T) -> T:
        self._steps.append(step)
        return value

    def command(
        self, *path: str, description: str, args: Iterable[ArgSpec] = (), **options: Any
    ) -> Callable[[Handler], Handler]:
        """Declare the decorated coroutine as the command ``/path...``."""
        arguments = tuple(args)
        options.setdefault("topic", self.topic)

        def declare(handler: Handler) -> Handler:
            spec = CommandSpec(path, description, handler, arguments, **options)
            return self._later(lambda registry: registry.add(spec), handler)

        return declare

    def flow(self, name: str, *, takes_files: bool = False) -> Callable[[TextHandler], TextHandler]:
        """The decorated coroutine answers the plain messages of conversation ``name``
        (``takes_files``: a file sent with no text too, in ``ctx.request.upload``)."""
        return lambda handler: self._later(
            lambda r: r.flow(name, takes_files=takes_files)(handler), handler
        )

    def listener(self, handler: TextHandler) -> TextHandler:
        """Offer the decorated coroutine every plain message no conversation claimed."""
        return self._later(lambda r: r.listener(handler), handler)

    def deep_link_prefix(self, prefix: str) -> Callable[[DeepLinkHandler], DeepLinkHandler]:
        """Handle ``/start <prefix>...`` (Telegram deep links such as ``rsvp-12``)."""
        return lambda handler: self._later(lambda r: r.deep_link_prefix(prefix)(handler), handler)

    def on_sent(self, kind: str) -> Callable[[SentHook], SentHook]:
        """Run the decorated hook when an outbox row of ``kind`` has been sent."""
        return lambda hook: self._later(lambda r: r.on_sent(kind)(hook), hook)

    def rerender(self, kind: str) -> Callable[[RerenderHook], RerenderHook]:
        """Render a queued row of ``kind`` again from the current data (after a forget)."""
        return lambda hook: self._later(lambda r: r.rerender(kind)(hook), hook)

    def periodic(self, job: PeriodicJob) -> PeriodicJob:
        """Run ``job(ports, now)`` on every periodic sweep; it must be idempotent."""
        return self._later(lambda r: r.periodic(job), job)

    def inline(self, handler: InlineHandler) -> InlineHandler:
        """Answer inline lookups (Telegram ``@bot query``) with the decorated coroutine."""
        return self._later(lambda r: r.inline(handler), handler)

    def suggestion_source(self, name: str) -> Callable[[SuggestionSource], SuggestionSource]:
        """Offer the decorated coroutine as the autocomplete source ``name``."""
        return lambda source: self._later(lambda r: r.suggestion_source(name)(source), source)

    def service(self, kind: type[T], factory: Callable[[], T] | None = None) -> type[T]:
        """Give every app one ``kind``, built by ``factory`` (else ``kind()``) with the app,
        reached as ``ctx.services[kind]`` (or ``ports.services[kind]`` in a job)."""
        make = factory or kind
        return self._later(lambda r: r.service(kind, make), kind)

    def install(self, registry: Registry) -> None:
        """Declare everything on ``registry``; a feature may be installed on many registries."""
        for step in self._steps:
            step(registry)
