"""Suggestion sources for autocomplete: ``ArgSpec(suggest="timezones")`` names one of these.

Discord asks for suggestions while a member types an option; other adapters may use them to
offer buttons. A source is an async function given a :class:`SuggestionQuery` (who asks, what
they typed so far) that returns at most ``limit`` :class:`Suggestion` pairs. Features add their
own sources (``resources``, ``webinars``...) on the registry with
``Feature.suggestion_source``; :data:`BUILTIN_SOURCES` are the core's own. A source reaches the
database and the app's services through ``query.ports`` (:class:`~bot.core.ports.Ports`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.core.i18n import Translator
from bot.core.sanitize import clean_text

if TYPE_CHECKING:
    from bot.core.messages import Actor
    from bot.core.ports import Ports

MAX_SUGGESTIONS = 25
"""Discord's limit on autocomplete choices, and a sensible list length anywhere."""


@dataclass(frozen=True)
class Suggestion:
    label: str
    """What the member sees (already translated)."""
    value: str
    """What the argument receives when chosen."""


@dataclass(frozen=True)
class SuggestionQuery:
    ports: Ports
    actor: Actor
    prefix: str
    translator: Translator
    limit: int = MAX_SUGGESTIONS

    def __post_init__(self) -> None:
        # Half-typed text reaches the database too: clean it like a request's (bot.core.sanitize).
        object.__setattr__(self, "prefix", clean_text(self.prefix))


SuggestionSource = Callable[[SuggestionQuery], Awaitable[list[Suggestion]]]


async def suggest(query: SuggestionQuery, name: str) -> list[Suggestion]:
    """The suggestions of source ``name`` for ``query``; none for an unknown source."""
    source = query.ports.registry.suggestion(name)
    if source is None:
        return []
    found = await source(query)
    return found[: min(query.limit, MAX_SUGGESTIONS)]


async def timezone_suggestions(query: SuggestionQuery) -> list[Suggestion]:
    """Zones for what was typed (a zone, city, country, offset or abbreviation), each labelled
    with what it means: see :mod:`bot.core.timezones`."""
    from bot.core.timezones import suggest_zones, zone_label

    zones = suggest_zones(query.prefix, limit=query.limit)
    return [Suggestion(zone_label(zone, query.translator), zone) for zone in zones]


async def theme_suggestions(query: SuggestionQuery) -> list[Suggestion]:
    """Expertise themes whose code or label (in the reader's language) contains what was typed."""
    from bot.core.vocab import THEMES

    typed = query.prefix.strip().casefold()
    found = []
    for choice in THEMES:
        label = query.translator.gettext(choice.label)
        if not typed or typed in label.casefold() or typed in choice.value:
            found.append(Suggestion(label, choice.value))
    return found[: query.limit]


BUILTIN_SOURCES: dict[str, SuggestionSource] = {
    "timezones": timezone_suggestions,
    "themes": theme_suggestions,
}
"""Sources the core itself provides; features add theirs with ``Feature.suggestion_source``."""
