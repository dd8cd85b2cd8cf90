"""The command registry: every command declared once, every adapter derives from it.

A :class:`CommandSpec` says what a command is called, what it means (a translatable
description), which typed arguments it takes, who may run it and where. Telegram builds its
command menus and text parser from it, Discord its application commands, the console its
parser, and the router its authorization checks and ``/help``.
"""

from __future__ import annotations

import enum
import inspect
from collections.abc import Awaitable, Callable, Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar, cast

from bot.core.arguments import ArgSpec
from bot.core.keywords import meanings, placeholder, shown
from bot.core.topics import Topic

if TYPE_CHECKING:
    from bot.core.context import CommandContext
    from bot.core.ports import Ports
    from bot.core.services import ServiceFactory
    from bot.core.suggestions import SuggestionSource

Handler = Callable[..., Awaitable[Any]]
"""``handler(ctx, **arguments)``: one keyword parameter per declared :class:`ArgSpec`."""
TextHandler = Callable[["CommandContext"], Awaitable[Any]]
T = TypeVar("T")
DeepLinkHandler = Callable[["CommandContext", str], Awaitable[Any]]
SentHook = Callable[[Any, Any, Any], Awaitable[None]]
"""Called as ``hook(uow, outbox_row, sent_message)`` in the transaction that marks a row sent."""
RerenderHook = Callable[[Any, Any, Any], Awaitable[Any]]
"""Called as ``hook(uow, outbox_row, reply)`` to render a queued row again from what is stored
now (someone it names was forgotten); returns the new ``Reply``, or ``None`` when it cannot."""
PeriodicJob = Callable[["Ports", datetime], Awaitable[Any]]
"""Called as ``job(ports, now)`` on every dispatcher sweep (nudges, series extension...)."""
InlineHandler = Callable[["CommandContext"], Awaitable[Any]]
"""Answers an inline lookup (``ctx.request.text`` is the query) with result cards."""


class Audience(enum.IntEnum):
    """Who may run a command; higher includes lower."""

    ANYONE = 0
    CHAMPION = 1
    ADMIN = 2


class Where(enum.StrEnum):
    ANY = "any"
    PRIVATE = "private"
    GROUP = "group"


@dataclass(frozen=True)
class CommandSpec:
    """One command. ``path`` is ``("profile",)`` or ``("webinar", "add")`` for a subcommand."""

    path: tuple[str, ...]
    description: str
    handler: Handler
    args: tuple[ArgSpec, ...] = ()
    audience: Audience = Audience.ANYONE
    where: Where = Where.ANY
    aliases: tuple[str, ...] = ()
    """Other top-level words that run this command (only for single-word commands)."""
    hidden: bool = False
    """Not listed in menus or help (deep-link targets, button actions)."""
    in_help: bool = True
    """Listed by ``/help``. ``False`` keeps a feature's further commands (still in the menus
    and slash commands) out of the newcomer's list; the feature's own replies name them."""
    file: str | None = None
    """The description (a msgid) of a file the command takes, if it takes one: Discord offers
    an optional attachment option named ``file``; on Telegram the file is the document whose
    caption is the command. The handler reads it from ``ctx.request.upload``."""
    topic: Topic | None = None
    """What people come to it for: ``/help`` and the menus group commands by topic. Set by the
    feature (``Feature(name, topic=...)``) or per command; a test fails on a command without."""
    featured: bool = False
    """Named on the first screen of ``/help`` as an example of its topic (two or three a topic)."""

    def __post_init__(self) -> None:
        check_handler_signature(self)

    @property
    def name(self) -> str:
        return " ".join(self.path)

    async def run(self, ctx: CommandContext, arguments: dict[str, Any]) -> Any:
        """Call the handler with the parsed arguments as keywords (absent optional ones are
        left to the handler's defaults)."""
        return await self.handler(ctx, **arguments)

    @property
    def usage(self) -> str:
        return self.usage_in("en")

    def usage_in(self, language: str) -> str:
        """The usage line a reader of ``language`` is shown: subcommand words and argument
        names in their language (``/forget confirmer``, ``/threads [filtro] [tema]``); the
        first word stays the command the platform's menu shows."""
        parts = ["/" + " ".join((self.path[0], *(shown(w, language) for w in self.path[1:])))]
        for arg in self.args:
            name = placeholder(arg.name, language)
            parts.append(f"<{name}>" if arg.required else f"[{name}]")
        return " ".join(parts)


def check_handler_signature(spec: CommandSpec) -> None:
    """Fail at start-up when a handler's parameters and its declared arguments disagree."""
    try:
        parameters = list(inspect.signature(spec.handler).parameters.values())[1:]
    except (TypeError, ValueError):  # a builtin or C callable: nothing to check
        return
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters):
        return
    declared = {arg.name: arg for arg in spec.args}
    accepted = {p.name: p for p in parameters if p.kind is not inspect.Parameter.VAR_POSITIONAL}
    if set(declared) != set(accepted):
        raise TypeError(
            f"/{spec.name}: handler {spec.handler.__qualname__} takes {sorted(accepted)} "
            f"but the command declares {sorted(declared)}"
        )
    for name, arg in declared.items():
        if not arg.required and accepted[name].default is inspect.Parameter.empty:
            raise TypeError(
                f"/{spec.name}: optional argument {name!r} needs a default in "
                f"{spec.handler.__qualname__}"
            )


@dataclass(frozen=True)
class Flow:
    """A multi-step conversation: the next plain-text message goes to ``handler``."""

    name: str
    handler: TextHandler
    takes_files: bool = False
    """A message that is only a file (no text) is offered to it; other flows never see one."""


class Registry:
    """All commands, conversation flows and text listeners the core knows."""

    def __init__(self) -> None:
        self._commands: dict[tuple[str, ...], CommandSpec] = {}
        self._aliases: dict[str, tuple[str, ...]] = {}
        self._flows: dict[str, Flow] = {}
        self._listeners: list[TextHandler] = []
        self._deep_links: dict[str, DeepLinkHandler] = {}
        self._sent_hooks: dict[str, SentHook] = {}
        self._rerender_hooks: dict[str, RerenderHook] = {}
        self._periodic: list[PeriodicJob] = []
        self._inline: InlineHandler | None = None
        self._sources: dict[str, SuggestionSource] = {}
        self._services: dict[type, ServiceFactory] = {}
        self._ordered: list[CommandSpec] | None = None
        self._topics: dict[Audience, dict[Topic, list[CommandSpec]]] = {}
        """Sorted views, asked on every ``/help`` and unknown command: computed once, forgotten
        whenever a command is added (commands are declared at start-up)."""
        self._derived: dict[Hashable, Any] = {}
        """What features build from the commands alone (see :meth:`derived`), forgotten with
        the sorted views."""

    def add(self, spec: CommandSpec) -> CommandSpec:
        for word in spec.path:
            if not (word.isascii() and word.replace("_", "").isalnum()) or word.lower() != word:
                raise ValueError(f"command words are lowercase letters, digits and _: {word!r}")
        if spec.path in self._commands:
            raise ValueError(f"command declared twice: /{spec.name}")
        self._commands[spec.path] = spec
        self._ordered = None
        self._topics = {}
        self._derived = {}
        for alias in spec.aliases:
            self._aliases[alias] = spec.path
        return spec

    def command(
        self, *path: str, description: str, args: Iterable[ArgSpec] = (), **options: Any
    ) -> Callable[[Handler], Handler]:
        """Decorator form of :meth:`add`."""

        def register(handler: Handler) -> Handler:
            self.add(CommandSpec(path, description, handler, tuple(args), **options))
            return handler

        return register

    def flow(self, name: str, *, takes_files: bool = False) -> Callable[[TextHandler], TextHandler]:
        def register(handler: TextHandler) -> TextHandler:
            self._flows[name] = Flow(name, handler, takes_files)
            return handler

        return register

    def listener(self, handler: TextHandler) -> TextHandler:
        """Register a handler offered every plain-text message no flow claimed."""
        self._listeners.append(handler)
        return handler

    def deep_link_prefix(self, prefix: str) -> Callable[[DeepLinkHandler], DeepLinkHandler]:
        """Handle ``/start <prefix>...`` (Telegram deep links, e.g. ``rsvp-12``)."""

        def register(handler: DeepLinkHandler) -> DeepLinkHandler:
            self._deep_links[prefix] = handler
            return handler

        return register

    def deep_link(self, payload: str) -> DeepLinkHandler | None:
        for prefix, handler in self._deep_links.items():
            if payload.startswith(prefix):
                return handler
        return None

    def on_sent(self, kind: str) -> Callable[[SentHook], SentHook]:
        """Run ``hook`` when an outbox row of ``kind`` has been sent (e.g. remember a mirror)."""

        def register(hook: SentHook) -> SentHook:
            self._sent_hooks[kind] = hook
            return hook

        return register

    def sent_hook(self, kind: str) -> SentHook | None:
        return self._sent_hooks.get(kind)

    def rerender(self, kind: str) -> Callable[[RerenderHook], RerenderHook]:
        """Let ``hook`` render a queued row of ``kind`` again from the current data: a
        feature whose messages name people says how they read once a person is forgotten."""

        def register(hook: RerenderHook) -> RerenderHook:
            self._rerender_hooks[kind] = hook
            return hook

        return register

    def rerender_hook(self, kind: str) -> RerenderHook | None:
        return self._rerender_hooks.get(kind)

    def periodic(self, job: PeriodicJob) -> PeriodicJob:
        """Run ``job(ports, now)`` on every periodic sweep; it must be idempotent."""
        self._periodic.append(job)
        return job

    def inline(self, handler: InlineHandler) -> InlineHandler:
        """Answer inline lookups (Telegram ``@bot query``) with ``handler``; there is one."""
        if self._inline is not None:
            raise ValueError("an inline handler is already registered")
        self._inline = handler
        return handler

    def suggestion_source(self, name: str) -> Callable[[SuggestionSource], SuggestionSource]:
        """Offer ``source`` as the autocomplete source ``name`` (``ArgSpec(suggest=name)``)."""

        def register(source: SuggestionSource) -> SuggestionSource:
            if name in self._sources:
                raise ValueError(f"suggestion source declared twice: {name}")
            self._sources[name] = source
            return source

        return register

    def suggestion(self, name: str) -> SuggestionSource | None:
        """The source called ``name``: a feature's, else one the core provides."""
        from bot.core.suggestions import BUILTIN_SOURCES

        return self._sources.get(name) or BUILTIN_SOURCES.get(name)

    def service(self, kind: type, factory: ServiceFactory) -> None:
        """Each app built from this registry holds one ``kind`` made by ``factory``, reached as
        ``ctx.services[kind]`` (see :mod:`bot.core.services`)."""
        if kind in self._services:
            raise ValueError(f"service declared twice: {kind.__qualname__}")
        self._services[kind] = factory

    @property
    def service_factories(self) -> dict[type, ServiceFactory]:
        return dict(self._services)

    @property
    def inline_handler(self) -> InlineHandler | None:
        return self._inline

    @property
    def periodic_jobs(self) -> tuple[PeriodicJob, ...]:
        return tuple(self._periodic)

    # lookups -------------------------------------------------------------------

    def __iter__(self) -> Iterator[CommandSpec]:
        return iter(self.all())

    def all(self) -> list[CommandSpec]:
        """Every command, by path (a copy: the caller may change it)."""
        if self._ordered is None:
            self._ordered = sorted(self._commands.values(), key=lambda spec: spec.path)
        return list(self._ordered)

    def derived(self, key: Hashable, build: Callable[[], T]) -> T:
        """``build()``, kept under ``key`` until a command is added.

        For what depends only on the declared commands and the key (``/help``'s first screen
        per language and audience): built on the first request, then read. The value is
        shared, so it must not be changed by whoever reads it."""
        try:
            return cast(T, self._derived[key])
        except KeyError:
            value = self._derived[key] = build()
            return value

    def get(self, path: tuple[str, ...]) -> CommandSpec | None:
        return self._commands.get(path)

    def flow_named(self, name: str) -> Flow | None:
        return self._flows.get(name)

    @property
    def listeners(self) -> tuple[TextHandler, ...]:
        return tuple(self._listeners)

    def top_level(self) -> list[str]:
        """The first words of every visible command (Telegram menu entries, Discord roots)."""
        return sorted({spec.path[0] for spec in self._commands.values() if not spec.hidden})

    def group(self, word: str) -> list[CommandSpec]:
        """Every command that starts with ``word``."""
        return [spec for spec in self.all() if spec.path[0] == word]

    def resolve(self, words: Sequence[str]) -> tuple[CommandSpec | None, int]:
        """The command named by the longest prefix of ``words``, and how many words it used."""
        if not words:
            return None, 0
        first = words[0].lower()
        if first in self._aliases:
            return self._commands[self._aliases[first]], 1
        paths: list[tuple[str, ...]] = [(first,)]
        for word in words[1:3]:  # a subcommand word in any language: /forget confirmer
            path = self.subcommand_path(paths[-1], word)
            if path is None:
                break
            paths.append(path)
        for path in reversed(paths):
            spec = self._commands.get(path)
            if spec is not None:
                return spec, len(path)
        return None, 0

    def subcommand_path(self, prefix: tuple[str, ...], word: str) -> tuple[str, ...] | None:
        """``prefix`` continued by the subcommand ``word`` names, in any language, if any.

        After a command that takes free text (``/announce <audience> <text>``) only English
        counts: "/story Estado de la red…" is a story, not ``/story`` anything else."""
        depth = len(prefix)
        parent = self._commands.get(prefix)
        free_text = parent is not None and any(arg.kind == "text" for arg in parent.args)
        found = {word.casefold()} if free_text else meanings(word)
        for english in sorted(found):
            path = (*prefix, english)
            if any(p[: depth + 1] == path for p in self._commands):
                return path
        return None

    def subcommands(
        self, prefix: tuple[str, ...], audience: Audience, *, hidden: bool = False
    ) -> list[CommandSpec]:
        """The commands longer than ``prefix`` that ``audience`` may run; ``hidden`` ones
        too when asked (a button's target such as ``/forget confirm`` is still typed)."""
        return [
            spec
            for spec in self.all()
            if (hidden or not spec.hidden)
            and spec.audience <= audience
            and len(spec.path) > len(prefix)
            and spec.path[: len(prefix)] == prefix
        ]

    def visible_to(self, audience: Audience) -> list[CommandSpec]:
        return [s for s in self.all() if not s.hidden and s.audience <= audience]

    def by_topic(self, audience: Audience) -> dict[Topic, list[CommandSpec]]:
        """The visible commands ``audience`` may run, per topic in :class:`Topic` order; within
        a topic, a feature's featured commands first, then everyone's before champions' before
        admins', then by name (subcommands next to their command)."""
        topics = self._topics.get(audience)
        if topics is None:
            grouped: dict[Topic, list[CommandSpec]] = {topic: [] for topic in Topic}
            for spec in self.visible_to(audience):
                grouped[spec.topic or Topic.ACCOUNT].append(spec)
            topics = self._topics[audience] = {
                topic: sorted(specs, key=lambda s: (not s.featured, s.audience, s.path))
                for topic, specs in grouped.items()
                if specs
            }
        return {topic: list(specs) for topic, specs in topics.items()}  # copies, as before
