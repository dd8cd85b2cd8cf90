"""Times of day as people type them: ``14:00``, ``14.00``, ``14h``, ``14 h 30``, ``2pm``,
``2 p. m.``, ``2 مساءً``, ``٢م`` (any digits), after a linking word or not (``at 10:00``,
``à 10h``, ``a las 10``, ``الساعة 14:00``), turned into ``HH:MM``.

The half-day and linking words are data (``bot/data/keywords.toml``: ``am``, ``pm``, ``at``).
"""

from __future__ import annotations

import re
from functools import cache

from bot.core.keywords import spellings
from bot.core.reading import fold

_CLOCK = re.compile(r"(\d{1,2})(?:[:h](\d{2})|h)?(\D*)")
MAX_CLOCK_WORDS = 5
"""The most words one time of day takes (``10 de la mañana``, ``2 p. m.``)."""


def _compact(text: str) -> str:
    """Folded, spaces and dots gone, a dot between digits a colon (``2 p. m.`` → ``2pm``)."""
    folded = re.sub(r"(\d)\.(\d)", r"\1:\2", fold(text))
    return re.sub(r"[\s.]", "", folded)


@cache
def _halves() -> dict[str, bool]:
    """Half-day words, compacted, to whether they mean the afternoon."""
    return {
        **{_compact(w): False for w in spellings("am")},
        **{_compact(w): True for w in spellings("pm")},
    }


@cache
def _linking() -> frozenset[str]:
    return frozenset(fold(w) for w in spellings("at"))


def clock_time(text: str, *, linked: bool = False) -> str | None:
    """``text`` as ``HH:MM`` when it is a time of day, else ``None`` (``25h``, ``13pm``).

    A lone number is a time only after a linking word (``a las 10``: ``linked``)."""
    found = _CLOCK.fullmatch(_compact(text))
    if found is None:
        return None
    hour, minute, tail = int(found[1]), int(found[2] or 0), found[3]
    half = _halves().get(tail) if tail else None
    if tail and half is None:
        return None
    bare = found[2] is None and half is None and not found[0][len(found[1]) :].startswith("h")
    if (bare and not linked) or minute > 59:
        return None
    if half is not None:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half else 0)
    return f"{hour:02d}:{minute:02d}" if hour <= 23 else None


def linking_words(words: list[str]) -> int:
    """How many of the first ``words`` are a linking word (``at``, ``à``, ``a las``,
    ``الساعة``): 0 when none."""
    for count in (3, 2, 1):
        if len(words) >= count and fold(" ".join(words[:count])) in _linking():
            return count
    return 0


def take_clock(words: list[str]) -> tuple[str | None, int]:
    """The time of day the first ``words`` spell, after an optional linking word, and how
    many words it took; ``(None, n)`` when none, ``n`` counting the linking word alone."""
    linked = linking_words(words)
    for count in range(min(MAX_CLOCK_WORDS, len(words) - linked), 0, -1):
        found = clock_time(" ".join(words[linked : linked + count]), linked=linked > 0)
        if found is not None:
            return found, linked + count
    return None, linked
