"""Translations (gettext catalogs read with Babel) and locale-aware formatting.

Messages are written in English in the code, wrapped in ``_()`` (or ``N_()`` where the text is
only declared, like command descriptions). ``bot/locales/<lang>/LC_MESSAGES/*.po`` hold
the French, Spanish and Arabic catalogs, one ``.po`` file per feature (``core.po``, ``hub.po``...),
all merged at load time; ``tests/test_i18n.py`` fails when a message lacks a translation.
The catalogs are read from the ``.po`` files directly, so there is no compile step to forget.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_datetime as _babel_format_datetime
from babel.messages.pofile import read_po

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
SUPPORTED_LANGUAGES: tuple[str, ...] = ("en", "fr", "es", "ar")
SOURCE_LANGUAGE = "en"
RTL_LANGUAGES = frozenset({"ar"})


def N_(message: str) -> str:
    """Mark a string for translation without translating it yet (declarations)."""
    return message


def catalog_files(language: str) -> list[Path]:
    """Every ``.po`` file of ``language``: one per feature, so features never edit each other's."""
    return sorted((LOCALES_DIR / language / "LC_MESSAGES").glob("*.po"))


@cache
def _catalog(language: str) -> dict[str, str]:
    messages: dict[str, str] = {}
    for path in catalog_files(language):
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=language)
        messages.update(
            (str(message.id), str(message.string))
            for message in catalog
            if message.id and isinstance(message.string, str) and message.string
        )
    return messages


def normalize_language(code: str | None) -> str | None:
    """Map a platform locale such as ``fr-FR`` or ``es_419`` to a supported language."""
    if not code:
        return None
    base = code.replace("_", "-").split("-")[0].lower()
    return base if base in SUPPORTED_LANGUAGES else None


class Translator:
    """Translates and formats for one language."""

    def __init__(self, language: str) -> None:
        self.language = normalize_language(language) or SOURCE_LANGUAGE
        self._messages = _catalog(self.language) if self.language != SOURCE_LANGUAGE else {}

    @property
    def rtl(self) -> bool:
        return self.language in RTL_LANGUAGES

    def gettext(self, message: str, /, **values: Any) -> str:
        """Translate ``message`` and fill its ``{placeholders}``."""
        translated = self._messages.get(message, message)
        return translated.format(**values) if values else translated

    _ = gettext

    def format_datetime(self, moment: datetime, zone: str, *, fmt: str = "medium") -> str:
        """A moment as the reader reads it: in their zone and language."""
        return _babel_format_datetime(moment, fmt, tzinfo=ZoneInfo(zone), locale=self.language)

    def language_name(self, code: str) -> str:
        return Locale.parse(code).get_display_name(self.language) or code


def translator_for(language: str | None) -> Translator:
    return Translator(language or SOURCE_LANGUAGE)
