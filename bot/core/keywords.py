"""Words members type, in their language: subcommands, choice keywords, argument names, digits.

The table is data (``bot/data/keywords.toml``), like the taxonomy: a translator adds a word
without touching code. Every word is compared folded (:func:`fold`): case, accents, Arabic
short vowels and tatweel, and ``_``/``-``/space differences do not matter, so "mias", "mías"
and "MÍAS" are one word. English always works, since it is what the code declares.

Digits are made ASCII and words folded by :mod:`bot.core.reading`, the one normalisation of
typed input (arguments, conversation steps, vocabulary lookups).
"""

from __future__ import annotations

import tomllib
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from bot.core.i18n import BOT_DIR, SOURCE_LANGUAGE, SUPPORTED_LANGUAGES
from bot.core.reading import ascii_digits as ascii_digits  # read from here too
from bot.core.reading import fold as fold

KEYWORDS_FILE = BOT_DIR / "data" / "keywords.toml"


class KeywordsError(ValueError):
    """The keywords file is not valid; the message names the entry."""


@dataclass(frozen=True)
class Keywords:
    """The file, checked: ``words[english][language]`` and ``arguments[name][language]``."""

    words: Mapping[str, Mapping[str, tuple[str, ...]]]
    arguments: Mapping[str, Mapping[str, str]]


def load_keywords(text: str | None = None) -> Keywords:
    """Read and check the file (or ``text``); raise :class:`KeywordsError` naming the entry."""
    raw = tomllib.loads(text if text is not None else KEYWORDS_FILE.read_text(encoding="utf-8"))
    if set(raw) - {"words", "arguments"}:
        raise KeywordsError("keywords.toml: only [words] and [arguments] are allowed")
    others = set(SUPPORTED_LANGUAGES) - {SOURCE_LANGUAGE}
    words: dict[str, dict[str, tuple[str, ...]]] = {}
    for word, table in raw.get("words", {}).items():
        if not isinstance(table, dict) or set(table) - others:
            raise KeywordsError(f"keywords.toml: words.{word}: a table of {sorted(others)}")
        for language, found in table.items():
            if not isinstance(found, list) or not all(isinstance(w, str) and w for w in found):
                raise KeywordsError(f"keywords.toml: words.{word}.{language}: a list of words")
        words[word] = {language: tuple(found) for language, found in table.items()}
    arguments: dict[str, dict[str, str]] = {}
    for name, table in raw.get("arguments", {}).items():
        if not isinstance(table, dict) or not all(
            language in others and isinstance(value, str) and value
            for language, value in table.items()
        ):
            raise KeywordsError(f"keywords.toml: arguments.{name}: a table of texts per language")
        arguments[name] = dict(table)
    return Keywords(words, arguments)


@cache
def keywords() -> Keywords:
    return load_keywords()


def spellings(word: str, language: str | None = None) -> tuple[str, ...]:
    """What members may type for the English ``word`` in ``language`` (every language when
    None); the first of a language is the one its readers are shown."""
    table = keywords().words.get(word, {})
    languages = SUPPORTED_LANGUAGES if language is None else (language,)
    found: list[str] = []
    for lang in languages:
        found.extend(table.get(lang, ()) if lang != SOURCE_LANGUAGE else (word,))
    return tuple(dict.fromkeys(found))


def shown(word: str, language: str) -> str:
    """``word`` as a reader of ``language`` is shown it (``all`` → ``todas``)."""
    found = keywords().words.get(word, {}).get(language)
    return found[0] if found else word


@cache
def _meanings() -> dict[str, frozenset[str]]:
    meanings: dict[str, set[str]] = {}
    for word in keywords().words:
        for spelled in (word, *spellings(word)):
            meanings.setdefault(fold(spelled), set()).add(word)
    return {key: frozenset(value) for key, value in meanings.items()}


def meanings(typed: str) -> frozenset[str]:
    """Every English word ``typed`` may stand for, in any language (itself included)."""
    return _meanings().get(fold(typed), frozenset()) | {typed.casefold()}


def key_named(typed: str, keys: Collection[str]) -> str | None:
    """The one English word of ``keys`` that ``typed`` stands for in any language
    (``langue`` → ``lang`` among the ``key=value`` names of a command), else ``None``."""
    found = [key for key in keys if key in meanings(typed) or fold(key) == fold(typed)]
    return found[0] if len(found) == 1 else None


def field_named(typed: str, names: Mapping[str, str]) -> str | None:
    """The field that ``typed`` names in any language, where ``names`` maps each English
    name (and its short forms: ``lang``, ``link``) to its field; ``None`` unless exactly one
    field is meant (``langue`` means ``lang`` and ``language``: both name ``languages``)."""
    exact = names.get(typed.strip().casefold())
    if exact is not None:
        return exact
    meant = meanings(typed)
    found = {field for name, field in names.items() if name in meant}
    return found.pop() if len(found) == 1 else None


def placeholder(name: str, language: str) -> str:
    """The name a usage line shows for the argument ``name`` (``question`` → ``pregunta``)."""
    if language == SOURCE_LANGUAGE:
        return name
    return keywords().arguments.get(name, {}).get(language, name)


class Localized:
    """A value of an error message that depends on the reader's language: the router fills
    it in with :meth:`text` (``str()`` gives English, for logs)."""

    def text(self, language: str) -> str:
        raise NotImplementedError

    def __format__(self, spec: str) -> str:
        return format(self.text(SOURCE_LANGUAGE), spec)

    def __str__(self) -> str:
        return self.text(SOURCE_LANGUAGE)


@dataclass(frozen=True, eq=False)
class ArgumentName(Localized):
    """An argument's name, as the reader's usage line shows it."""

    name: str

    def text(self, language: str) -> str:
        return placeholder(self.name, language)


@dataclass(frozen=True, eq=False)
class WordList(Localized):
    """Keywords a reader may type, joined: ``ouvertes, résolues, miennes, toutes``."""

    words: tuple[str, ...]

    def text(self, language: str) -> str:
        return ", ".join(shown(word, language) for word in self.words)


def localize(values: Mapping[str, Any], language: str) -> dict[str, Any]:
    """``values`` of a message with every :class:`Localized` one written for ``language``."""
    return {k: v.text(language) if isinstance(v, Localized) else v for k, v in values.items()}
