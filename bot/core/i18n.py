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

A message that shows a count is a plural message: ``ngettext("{count} rating", "{count}
ratings", n)`` (or :class:`Plural` where it is only declared, as in an error). Each language
picks the form with its catalogs' ``Plural-Forms`` header (:data:`PLURAL_FORMS`; Arabic has six
forms), so "1 ratings" and an Arabic count without agreement cannot be written. The number's
placeholder is ``{count}``: it is filled with ``n`` unless given, and a form may leave it out
(Arabic says "يومان", two days, with no digit).
"""

from __future__ import annotations

import gettext as _gettext
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache, lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

from babel import Locale
from babel.dates import format_timedelta as _babel_format_timedelta
from babel.lists import format_list as _babel_format_list
from babel.messages.pofile import read_po

from bot.core import dates

BOT_DIR = Path(__file__).resolve().parent.parent
CORE_CATALOGS = BOT_DIR / "core" / "locales"
FEATURES_DIR = BOT_DIR / "features"
SUPPORTED_LANGUAGES: tuple[str, ...] = ("en", "fr", "es", "ar")
SOURCE_LANGUAGE = "en"
RTL_LANGUAGES = frozenset({"ar"})

PLURAL_FORMS: Mapping[str, str] = MappingProxyType(
    {
        "en": "nplurals=2; plural=(n != 1);",
        "fr": "nplurals=2; plural=(n > 1);",
        "es": "nplurals=2; plural=(n != 1);",
        "ar": "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : "
        "n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5);",
    }
)
"""The ``Plural-Forms`` header every catalog of a language carries (CLDR's rules, checked by
``tests/core/test_i18n.py``). French and Spanish use gettext's usual two forms: CLDR's third,
"many", only concerns exact millions ("un million de personnes")."""

_ListStyle = Literal["standard", "standard-short", "or", "or-short", "unit-narrow"]
"""Babel's list styles that every supported language has (Spanish lacks "unit")."""

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
        load_catalog.cache_clear()
        translations.cache_clear()


def catalog_dirs() -> list[Path]:
    """Every catalog folder: the core's, each feature's, then the registered ones."""
    features = sorted(FEATURES_DIR.glob("*/locales"))
    return [CORE_CATALOGS, *features, *_registered]


def catalog_files(language: str) -> list[Path]:
    """Every ``.po`` file of ``language``: one per package, so packages never edit each other's."""
    return [path for path in (d / f"{language}.po" for d in catalog_dirs()) if path.is_file()]


PluralKey = tuple[str, str]
"""A plural message's (singular, plural) English msgids."""


@dataclass(frozen=True)
class LoadedCatalog:
    """A language's merged catalogs: plain messages, plural messages and its plural rule."""

    messages: dict[str, str]
    plurals: dict[PluralKey, tuple[str, ...]]
    plural_forms: str
    """The ``Plural-Forms`` header its files share."""


@cache
def load_catalog(language: str) -> LoadedCatalog:
    """Every file of ``language`` merged; files that disagree on ``Plural-Forms`` fail loudly."""
    messages: dict[str, str] = {}
    plurals: dict[PluralKey, tuple[str, ...]] = {}
    headers: dict[str, Path] = {}
    for path in catalog_files(language):
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=language)
        header = declared_plural_forms(path)
        if header:
            headers.setdefault(header, path)
        for message in catalog:
            if not message.id:
                continue
            if isinstance(message.id, tuple) and isinstance(message.string, tuple):
                forms = tuple(str(form) for form in message.string)
                if all(forms):  # a half-translated entry reads English, not a blank
                    plurals[(str(message.id[0]), str(message.id[1]))] = forms
            elif isinstance(message.string, str) and message.string:
                messages[str(message.id)] = message.string
    if len(headers) > 1:
        raise ValueError(f"{language} catalogs disagree on Plural-Forms: {headers}")
    forms_header = next(iter(headers), PLURAL_FORMS.get(language, PLURAL_FORMS[SOURCE_LANGUAGE]))
    return LoadedCatalog(messages, plurals, forms_header)


_PLURAL_FORMS_LINE = re.compile(r'^"Plural-Forms:\s*(.*?)(?:\\n)?"$', re.MULTILINE)


def declared_plural_forms(path: Path) -> str | None:
    """The ``Plural-Forms`` header ``path`` itself writes (Babel invents one when it is absent)."""
    head = path.read_text(encoding="utf-8").split("\n\n", 1)[0]
    found = _PLURAL_FORMS_LINE.search(head)
    return " ".join(found.group(1).split()) if found else None


def _catalog(language: str) -> dict[str, str]:
    """The plain (singular) messages of ``language``."""
    return load_catalog(language).messages


@cache
def plural_rule(forms_header: str) -> tuple[int, Callable[[int], int]]:
    """(nplurals, n → index of the form) of a ``Plural-Forms`` header."""
    parts = dict(part.strip().split("=", 1) for part in forms_header.strip().rstrip(";").split(";"))
    return int(parts["nplurals"]), _gettext.c2py(parts["plural"].strip())


@dataclass(frozen=True)
class Plural:
    """A plural message declared now and translated later (an error, a stored notice).

    ``UserFacingError(Plural("{count} file", "{count} files", n))``: the router picks the
    reader's form. The extraction tools read ``Plural(...)`` like ``ngettext``.
    """

    singular: str
    plural: str
    n: int


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


LABEL_SEPARATORS = {"fr": " : "}
"""Label-value separators that are not ``": "`` (French typography)."""


class Translator:
    """Translates and formats for one language."""

    def __init__(self, language: str) -> None:
        self.language = normalize_language(language) or SOURCE_LANGUAGE
        loaded = load_catalog(self.language) if self.language != SOURCE_LANGUAGE else None
        self._messages = loaded.messages if loaded else {}
        self._plurals = loaded.plurals if loaded else {}
        self.nplurals, self._form_of = plural_rule(
            loaded.plural_forms if loaded else PLURAL_FORMS[SOURCE_LANGUAGE]
        )

    @property
    def rtl(self) -> bool:
        return self.language in RTL_LANGUAGES

    @property
    def colon(self) -> str:
        """What joins a label to its value (``Durée : 1 heure``, ``Duration: 1 hour``): French
        puts a space before the colon, as its catalogs do in whole sentences."""
        return LABEL_SEPARATORS.get(self.language, ": ")

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

    def ngettext(self, singular: str, plural: str, n: int, /, **values: Any) -> str:
        """The form of a count message that fits ``n`` in this language, filled.

        ``{count}`` is ``n`` unless given; other placeholders come from ``values``.
        """
        forms = self._plurals.get((singular, plural))
        if forms:
            text = forms[min(self._form_of(n), len(forms) - 1)]
        else:
            text = singular if n == 1 else plural
        values.setdefault("count", n)
        return text.format(**{key: self._wall(value) for key, value in values.items()})

    def translate(self, message: str | Plural, /, **values: Any) -> str:
        """A message declared earlier, plain or :class:`Plural` (errors, stored notices)."""
        if isinstance(message, Plural):
            return self.ngettext(message.singular, message.plural, message.n, **values)
        return self.gettext(message, **values)

    def duration(self, delta: timedelta, *, direction: bool = False) -> str:
        """``2 days``, ``90 minutes``: exact, in the largest unit that divides it (never rounded).

        ``direction=True`` says "in 2 days" as the language does after its own preposition
        (``dans 2 jours``, ``خلال يومين`` with the genitive), from CLDR's relative patterns:
        a sentence never glues a preposition to a bare duration.
        """
        minutes = max(1, round(abs(delta).total_seconds() / 60))
        unit: Literal["day", "hour", "minute"] = (
            "day" if minutes % 1440 == 0 else "hour" if minutes % 60 == 0 else "minute"
        )
        return _babel_format_timedelta(
            timedelta(minutes=minutes),
            granularity=unit,
            threshold=10**9,  # never round up to a larger unit: 90 minutes stays 90 minutes
            add_direction=direction,
            locale=self.language,
        )

    def format_list(self, items: Sequence[str], *, style: _ListStyle = "standard") -> str:
        """``a, b and c`` the language's way (``a، وb`` has no Latin comma in Arabic)."""
        return _babel_format_list(list(items), style=style, locale=self.language)

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
