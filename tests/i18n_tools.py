"""Find messages in the code that a catalog does not translate, or that sit in the wrong file.

Run ``python -m tests.i18n_tools`` to list what is missing, per language, and where each
misplaced message belongs.

A message belongs to the catalog of the package that uses it: ``bot/features/<f>/locales`` for
one feature, ``adapters/<platform>/locales`` for one adapter, ``bot/core/locales`` for the core,
the rest of ``bot/`` (app, delivery, data) and any message used by several packages.
"""

from __future__ import annotations

import importlib
import pkgutil
import string
from collections.abc import Iterator
from pathlib import Path

from babel.messages.extract import extract_from_dir

import adapters
from bot.core.i18n import CORE_CATALOGS, SOURCE_LANGUAGE, SUPPORTED_LANGUAGES, _catalog

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("bot", "adapters")
KEYWORDS = {
    "_": None,
    "N_": None,
    "gettext": None,
    "UserFacingError": None,
    "UsageError": None,
    "NotFoundError": None,
    "PermissionDeniedError": None,
}
METHODS = [("**.py", "python")]

# Every adapter registers its own catalog folder when imported.
for _module in pkgutil.iter_modules(adapters.__path__):
    if _module.ispkg:
        importlib.import_module(f"adapters.{_module.name}")


def _extracted() -> Iterator[tuple[str, str]]:
    """(msgid, "folder/file:line") for every use of a marked string in the code."""
    for folder in SOURCES:
        for filename, lineno, message, _comments, _context in extract_from_dir(
            ROOT / folder, method_map=METHODS, keywords=KEYWORDS
        ):
            if isinstance(message, str) and message:
                yield message, f"{folder}/{filename}:{lineno}"


def code_messages() -> dict[str, str]:
    """msgid → where it is first used, for every marked string in the code."""
    found: dict[str, str] = {}
    for message, where in _extracted():
        found.setdefault(message, where)
    return found


def message_uses() -> dict[str, list[str]]:
    """msgid → every place it is used."""
    found: dict[str, list[str]] = {}
    for message, where in _extracted():
        found.setdefault(message, []).append(where)
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


def missing(language: str) -> dict[str, str]:
    catalog = _catalog(language)
    return {msgid: where for msgid, where in code_messages().items() if not catalog.get(msgid)}


def wrong_placeholders(language: str) -> dict[str, str]:
    catalog = _catalog(language)
    return {
        msgid: catalog[msgid]
        for msgid in code_messages()
        if msgid in catalog and placeholders(msgid) != placeholders(catalog[msgid])
    }


def misplaced(language: str) -> dict[str, tuple[str, str]]:
    """msgid → (the file that translates it, the file that should) for messages out of place."""
    from babel.messages.pofile import read_po

    from bot.core.i18n import catalog_files

    held: dict[str, Path] = {}
    for path in catalog_files(language):
        with path.open("rb") as handle:
            for message in read_po(handle, locale=language):
                if message.id:
                    held.setdefault(str(message.id), path)
    wrong: dict[str, tuple[str, str]] = {}
    for msgid, places in message_uses().items():
        path = held.get(msgid)
        home = home_of(places) / f"{language}.po"
        if path is not None and path != home:
            wrong[msgid] = (str(path.relative_to(ROOT)), str(home.relative_to(ROOT)))
    return wrong


def _po_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


if __name__ == "__main__":
    for language in SUPPORTED_LANGUAGES:
        if language == SOURCE_LANGUAGE:
            continue
        for msgid, where in missing(language).items():
            print(f'# {language} {where}\nmsgid "{_po_escape(msgid)}"\nmsgstr ""\n')
        for msgid, (path, home) in misplaced(language).items():
            print(f'# move from {path} to {home}\nmsgid "{_po_escape(msgid)}"\n')
