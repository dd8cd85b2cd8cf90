"""How a hub resource becomes searchable text: its fields and their terms.

The index (:mod:`bot.features.hub.index`) weighs and scores these fields; this module only
says what each field holds. Theme labels are expanded into all four languages, which is what
lets a Spanish query find a resource catalogued in English.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from bot.core.i18n import SUPPORTED_LANGUAGES
from bot.features.hub import taxonomy
from bot.features.hub.docs import Doc
from bot.features.hub.text import terms

FIELD_WEIGHTS = {"title": 3.0, "summary": 1.5, "themes": 1.0, "meta": 0.5}
"""BM25F field weights: a word in the title counts more than in the summary, and so on."""

_theme_cache: dict[tuple[str, ...], list[str]] = {}
"""Theme terms per set of theme codes: thousands of resources share a handful of sets."""


def doc_language(doc: Doc) -> str:
    """The language a resource's words are stemmed in (its first supported one, else English)."""
    for language in doc.languages:
        if language in SUPPORTED_LANGUAGES:
            return language
    return "en"


def theme_terms(codes: Iterable[str]) -> list[str]:
    """The stems of every label and synonym of ``codes``, in all four languages."""
    found: set[str] = set()
    for code in codes:
        item = taxonomy.term("theme", code)
        if item is None:
            continue
        for language in SUPPORTED_LANGUAGES:
            for phrase in item.phrases(language):
                found.update(terms(phrase, language))
    return sorted(found)


def meta_terms(doc: Doc) -> list[str]:
    """Publisher, type and region words (English labels: they are codes more than prose)."""
    parts = [doc.publisher]
    for kind, codes in (("type", (doc.type,)), ("region", doc.regions)):
        for code in codes:
            item = taxonomy.term(kind, code)
            if item is not None:
                parts.extend(item.phrases("en"))
    return terms(" ".join(parts), "en")


def doc_fields(doc: Doc) -> dict[str, Counter[str]]:
    """The term counts of each field of ``doc``, keyed like :data:`FIELD_WEIGHTS`."""
    language = doc_language(doc)
    themes_key = tuple(sorted(doc.themes))
    if themes_key not in _theme_cache:
        _theme_cache[themes_key] = theme_terms(themes_key)
    return {
        "title": Counter(terms(doc.title, language)),
        "summary": Counter(terms(doc.summary, language)),
        "themes": Counter(_theme_cache[themes_key]),
        "meta": Counter(meta_terms(doc)),
    }
