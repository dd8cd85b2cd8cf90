"""What a search works on and returns: plain records, importable without numpy.

Kept apart from :mod:`bot.features.hub.index` so that importing the bot (or a command that only
names these types) does not load numpy and rapidfuzz; the index is imported on first use.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple


class Doc(NamedTuple):
    """What the index keeps of a resource (enough to render a card without the database).

    A named tuple, not a dataclass: 100k of them load from a persisted index several times
    faster and take less memory."""

    id: int
    title: str
    summary: str
    url: str | None
    type: str
    themes: tuple[str, ...]
    regions: tuple[str, ...]
    languages: tuple[str, ...]
    publisher: str
    year: int | None


@dataclass(frozen=True)
class Filters:
    theme: str | None = None
    type: str | None = None
    region: str | None = None
    lang: str | None = None

    def items(self) -> list[tuple[str, str]]:
        return [(k, v) for k, v in vars(self).items() if v]


@dataclass
class Hit:
    doc: Doc
    score: float


@dataclass
class Result:
    hits: list[Hit]
    total: int
    corrections: dict[str, str] = field(default_factory=dict)
    """Typed word → the indexed word it was read as (typo tolerance)."""
    suggestion: str | None = None
    """A "did you mean" query when nothing matched."""
    filtered_out: bool = False
    """The words matched resources, but none passes the filters."""
