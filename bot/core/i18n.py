"""Translations (gettext catalogs read with Babel) and locale-aware formatting.

Messages are written in English in the code, wrapped in ``_()`` (or ``N_()`` where the text is
only declared, like command descriptions); the English text is the msgid. Each package keeps
the translations of the messages it uses next to its code, one file per language:

- ``bot/core/locales/<lang>.po``: the core's, and any message used by several packages;
- ``bot/features/<feature>/locales/<lang>.po``: one feature's (found by a glob, no list to edit);
- ``adapters/<platform>/locales/<lang>.po``: an adapter's own, registered by the adapter
  package with :func:`add_catalogs` (the core never reads the adapters' folders by name: the
  adapters depend on the core, not the other way round).

All files of a language are merged at load time; ``tests/core/test_i18n.py`` fails when a
message lacks a translation or sits in another package's file. The catalogs are read from the
``.po`` files directly, so there is no compile step to forget.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from functools import cache, lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from babel import Locale
from babel.messages.pofile import read_po

from bot.core import dates

BOT_DIR = Path(__file__).resolve().parent.parent
CORE_CATALOGS = BOT_DIR / "core" / "locales"
FEATURES_DIR = BOT_DIR / "features"
SUPPORTED_LANGUAGES: tuple[str, ...] = ("en", "fr", "es", "ar")
SOURCE_LANGUAGE = "en"
RTL_LANGUAGES = frozenset({"ar"})

_registered: list[Path] = []
"""Catalog folders of packages outside ``bot`` (the adapters), in registration order."""


def N_(message: str) -> str:
    """Mark a string for translation without translating it yet (declarations)."""
    return message


def add_catalogs(directory: Path) -> None:
    """Merge ``directory/<lang>.po`` into every language: for packages outside ``bot``.

    An adapter calls it from its ``__init__`` with its own ``locales`` folder, so its messages
    are there as soon as the adapter is imported.
    """
    directory = directory.resolve()
    if directory not in _registered:
        _registered.append(directory)
        _catalog.cache_clear()
        translations.cache_clear()


def catalog_dirs() -> list[Path]:
    """Every catalog folder: the core's, each feature's, then the registered ones."""
    features = sorted(FEATURES_DIR.glob("*/locales"))
    return [CORE_CATALOGS, *features, *_registered]


def catalog_files(language: str) -> list[Path]:
    """Every ``.po`` file of ``language``: one per package, so packages never edit each other's."""
    return [path for path in (d / f"{language}.po" for d in catalog_dirs()) if path.is_file()]


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


@cache
def translations(message: str) -> Mapping[str, str]:
    """``message`` as read in each supported language (English when a catalog lacks it).

    What a member may type back: a label seen in any language names the same thing.
    """
    found = {SOURCE_LANGUAGE: message}
    for language in SUPPORTED_LANGUAGES:
        if language != SOURCE_LANGUAGE:
            found[language] = _catalog(language).get(message, message)
    return MappingProxyType(found)  # cached: shared by every caller, so read-only


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
        if not values:
            return translated
        # A calendar day or a naive wall-clock time given as a value (an error's "{date}")
        # is written the reader's way.
        shown = {k: self._wall(v) for k, v in values.items()}
        return translated.format(**shown)

    def _wall(self, value: object) -> object:
        if type(value) is date:
            return self.format_date(value)
        if isinstance(value, datetime) and value.tzinfo is None:
            return self.format_datetime(value, "UTC", show_zone=False)
        return value

    _ = gettext

    # Dates and times: the patterns live in :mod:`bot.core.dates`, one place for every message.

    def format_datetime(self, moment: datetime, zone: str, *, show_zone: bool = True) -> str:
        """A moment as the reader reads it: in their zone and language, zone named."""
        return dates.datetime_text(moment, self.language, zone, show_zone=show_zone)

    def format_date(self, value: date | datetime, zone: str | None = None) -> str:
        """A calendar day (a moment is first put in ``zone``)."""
        return dates.date_text(value, self.language, zone)

    def format_short_date(self, value: date | datetime, zone: str | None = None) -> str:
        """Day and month only, for tight lists and chart axes."""
        return dates.short_date_text(value, self.language, zone)

    def format_time(self, moment: datetime, zone: str, *, show_zone: bool = True) -> str:
        """A time of day in the reader's zone, on a 24-hour clock."""
        return dates.time_text(moment, self.language, zone, show_zone=show_zone)

    def format_range(
        self, start: datetime, end: datetime, zone: str, *, show_zone: bool = True
    ) -> str:
        """From ``start`` to ``end`` in the reader's zone."""
        return dates.range_text(start, end, self.language, zone, show_zone=show_zone)

    def zone_label(self, zone: str) -> str:
        """A zone as shown after a time (a fixed offset as ``UTC+03:00``)."""
        return dates.zone_label(zone)

    def language_name(self, code: str) -> str:
        return _language_name(code, self.language)


@lru_cache(maxsize=4096)
def _language_name(code: str, language: str) -> str:
    """Cached: an export names the same few languages thousands of times."""
    return Locale.parse(code).get_display_name(language) or code


def translator_for(language: str | None) -> Translator:
    return Translator(language or SOURCE_LANGUAGE)
