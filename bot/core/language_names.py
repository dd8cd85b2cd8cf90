"""Languages as people name them: a code (``fr``, ``pt-BR``) or a name in any of the four
languages, accents, case and the Arabic article and adjective ending aside (``Français``,
``inglés``, ``الإنجليزية``, ``عربي``)."""

from __future__ import annotations

from functools import cache

from babel import Locale, UnknownLocaleError

from bot.core.i18n import SUPPORTED_LANGUAGES
from bot.core.reading import fold


def _stem(folded: str) -> str:
    """An Arabic language name without its article and feminine ending, so the noun
    ``العربية`` and the adjective ``عربي`` meet (folded, ة is already ه)."""
    word = folded.removeprefix("ال")
    return word[:-1] if word.endswith("ه") and len(word) > 2 else word


@cache
def _names() -> dict[str, str]:
    names: dict[str, str] = {}
    for language in SUPPORTED_LANGUAGES:
        for code, name in Locale.parse(language).languages.items():
            if "_" not in code:
                names.setdefault(fold(name), code)
                names.setdefault(_stem(fold(name)), code)
    return names


def language_code(text: str) -> str | None:
    """The language code ``text`` names, or ``None``."""
    word = text.strip()
    if word.isascii() and len(word) <= 8:
        try:
            return Locale.parse(word.replace("-", "_")).language
        except (UnknownLocaleError, ValueError, TypeError):
            pass
    key = fold(word)
    return _names().get(key) or _names().get(_stem(key))
