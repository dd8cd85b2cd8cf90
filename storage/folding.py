"""The form in which names are compared: the same on SQLite and PostgreSQL, whatever their
collations, because it is computed here and stored (``members.search_key``)."""

from __future__ import annotations

import re
import unicodedata

_ARABIC_LETTERS = str.maketrans({"ى": "ي", "ة": "ه", "ـ": None})
_APOSTROPHES = re.compile(r"['’ʼ]")
_SEPARATORS = re.compile(r"[\s,\-]+")
"""Not ``_`` or ``.``: in a name they are letters like any other (``a_b`` is not ``a b``)."""


def fold_name(text: str) -> str:
    """``text`` without accents, case, Arabic letter variants or doubled separators
    (``Lucía Gómez`` → ``lucia gomez``, ``Jean-Luc`` → ``jean luc``, ``أمينة`` → ``امينه``)."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    bare = _APOSTROPHES.sub("", bare.casefold().translate(_ARABIC_LETTERS))
    return _SEPARATORS.sub(" ", bare).strip()
