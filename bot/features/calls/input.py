"""What an admin types after a call's title: ``event=12 themes=quotas,gbv seats=2`` and the
description in free words. Themes are read in any of the four languages (the hub taxonomy)."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.core.arguments import as_id, split_words
from bot.core.errors import UsageError
from bot.core.keywords import ascii_digits, key_named
from bot.core.reading import split_list
from bot.features.hub import taxonomy

MAX_SEATS = 20
CALL_KEYS = ("event", "themes", "theme", "seats")
"""The ``key=value`` names, each typed in any language (``bot/data/keywords.toml``)."""


@dataclass
class CallDetails:
    event_id: int | None = None
    themes: list[str] = field(default_factory=list)
    seats: int = 1
    description: str = ""


def parse_details(text: str) -> CallDetails:
    """Split the ``key=value`` words from the description; unknown values are refused."""
    found = CallDetails()
    words: list[str] = []
    for word in split_words(text):
        typed, sep, value = word.partition("=")
        key = key_named(typed, CALL_KEYS) if sep else None  # événement=, plazas=, موضوع=
        if key is None:
            words.append(word)
            continue
        key = "themes" if key == "theme" else key
        value = ascii_digits(value)
        value = value.strip().strip("\"'")
        if key == "event":
            number = as_id(value.lstrip("#")) if value.lstrip("#").isdecimal() else None
            if number is None:
                raise UsageError("“{value}” is not an event number.", value=value[:40])
            found.event_id = number
        elif key == "seats":
            if not value.isdecimal() or not 1 <= int(value) <= MAX_SEATS:
                raise UsageError("Seats must be a number from 1 to {most}.", most=MAX_SEATS)
            found.seats = int(value)
        else:
            found.themes = theme_codes(value)
    found.description = " ".join(words)[:2000]
    return found


def theme_codes(value: str) -> list[str]:
    """``quotas, presupuesto sensible al género`` → taxonomy codes (any language)."""
    codes: list[str] = []
    for item in split_list(
        value, accepts=lambda i: bool(taxonomy.resolve_typed_quietly("theme", i))
    ):
        named = taxonomy.resolve_typed_quietly("theme", item)
        if not named:
            raise UsageError(
                "I don't know the theme “{value}”. Try one of: {allowed}.",
                value=item[:60],
                allowed=", ".join(t.code for t in taxonomy.THEMES),
            )
        codes.extend(code for code in named if code not in codes)
    return codes
