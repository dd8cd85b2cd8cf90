"""The network's shared vocabulary: world regions, member roles, expertise themes, countries.

Codes and synonyms come from the taxonomy file (:mod:`bot.core.terms`); labels are msgids
(English), translated through the catalogs when shown. The Knowledge Hub's own terms (its
extra themes, resource types, Global) are in the same file, marked ``hub_only`` or under
``types``, and used by :mod:`bot.features.hub.taxonomy`.
"""

from __future__ import annotations

from functools import cache, lru_cache

from babel import Locale

from bot.core.arguments import Choice
from bot.core.i18n import SUPPORTED_LANGUAGES
from bot.core.reading import fold
from bot.core.terms import Taxonomy, Term, load_taxonomy
from bot.core.zone_names import country_zones

TAXONOMY: Taxonomy = load_taxonomy()
"""The whole taxonomy file, read and checked once at import."""


def _choices(terms: tuple[Term, ...]) -> tuple[Choice, ...]:
    return tuple(Choice(term.code, term.label) for term in terms if not term.hub_only)


REGIONS: tuple[Choice, ...] = _choices(TAXONOMY.regions)
"""The six world regions of the CIB Gender Hub Champions Group (two champions each)."""

REGION_CODES: tuple[str, ...] = tuple(choice.value for choice in REGIONS)

ROLES: tuple[Choice, ...] = _choices(TAXONOMY.roles)

THEMES: tuple[Choice, ...] = _choices(TAXONOMY.themes)
"""Expertise themes: the Toolkit's areas, the Connective Cities themes and hub subjects."""

THEME_CODES: tuple[str, ...] = tuple(choice.value for choice in THEMES)

COUNTRY_REGION: dict[str, str] = {
    country: region.code for region in TAXONOMY.regions for country in region.countries
}


def label(choices: tuple[Choice, ...], value: str | None) -> str | None:
    """The untranslated label of ``value`` in ``choices``."""
    for choice in choices:
        if choice.value == value:
            return choice.label
    return None


@cache
def _country_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for language in SUPPORTED_LANGUAGES:
        for code, name in Locale.parse(language).territories.items():
            if len(code) == 2 and code.isalpha():
                names.setdefault(fold(name), code)
    return names


def country_code(value: str) -> str | None:
    """An ISO country code from a code or a country name in en/fr/es/ar, folded: accents,
    case, apostrophes and hyphens aside (``Cote d'Ivoire``, ``Etats-Unis``)."""
    text = value.strip()
    if len(text) == 2 and text.upper() in Locale.parse("en").territories:
        return text.upper()
    return _country_names().get(fold(text))


@lru_cache(maxsize=4096)
def country_name(code: str, language: str) -> str:
    """Cached: an export names the same few countries thousands of times."""
    return Locale.parse(language).territories.get(code, code)


def region_for_country(code: str | None) -> str | None:
    return COUNTRY_REGION.get(code or "")


def zones_for_country(code: str | None) -> list[str]:
    """The time zones of a country, the most shared clocks first (``US`` starts with
    ``America/New_York``, ``BR`` with ``America/Sao_Paulo``), to offer as choices."""
    return list(country_zones().get(code or "", ()))
