"""JSON lists read as text and each distinct text parsed once.

Members share a few dozen language and expertise lists: decoding 60,000 JSON values one by one
in the driver was half of reading 30k profiles. A query selects ``cast(column, Text)`` and
passes each value through one :class:`ListTexts`.
"""

from __future__ import annotations

import json


class ListTexts:
    """Parses JSON list texts, each distinct text once (for the rows of one read)."""

    def __init__(self) -> None:
        self._parsed: dict[str | None, list[str]] = {}

    def __call__(self, text: str | None) -> list[str]:
        found = self._parsed.get(text)
        if found is None:
            found = self._parsed[text] = json.loads(text) if text else []
        return list(found)  # a list of its own: callers may change theirs
