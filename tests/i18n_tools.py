"""Find messages in the code that a catalog does not translate, or that sit in the wrong file.

Run ``python -m tests.i18n_tools`` to list what is missing, per language, and where each
misplaced message belongs.

A message belongs to the catalog of the package that uses it: ``bot/features/<f>/locales`` for
one feature, ``adapters/<platform>/locales`` for one adapter, ``bot/core/locales`` for the core,
the rest of ``bot/`` (app, delivery) and any message used by several packages. The labels of the
taxonomy file (``bot/data/taxonomy.toml``) are messages too: the shared vocabulary's belong to
the core, the Knowledge Hub's own (types, ``hub_only`` terms) to the hub.

A plural message (``ngettext``, ``Plural``) is keyed by its (singular, plural) pair; it is
translated when every form its language's ``Plural-Forms`` header counts is there.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
import string
import tomllib
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import adapters
from bot.core.i18n import (
    CORE_CATALOGS,
    SOURCE_LANGUAGE,
    SUPPORTED_LANGUAGES,
    load_catalog,
    plural_rule,
)
from bot.core.terms import TAXONOMY_FILE, load_taxonomy

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("bot", "adapters")
KEYWORDS = {
    "_": None,
    "N_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "Plural": (1, 2),
    "UserFacingError": None,
    "UsageError": None,
    "NotFoundError": None,
    "PermissionDeniedError": None,
}

# Every adapter registers its own catalog folder when imported.
for _module in pkgutil.iter_modules(adapters.__path__):
    if _module.ispkg:
        importlib.import_module(f"adapters.{_module.name}")


Msgid = str | tuple[str, str]
"""A plain msgid, or a plural message's (singular, plural)."""

COUNT_PLACEHOLDER = "count"
"""The number of a plural message: a form may leave it out (Arabic "يومان", two days)."""


@cache
def _extracted() -> tuple[tuple[Msgid, str, str], ...]:
    """(msgid, where it is written, the module that uses it) for every message (read once)."""
    return (*_from_code(), *taxonomy_labels())


def _from_code() -> Iterator[tuple[Msgid, str, str]]:
    for folder in SOURCES:
        for path in sorted((ROOT / folder).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            for lineno, message in extract_messages(path.read_text(encoding="utf-8")):
                where = f"{relative}:{lineno}"
                yield message, where, where


def extract_messages(source: str) -> Iterator[tuple[int, Msgid]]:
    """The marked messages of a module, read from its syntax tree.

    Babel's extractor mislabels a call nested in a list or another call inside a marked call
    (``_("… {names}", names=t.format_list([t.ngettext(...)]))`` came out as one broken
    plural), so a message could go unnoticed; the tree cannot be misread that way.
    """
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
        if name not in KEYWORDS:
            continue
        if KEYWORDS[name] == (1, 2):
            texts = [_literal(arg) for arg in node.args[:2]]
            if len(texts) == 2 and texts[0] and texts[1]:
                yield node.lineno, (texts[0], texts[1])
        elif node.args:
            for text in _literals(node.args[0]):
                yield node.lineno, text


def _literal(node: ast.expr) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _literals(node: ast.expr) -> Iterator[str]:
    """The texts an argument can be: ``"a"``, ``x or "a"``, ``"a" if y else "b"``."""
    if isinstance(node, ast.BoolOp):
        for value in node.values:
            yield from _literals(value)
    elif isinstance(node, ast.IfExp):
        yield from _literals(node.body)
        yield from _literals(node.orelse)
    elif text := _literal(node):
        yield text


SHARED_TERM_USERS = ("bot/core/vocab.py", "bot/features/hub/taxonomy.py")
HUB_TERM_USERS = ("bot/features/hub/taxonomy.py",)


def taxonomy_labels() -> Iterator[tuple[str, str, str]]:
    """The taxonomy file's labels, like :func:`_extracted`: each with the modules reading it."""
    lines = TAXONOMY_FILE.read_text(encoding="utf-8").splitlines()
    line_of = {
        tomllib.loads(text)["label"]: number
        for number, text in enumerate(lines, start=1)
        if text.startswith("label = ")
    }
    taxonomy = load_taxonomy()
    for kind in ("roles", "regions", "themes", "types"):
        for term in getattr(taxonomy, kind):
            where = f"bot/data/{TAXONOMY_FILE.name}:{line_of.get(term.label, 0)}"
            users = HUB_TERM_USERS if term.hub_only or kind == "types" else SHARED_TERM_USERS
            for user in users:
                yield term.label, where, user


def code_messages() -> dict[Msgid, str]:
    """msgid → where it is first written, for every marked string in the code and the data."""
    found: dict[Msgid, str] = {}
    for message, where, _user in _extracted():
        found.setdefault(message, where)
    return found


def message_uses() -> dict[Msgid, list[str]]:
    """msgid → every module that uses it."""
    found: dict[Msgid, list[str]] = {}
    for message, _where, user in _extracted():
        found.setdefault(message, []).append(user)
    return found


def catalog_dir_of(where: str) -> Path:
    """The catalog folder of the package holding ``where`` (``bot/features/hub/x.py:3``)."""
    parts = where.split(":")[0].split("/")
    if parts[0] == "adapters" and len(parts) > 2:
        return ROOT / "adapters" / parts[1] / "locales"
    if parts[:2] == ["bot", "features"] and len(parts) > 3:
        return ROOT / "bot" / "features" / parts[2] / "locales"
    return CORE_CATALOGS


def home_of(places: list[str]) -> Path:
    """Where a message used in ``places`` belongs: its one package's folder, else the core's."""
    folders = {catalog_dir_of(where) for where in places}
    return folders.pop() if len(folders) == 1 else CORE_CATALOGS


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def nplurals(language: str) -> int:
    return plural_rule(load_catalog(language).plural_forms)[0]


def translation(language: str, msgid: Msgid) -> str | tuple[str, ...] | None:
    """The translation of ``msgid``: its text, or all its plural forms; None when incomplete."""
    loaded = load_catalog(language)
    if isinstance(msgid, str):
        return loaded.messages.get(msgid) or None
    forms = loaded.plurals.get(msgid)
    return forms if forms and len(forms) == nplurals(language) and all(forms) else None


def missing(language: str) -> dict[Msgid, str]:
    return {
        msgid: where
        for msgid, where in code_messages().items()
        if translation(language, msgid) is None
    }


def wrong_placeholders(language: str) -> dict[Msgid, str | tuple[str, ...]]:
    """Translations whose placeholders differ from the English ones.

    A plural form must keep every placeholder but ``{count}``, and may not invent any.
    """
    wrong: dict[Msgid, str | tuple[str, ...]] = {}
    for msgid in code_messages():
        found = translation(language, msgid)
        if found is None:
            continue
        if isinstance(msgid, str):
            if isinstance(found, str) and placeholders(msgid) != placeholders(found):
                wrong[msgid] = found
            continue
        english = placeholders(msgid[0]) | placeholders(msgid[1])
        needed = english - {COUNT_PLACEHOLDER}
        if any(not needed <= placeholders(form) <= english for form in found):
            wrong[msgid] = found
    return wrong


def misplaced(language: str) -> dict[Msgid, tuple[str, str]]:
    """msgid → (the file that translates it, the file that should) for messages out of place."""
    from babel.messages.pofile import read_po

    from bot.core.i18n import catalog_files

    held: dict[Msgid, Path] = {}
    for path in catalog_files(language):
        with path.open("rb") as handle:
            for message in read_po(handle, locale=language):
                if message.id:
                    held.setdefault(entry_key(message.id), path)
    wrong: dict[Msgid, tuple[str, str]] = {}
    for msgid, places in message_uses().items():
        found = held.get(msgid)
        home = home_of(places) / f"{language}.po"
        if found is not None and found != home:
            wrong[msgid] = (str(found.relative_to(ROOT)), str(home.relative_to(ROOT)))
    return wrong


def translated_forms(paths: list[Path]) -> Iterator[tuple[Path, object, tuple[str, ...]]]:
    """Every translated message of the catalogs at ``paths``: where, its id, and each form a
    reader may see (one, or every plural form): what the wording scans read."""
    from babel.messages.pofile import read_po

    for path in paths:
        with path.open("rb") as handle:
            catalog = read_po(handle)
        for message in catalog:
            if not message.id or not message.string:
                continue
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            yield path, message.id, tuple(str(form) for form in strings)


def entry_key(message_id: object) -> Msgid:
    """A catalog entry's id as the code's key: a plural entry by its (singular, plural)."""
    if isinstance(message_id, (tuple, list)):
        return (str(message_id[0]), str(message_id[1]))
    return str(message_id)


def _po_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def po_entry(msgid: Msgid, translated: str | tuple[str, ...] | None, *, forms: int = 2) -> str:
    """A .po entry for ``msgid`` (``msgstr[i]`` lines for a plural), blank when not translated."""
    if isinstance(msgid, str):
        text = translated if isinstance(translated, str) else ""
        return f'msgid "{_po_escape(msgid)}"\nmsgstr "{_po_escape(text)}"\n'
    strings = translated if isinstance(translated, tuple) else ("",) * forms
    lines = [f'msgid "{_po_escape(msgid[0])}"', f'msgid_plural "{_po_escape(msgid[1])}"']
    lines += [f'msgstr[{i}] "{_po_escape(form)}"' for i, form in enumerate(strings)]
    return "\n".join(lines) + "\n"


def place(sources: list[Path]) -> list[str]:
    """Move every translation in ``sources`` (.po files anywhere, e.g. a branch's new file)
    into the catalog where its message belongs; the sources are deleted. A message the home
    catalog already translates keeps the home's text. Returns what was moved, for a log."""
    from babel.messages.pofile import read_po

    uses = message_uses()
    moved: list[str] = []
    for source in sources:
        with source.open("rb") as handle:
            catalog = read_po(handle)
        language = str(catalog.locale)
        for message in catalog:
            if not message.id or not message.string:
                continue
            msgid = entry_key(message.id)
            string = message.string
            text = tuple(str(f) for f in string) if isinstance(string, tuple) else str(string)
            home = home_of(uses.get(msgid, [])) / f"{language}.po"
            if msgid in _held(home):
                continue
            with home.open("a", encoding="utf-8") as out:
                out.write("\n" + po_entry(msgid, text))
            moved.append(f"{language}: {str(msgid)[:60]!r} -> {home.relative_to(ROOT)}")
        source.unlink()
    return moved


def _held(path: Path) -> set[Msgid]:
    from babel.messages.pofile import read_po

    if not path.exists():
        return set()
    with path.open("rb") as handle:
        return {entry_key(m.id) for m in read_po(handle) if m.id and m.string}


if __name__ == "__main__":
    import sys

    if sys.argv[1:2] == ["--place"]:
        print("\n".join(place([Path(name) for name in sys.argv[2:]])))
        raise SystemExit(0)
    for language in SUPPORTED_LANGUAGES:
        if language == SOURCE_LANGUAGE:
            continue
        for msgid, where in missing(language).items():
            print(f"# {language} {where}\n{po_entry(msgid, None, forms=nplurals(language))}")
        for msgid, (path, home) in misplaced(language).items():
            print(f"# move from {path} to {home}\n{po_entry(msgid, None)}")
        for msgid, found in wrong_placeholders(language).items():
            print(f"# {language} wrong placeholders\n{po_entry(msgid, found)}")
