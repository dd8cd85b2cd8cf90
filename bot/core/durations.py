"""Durations as people type them, in four languages: ``90m``, ``1h30``, ``2j``, ``2 días``,
``1 heure 30``, ``ساعتان``, ``٣ ساعات``.

One reader for every duration argument (``/webinar`` lengths and reminders, ``/reminders``,
``/call``...), so a word that works in one command works in all. The unit words are data
(``bot/data/keywords.toml``: ``minute``, ``hour``, ``day``, ``week``), compared folded like
every keyword; English letters (``m``, ``h``, ``d``, ``w``) always work.
"""

from __future__ import annotations

import re
from functools import cache

from bot.core.keywords import ascii_digits, fold, spellings

UNIT_MINUTES = {"week": 7 * 24 * 60, "day": 24 * 60, "hour": 60, "minute": 1}
_ENGLISH = {
    "minute": ("m", "min", "mins", "minute", "minutes"),
    "hour": ("h", "hr", "hrs", "hour", "hours"),
    "day": ("d", "day", "days"),
    "week": ("w", "wk", "week", "weeks"),
}
_DUALS = {  # Arabic: one word says "two hours"
    "hour": ("ساعتان", "ساعتين"),
    "day": ("يومان", "يومين"),
    "minute": ("دقيقتان", "دقيقتين"),
    "week": ("أسبوعان", "أسبوعين"),
}
_ABBREVIATIONS = frozenset(
    {"m", "min", "mins", "mn", "h", "hr", "hrs", "d", "j", "w", "wk", "sem", "س", "د", "ي"}
)
"""Units that need their number: ``h`` alone is no duration, ``heure`` and ``ساعة`` are one."""
_JOINERS = frozenset({"and", "et", "y", "e", "و"})
_TOKEN = re.compile(r"\d+(?:[.,]\d+)?|[^\W\d_]+")


@cache
def _units() -> dict[str, str]:
    """Folded unit word → unit (``heures`` → ``hour``)."""
    found: dict[str, str] = {}
    for unit, english in _ENGLISH.items():
        for word in (*english, *spellings(unit)):
            found.setdefault(fold(word), unit)
    return found


@cache
def _duals() -> dict[str, str]:
    return {fold(word): unit for unit, words in _DUALS.items() for word in words}


def duration_minutes(value: str) -> int | None:
    """The minutes ``value`` says, or ``None`` when it is not a duration. A number without a
    unit after hours is minutes (``1h30``); a unit word alone is one (``heure``, ``ساعة``)."""
    text = ascii_digits(value).strip()
    if text.startswith("و"):  # "وساعة": the Arabic "and" is written joined to the word
        text = text[1:]
    tokens = _TOKEN.findall(text)
    if not tokens or "".join(tokens) != re.sub(r"[\s\u0640]+", "", text):
        return None
    total, number, last = 0, None, None
    for token in tokens:
        folded = fold(token)
        if token[0].isdigit():
            if number is not None or "," in token or "." in token:
                return None  # two numbers in a row, or a fraction: say it in minutes
            number = int(token)
            continue
        if folded in _JOINERS and number is None:
            continue
        if folded.startswith("و") and len(folded) > 1 and number is None:
            folded = folded[1:]
        unit = _units().get(folded)
        if unit is not None:
            if number is None and folded in _ABBREVIATIONS:
                return None
            total += (1 if number is None else number) * UNIT_MINUTES[unit]
        elif folded in _duals() and number is None:
            unit = _duals()[folded]
            total += 2 * UNIT_MINUTES[unit]
        else:
            return None
        number, last = None, unit
    if number is not None:  # 1h30: the trailing number is the next unit down
        if last == "hour":
            total += number
        else:
            return None
    return total if last is not None else None


def duration_items(value: str) -> list[str]:
    """A list of durations split into its items: by commas (``24h,1h``, ``يوم، ساعة``), and
    within a piece by spaces where a word is a whole duration (``24h 1h``), keeping a
    number with its unit word (``2 días, 1 hora``: two items)."""
    items: list[str] = []
    for piece in re.split(r"[,،;]", ascii_digits(value)):
        chunk: list[str] = []
        for word in piece.split():
            if chunk and duration_minutes(" ".join(chunk)) is not None:
                items.append(" ".join(chunk))
                chunk = []
            chunk.append(word)
        if chunk:
            items.append(" ".join(chunk))
    return items
