"""Names, descriptions and their localizations, for commands, options and choices alike.

Application commands (``interactions/application-commands``):

- ``name``: a ``CHAT_INPUT`` command's, group's, subcommand's and option's name, and every
  localized name, matches ``^[-_'\\p{L}\\p{N}\\p{sc=Deva}\\p{sc=Thai}]{1,32}$`` and uses the
  lowercase variant of every letter that has one (#application-command-naming). The brief
  quoted the pattern without ``'``; the current page allows it.
- ``description``: 1-100 characters for commands, groups, subcommands and options, and for every
  localized description (#application-command-structure, #application-command-option-structure).
- ``locale``: localization keys are Discord locales (``reference#locales``; there is no Arabic).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from typing import Any

from tests.fakes.discord_rules.errors import Breach, Path, _bad_length

NAME_LIMIT = 32
DESCRIPTION_LIMIT = 100

DISCORD_LOCALES = frozenset(
    [
        "id",
        "da",
        "de",
        "en-GB",
        "en-US",
        "es-ES",
        "es-419",
        "fr",
        "hr",
        "it",
        "lt",
        "hu",
        "nl",
        "no",
        "pl",
        "pt-BR",
        "ro",
        "fi",
        "sv-SE",
        "vi",
        "tr",
        "cs",
        "el",
        "bg",
        "ru",
        "uk",
        "hi",
        "th",
        "zh-CN",
        "ja",
        "zh-TW",
        "ko",
    ]
)
"""Discord's locales (https://discord.com/developers/docs/reference#locales)."""

_DEVANAGARI = ((0x0900, 0x097F), (0xA8E0, 0xA8FF), (0x11B00, 0x11B5F))
_THAI = ((0x0E00, 0x0E7F),)


def _in_ranges(char: str, ranges: Iterable[tuple[int, int]]) -> bool:
    return any(low <= ord(char) <= high for low, high in ranges)


def _name_char_allowed(char: str) -> bool:
    """``[-_'\\p{L}\\p{N}\\p{sc=Deva}\\p{sc=Thai}]`` (Python's ``re`` has no \\p classes)."""
    if char in "-_'":
        return True
    if unicodedata.category(char)[0] in "LN":
        return True
    return _in_ranges(char, _DEVANAGARI) or _in_ranges(char, _THAI)


def name_problem(name: Any) -> str | None:
    """Why ``name`` is not a valid CHAT_INPUT command or option name, or None."""
    if not isinstance(name, str) or not 1 <= len(name) <= NAME_LIMIT:
        return f"a name has 1-{NAME_LIMIT} characters"
    bad = [char for char in name if not _name_char_allowed(char)]
    if bad:
        return f"{name!r} has characters outside the allowed pattern: {''.join(bad)!r}"
    upper = [char for char in name if char.lower() != char]
    if upper:
        return f"{name!r} is not lowercase: {''.join(upper)!r}"
    return None


def _localizations(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _named_and_described(item: dict[str, Any], at: Path) -> list[Breach]:
    """Name, description and their localizations, for commands and options alike."""
    breaches: list[Breach] = []
    problem = name_problem(item.get("name"))
    if problem:
        breaches.append(Breach("name", (*at, "name"), "APPLICATION_COMMAND_INVALID_NAME", problem))
    for locale, localized in _localizations(item.get("name_localizations")).items():
        breaches += _locale_breaches(locale, (*at, "name_localizations"))
        problem = name_problem(localized)
        if problem:
            breaches.append(
                Breach(
                    "name",
                    (*at, "name_localizations", locale),
                    "APPLICATION_COMMAND_INVALID_NAME",
                    problem,
                )
            )
    breaches += _bad_length(
        "description", (*at, "description"), item.get("description"), 1, DESCRIPTION_LIMIT
    )
    for locale, localized in _localizations(item.get("description_localizations")).items():
        breaches += _locale_breaches(locale, (*at, "description_localizations"))
        breaches += _bad_length(
            "description",
            (*at, "description_localizations", locale),
            localized,
            1,
            DESCRIPTION_LIMIT,
        )
    return breaches


def _locale_breaches(locale: str, at: Path) -> list[Breach]:
    if locale in DISCORD_LOCALES:
        return []
    return [
        Breach("locale", (*at, locale), "LOCALE_INVALID", f"{locale!r} is not a Discord locale")
    ]
