"""The Knowledge Hub taxonomy: lookups over themes, resource types, regions and languages.

The terms themselves (codes, English labels, per-language synonyms) are data, in
``bot/data/taxonomy.toml`` (read by :mod:`bot.core.terms`); their translated labels live only
in the catalogs. Every label a member can read, in any of the four languages, is also a phrase
that names its term, folded like every synonym: what the bot shows can be typed back as a
filter. The synonyms are what lets a Spanish query ("presupuesto sensible al género") find
English resources on gender-responsive budgeting: the search index expands each resource's theme
codes into the labels and synonyms of all four languages.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache

from babel import Locale

from bot.core.errors import UsageError
from bot.core.i18n import N_, SUPPORTED_LANGUAGES
from bot.core.reading import split_list
from bot.core.terms import Term
from bot.core.vocab import TAXONOMY
from bot.features.hub.text import fold_phrase

THEMES: tuple[Term, ...] = TAXONOMY.themes
"""Every theme: the members' expertise themes, then the hub's own (``hub_only``)."""

TYPES: tuple[Term, ...] = TAXONOMY.types
"""Resource types, as the Knowledge Hub lists them."""

REGIONS: tuple[Term, ...] = TAXONOMY.regions
"""The six CIB regions (codes of :data:`bot.core.vocab.REGIONS`) plus Global."""

LANGUAGE_CODES: tuple[str, ...] = TAXONOMY.resource_languages
"""Languages a resource may be written in (ISO 639-1); names come from Babel (CLDR)."""

FREE_TEXT_THEMES: Mapping[str, tuple[str, ...]] = TAXONOMY.imported.get("themes", {})
"""The sample catalogue's free-text themes, mapped by a person to taxonomy codes."""

FREE_TEXT_REGIONS: Mapping[str, tuple[str, ...]] = TAXONOMY.imported.get("regions", {})

KINDS = ("theme", "type", "region", "lang")


@cache
def languages() -> tuple[Term, ...]:
    """Language terms, with each language's name in en/fr/es/ar as synonyms (from CLDR)."""
    found = []
    for code in LANGUAGE_CODES:
        names = {lang: (Locale.parse(lang).languages[code],) for lang in SUPPORTED_LANGUAGES}
        found.append(Term(code, Locale.parse("en").languages[code], names))
    return tuple(found)


def terms(kind: str) -> tuple[Term, ...]:
    if kind == "theme":
        return THEMES
    if kind == "type":
        return TYPES
    if kind == "region":
        return REGIONS
    if kind == "lang":
        return languages()
    raise KeyError(kind)


def term(kind: str, code: str) -> Term | None:
    for item in terms(kind):
        if item.code == code:
            return item
    return None


def label_of(kind: str, code: str) -> str:
    """The untranslated label of ``code`` (the code itself when unknown)."""
    found = term(kind, code)
    return found.label if found else code


@cache
def _phrase_index(kind: str) -> dict[str, tuple[str, ...]]:
    """Folded phrase → codes it names (one phrase may name several, like "africa")."""
    index: dict[str, list[str]] = {}
    for item in terms(kind):
        for phrase in (item.code, item.code.replace("_", " "), *item.phrases()):
            codes = index.setdefault(fold_phrase(phrase), [])
            if item.code not in codes:
                codes.append(item.code)
    return {phrase: tuple(codes) for phrase, codes in index.items()}


def resolve(kind: str, value: str) -> tuple[str, ...]:
    """The codes a typed value names: a code, a label or a synonym, in any language."""
    return _phrase_index(kind).get(fold_phrase(value.strip().lstrip("#")), ())  # "#gbv"


def resolve_typed(kind: str, value: str) -> tuple[str, ...]:
    """The codes a member typed (``local_government`` or "local government"), or a polite
    refusal that lists the codes there are: the one wording for every command that takes one."""
    codes = resolve_typed_quietly(kind, value)
    if not codes:
        raise UsageError(
            N_("I don't know the {kind} “{value}”. Try one of: {allowed}."),
            kind=kind,
            value=value[:60],
            allowed=", ".join(t.code for t in terms(kind)),
        )
    return codes


def codes_listed(kind: str, value: str) -> list[str]:
    """The codes of a typed list (commas or "and", :func:`bot.core.reading.split_list`),
    each once, in order (see :func:`resolve_typed`)."""
    codes: list[str] = []
    for item in split_list(value, accepts=lambda item: bool(resolve_typed_quietly(kind, item))):
        codes.extend(code for code in resolve_typed(kind, item) if code not in codes)
    return codes


def resolve_typed_quietly(kind: str, value: str) -> tuple[str, ...]:
    """:func:`resolve_typed` without the refusal: ``()`` when ``value`` names nothing."""
    return resolve(kind, value.replace("_", " ")) or resolve(kind, value)


def phrases(kind: str) -> dict[str, tuple[str, ...]]:
    """Every known phrase of ``kind`` (folded) and the codes it names."""
    return _phrase_index(kind)


def theme_codes(values: Iterable[str]) -> tuple[list[str], list[str]]:
    """Map free-text or coded themes to codes; returns (codes, values it could not map)."""
    return _map_values("theme", values, FREE_TEXT_THEMES)


def region_codes(values: Iterable[str]) -> tuple[list[str], list[str]]:
    return _map_values("region", values, FREE_TEXT_REGIONS)


def _map_values(
    kind: str, values: Iterable[str], manual: Mapping[str, tuple[str, ...]]
) -> tuple[list[str], list[str]]:
    codes: list[str] = []
    unknown: list[str] = []
    for value in values:
        text = str(value).strip()
        if not text:
            continue
        found = manual.get(text.casefold()) or resolve(kind, text)
        if not found:
            unknown.append(text)
        for code in found:
            if code not in codes:
                codes.append(code)
    return codes, unknown
