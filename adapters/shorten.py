"""Fitting a text into a platform's length limit without cutting a word in half.

Discord limits a modal title and a text-input label to 45 characters, a description to 100;
Telegram a menu entry's description to 256. Our texts are translated, and French, Spanish and
Arabic run longer than English, so some do not fit: they are shortened here, whole words only,
with an ellipsis that tells the reader something was left out.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

ELLIPSIS = "…"
_TRAILING = " \t,;:.·—–-(/…،؛"
"""Left dangling before the ellipsis when a cut lands after them."""


def utf16_units(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units (most emoji count two)."""
    return len(text.encode("utf-16-le")) // 2


def shorten(text: str, limit: int, *, measure: Callable[[str], int] = len) -> str:
    """``text`` on one line in at most ``limit`` units of ``measure`` (characters by default).

    A text that fits is returned whole (spaces collapsed). Otherwise a trailing aside in
    parentheses is dropped if that is enough ("Ask for advice (start with …)" → "Ask for
    advice"); else the text is cut after the last whole word that fits and ends with "…". Only
    a first word longer than the limit is cut inside, never between a letter and its accent.
    """
    text = " ".join(text.split())
    if measure(text) <= limit:
        return text
    aside = text.find(" (")
    if aside > 0 and text.endswith(")") and measure(text[:aside]) <= limit:
        return text[:aside]
    room = limit - measure(ELLIPSIS)
    if room <= 0:
        return ELLIPSIS if measure(ELLIPSIS) <= limit else ""
    fitting = _longest_prefix(text, room, measure)
    boundary = fitting.rfind(" ")
    if boundary > 0 and (len(fitting) == len(text) or text[len(fitting)] != " "):
        fitting = fitting[:boundary]
    head = fitting.rstrip(_TRAILING)
    return (head or fitting) + ELLIPSIS


def _longest_prefix(text: str, room: int, measure: Callable[[str], int]) -> str:
    """The longest start of ``text`` within ``room``, not ending before a combining mark.

    ``measure`` is additive over characters (characters, UTF-16 code units, bytes)."""
    end, used = 0, 0
    for char in text:
        used += measure(char)
        if used > room:
            break
        end += 1
    while 0 < end < len(text) and unicodedata.combining(text[end]):
        end -= 1
    return text[:end]
