"""Find messages in the code that a catalog does not translate.

Run ``python -m tests.i18n_tools`` to list what is missing, per language.
"""

from __future__ import annotations

import string
from pathlib import Path

from babel.messages.extract import extract_from_dir

from bot.core.i18n import SOURCE_LANGUAGE, SUPPORTED_LANGUAGES, _catalog

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("bot", "adapters")
KEYWORDS = {"_": None, "N_": None, "gettext": None}


def code_messages() -> dict[str, str]:
    """msgid → where it is used, for every marked string in the code."""
    found: dict[str, str] = {}
    for folder in SOURCES:
        for filename, lineno, message, _comments, _context in extract_from_dir(
            ROOT / folder,
            method_map=[("**.py", "python")],
            keywords=KEYWORDS,
        ):
            if isinstance(message, str) and message:
                found.setdefault(message, f"{folder}/{filename}:{lineno}")
    return found


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def missing(language: str) -> dict[str, str]:
    catalog = _catalog(language)
    return {
        msgid: where
        for msgid, where in code_messages().items()
        if not catalog.get(msgid)
    }


def wrong_placeholders(language: str) -> dict[str, str]:
    catalog = _catalog(language)
    return {
        msgid: catalog[msgid]
        for msgid in code_messages()
        if msgid in catalog and placeholders(msgid) != placeholders(catalog[msgid])
    }


def _po_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


if __name__ == "__main__":
    for language in SUPPORTED_LANGUAGES:
        if language == SOURCE_LANGUAGE:
            continue
        for msgid, where in missing(language).items():
            print(f"# {language} {where}\nmsgid \"{_po_escape(msgid)}\"\nmsgstr \"\"\n")

