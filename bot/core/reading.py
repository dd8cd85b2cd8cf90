"""How the bot reads what people type, in one place: digits, folded words, typed lists.

Every argument, conversation step, typed button and vocabulary lookup goes through these, so
an answer that works in one place works in all: ``١`` is 1, ``Côte d'Ivoire`` is
``Côte d’Ivoire``, ``Etats-Unis`` is ``États-Unis``, and ``français et anglais`` is a list.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

_DIGITS = {ord(c): str(i) for i, c in enumerate("٠١٢٣٤٥٦٧٨٩")} | {
    ord(c): str(i) for i, c in enumerate("۰۱۲۳۴۵۶۷۸۹")
}
_LETTERS = {ord("\u0640"): None, ord("ى"): "ي", ord("ة"): "ه"}
"""Tatweel (the stretching stroke) goes; alef maqsura and ta marbuta read as their twins."""
_APOSTROPHES = re.compile(r"['’ʼ`´]")
_SEPARATORS = re.compile(r"[\s_\-‐‑–]+")

_HARD_SEPARATORS = re.compile(r"\s*[,;،؛\n]+\s*")
_CONJUNCTIONS = re.compile(r"(\s+(?:and|et|y|e|&|و)\s+)", re.IGNORECASE)
_ARABIC_AND = re.compile(r"\s+و(?=\S)")
"""The Arabic "and" is written joined to the next word: ``الإنجليزية والفرنسية``."""


def ascii_digits(text: str) -> str:
    """``text`` with Arabic-Indic and Eastern Arabic-Indic (Persian) digits written 0-9, the
    rest as is (``٢٠٢٦-١١-٢٦ ١٤:٠٠`` → ``2026-11-26 14:00``); the Arabic decimal separator
    too."""
    return text.translate(_DIGITS).replace("\u066b", ".").replace("\u066c", ",")


def fold(text: str) -> str:
    """What two spellings of one word share: no case, accents, Arabic vowel marks or letter
    variants, apostrophes; ASCII digits; ``_``, ``-`` and spaces alike (``todo_el_mundo`` =
    "todo el mundo", ``Côte d'Ivoire`` = "cote divoire", ``غدًا`` = ``غدا``, ``١`` = "1")."""
    decomposed = unicodedata.normalize("NFKD", ascii_digits(text).strip().casefold())
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    bare = _APOSTROPHES.sub("", bare.translate(_LETTERS))
    return _SEPARATORS.sub(" ", bare).strip()


def typed_number(text: str) -> int | None:
    """The whole number ``text`` is (``3``, ``٣``, ``#3``), or ``None``."""
    digits = ascii_digits(text).strip().lstrip("#")
    return int(digits) if digits.isascii() and digits.isdecimal() and len(digits) <= 10 else None


def split_list(text: str, accepts: Callable[[str], bool] | None = None) -> list[str]:
    """The items of a typed list: commas (``,``, ``،``), semicolons, lines, and "and" in the
    four languages (``français et anglais``, ``inglés y francés``, ``العربية والفرنسية``).

    A part that ``accepts`` recognises whole is kept whole, so a label with "and" in it
    ("Gender data and statistics") is one item; without ``accepts``, every "and" splits."""
    items: list[str] = []
    for part in _HARD_SEPARATORS.split(text.strip()):
        if not part:
            continue
        if accepts is not None and accepts(part):
            items.append(part)
            continue
        for piece in _joined(_CONJUNCTIONS.split(part), accepts):
            items.extend(_arabic_items(piece, accepts))
    return [item.strip() for item in items if item.strip()]


def _joined(pieces: list[str], accepts: Callable[[str], bool] | None) -> list[str]:
    """``pieces`` (texts, and the conjunctions between them) regrouped, the longest known
    run first: "Gender data and statistics et quotas" keeps the label whole."""

    def run(first: int, last: int) -> str:  # texts first..last with their conjunctions
        return "".join(pieces[2 * first : 2 * last + 1])

    count = len(pieces[::2])
    found: list[str] = []
    first = 0
    while first < count:
        last = first
        if accepts is not None:
            last = next((n for n in range(count - 1, first, -1) if accepts(run(first, n))), first)
        found.append(run(first, last))
        first = last + 1
    return found


def _arabic_items(piece: str, accepts: Callable[[str], bool] | None) -> list[str]:
    """``piece`` split where a word starts with the joined Arabic "and", unless the word with
    its و is what was meant (``accepts`` knows it, or the word without it is unknown)."""
    words = _ARABIC_AND.split(piece)
    if len(words) == 1:
        return [piece]
    if accepts is None:  # only before the article: a word may begin with و (وهران)
        return [w for w in re.split(r"\s+و(?=ال)", piece) if w]
    if accepts(piece):
        return [piece]
    if all(accepts(w) for w in words if w):
        return [w for w in words if w]
    return [piece]
