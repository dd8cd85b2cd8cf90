"""The taxonomy file: codes, English labels and synonyms, read from ``bot/data/taxonomy.toml``.

Data is kept out of code so that adding a synonym or a theme is an edit of one file that a
non-programmer can review. The file is checked as it is read: a mistake stops start-up with a
message naming the entry (``themes[3] 'legal_quotas': synonyms.fr must be a list of texts``),
instead of a theme silently never matching.

A label is a msgid: its translations live only in the catalogs, and :meth:`Term.phrases` adds
each translated label to the synonyms, so what a member reads is what they can type back.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.core.i18n import BOT_DIR, SUPPORTED_LANGUAGES, translations

TAXONOMY_FILE = BOT_DIR / "data" / "taxonomy.toml"
KINDS = ("roles", "regions", "themes", "types")
"""The lists of terms the file holds, each a TOML array of tables (``[[themes]]``)."""

_CODE = re.compile(r"[a-z][a-z0-9_]*")
_FIELDS: dict[str, frozenset[str]] = {
    "roles": frozenset({"code", "label", "synonyms"}),
    "regions": frozenset({"code", "label", "hub_only", "countries", "synonyms"}),
    "themes": frozenset({"code", "label", "hub_only", "synonyms"}),
    "types": frozenset({"code", "label", "synonyms"}),
}
_TOP_LEVEL = frozenset({"resource_languages", "import", *KINDS})


class TaxonomyError(ValueError):
    """The taxonomy file is not valid; the message names the file and the entry."""


@dataclass(frozen=True)
class Term:
    """One entry: a code (stored), an English label (a msgid) and what people type for it."""

    code: str
    label: str
    synonyms: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    hub_only: bool = False
    """A Knowledge Hub subject that members do not pick for their profile or their questions."""
    countries: tuple[str, ...] = ()
    """For a region: the ISO codes of its countries."""

    def phrases(self, language: str | None = None) -> tuple[str, ...]:
        """The label as ``language`` reads it, then the synonyms (every language when None)."""
        languages = SUPPORTED_LANGUAGES if language is None else (language,)
        found: list[str] = []
        for lang in languages:
            found.append(translations(self.label).get(lang, self.label))
            found.extend(self.synonyms.get(lang, ()))
        return tuple(dict.fromkeys(found))


@dataclass(frozen=True)
class Taxonomy:
    """Everything the file holds, checked."""

    roles: tuple[Term, ...]
    regions: tuple[Term, ...]
    themes: tuple[Term, ...]
    types: tuple[Term, ...]
    resource_languages: tuple[str, ...]
    imported: Mapping[str, Mapping[str, tuple[str, ...]]]
    """``import.themes`` / ``import.regions``: free text of imported catalogues → codes."""


def load_taxonomy(path: Path = TAXONOMY_FILE) -> Taxonomy:
    """Read and check the taxonomy file; raise :class:`TaxonomyError` naming the bad entry."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise TaxonomyError(f"{path}: {error}") from None
    return _Checker(path.name).taxonomy(raw)


class _Checker:
    """Turns the parsed TOML into terms, failing on the first problem with its place."""

    def __init__(self, name: str) -> None:
        self.name = name

    def fail(self, where: str, problem: str) -> TaxonomyError:
        return TaxonomyError(f"{self.name}: {where}: {problem}")

    def taxonomy(self, raw: dict[str, Any]) -> Taxonomy:
        unknown = sorted(set(raw) - _TOP_LEVEL)
        if unknown:
            raise self.fail(unknown[0], f"unknown key; allowed: {', '.join(sorted(_TOP_LEVEL))}")
        terms = {kind: self.terms(kind, raw.get(kind)) for kind in KINDS}
        return Taxonomy(
            roles=terms["roles"],
            regions=terms["regions"],
            themes=terms["themes"],
            types=terms["types"],
            resource_languages=self.languages(raw.get("resource_languages", [])),
            imported=self.imported(raw.get("import", {}), terms),
        )

    def terms(self, kind: str, entries: Any) -> tuple[Term, ...]:
        if not isinstance(entries, list) or not entries:
            raise self.fail(kind, f"missing: write at least one [[{kind}]] entry")
        found: list[Term] = []
        for index, entry in enumerate(entries):
            term = self.term(kind, index, entry)
            for other in found:
                if term.code == other.code or term.label == other.label:
                    raise self.fail(_entry(kind, index, entry), "code or label used twice")
            found.append(term)
        if kind == "regions":
            self.check_countries(found)
        return tuple(found)

    def term(self, kind: str, index: int, entry: Any) -> Term:
        where = _entry(kind, index, entry)
        if not isinstance(entry, dict):
            raise self.fail(where, "must be a table")
        unknown = sorted(set(entry) - _FIELDS[kind])
        if unknown:
            allowed = ", ".join(sorted(_FIELDS[kind]))
            raise self.fail(where, f"unknown key {unknown[0]!r}; allowed: {allowed}")
        code, label = entry.get("code"), entry.get("label")
        if not isinstance(code, str) or not _CODE.fullmatch(code):
            raise self.fail(where, "code must be lowercase letters, digits and _")
        if not isinstance(label, str) or not label.strip():
            raise self.fail(where, "label must be a text (the English label)")
        hub_only = entry.get("hub_only", False)
        if not isinstance(hub_only, bool):
            raise self.fail(where, "hub_only must be true or false")
        countries = self.texts(where, "countries", entry.get("countries", []))
        if any(not re.fullmatch(r"[A-Z]{2}", country) for country in countries):
            raise self.fail(where, "countries must be two-letter ISO codes like TN")
        synonyms = self.synonyms(where, entry.get("synonyms", {}))
        return Term(code, label, synonyms, hub_only, countries)

    def synonyms(self, where: str, table: Any) -> dict[str, tuple[str, ...]]:
        if not isinstance(table, dict):
            raise self.fail(where, "synonyms must be a table of languages")
        unknown = sorted(set(table) - set(SUPPORTED_LANGUAGES))
        if unknown:
            languages = ", ".join(SUPPORTED_LANGUAGES)
            raise self.fail(where, f"synonyms.{unknown[0]}: not a language ({languages})")
        return {lang: self.texts(where, f"synonyms.{lang}", words) for lang, words in table.items()}

    def texts(self, where: str, key: str, value: Any) -> tuple[str, ...]:
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise self.fail(where, f"{key} must be a list of texts")
        return tuple(value)

    def check_countries(self, regions: list[Term]) -> None:
        seen: dict[str, str] = {}
        for region in regions:
            for country in region.countries:
                other = seen.setdefault(country, region.code)
                if other != region.code:
                    raise self.fail(
                        f"regions {region.code!r}", f"{country} is already in {other!r}"
                    )

    def languages(self, value: Any) -> tuple[str, ...]:
        codes = self.texts("resource_languages", "resource_languages", value)
        if any(not re.fullmatch(r"[a-z]{2}", code) for code in codes):
            raise self.fail("resource_languages", "codes must be ISO 639-1, like pt")
        return codes

    def imported(
        self, table: Any, terms: dict[str, tuple[Term, ...]]
    ) -> dict[str, dict[str, tuple[str, ...]]]:
        if not isinstance(table, dict) or set(table) - {"themes", "regions"}:
            raise self.fail("import", "must hold only [import.themes] and [import.regions]")
        mapped: dict[str, dict[str, tuple[str, ...]]] = {}
        for kind, phrases in table.items():
            if not isinstance(phrases, dict):
                raise self.fail(f"import.{kind}", "must be a table of text = [codes]")
            known = {term.code for term in terms[kind]}
            mapped[kind] = {}
            for phrase, codes in phrases.items():
                where = f"import.{kind} {phrase!r}"
                found = self.texts(where, "value", codes)
                strangers = [code for code in found if code not in known]
                if strangers:
                    raise self.fail(where, f"{strangers[0]!r} is not a code of {kind}")
                mapped[kind][phrase.casefold()] = found
        return mapped


def _entry(kind: str, index: int, entry: Any) -> str:
    """``themes[3] 'legal_quotas'``: the entry's place and, when it has one, its code."""
    code = entry.get("code") if isinstance(entry, dict) else None
    return f"{kind}[{index}] {code!r}" if isinstance(code, str) else f"{kind}[{index}]"
