"""The hub's query language: ``theme:quotas type:guide`` filters and ``#hashtags`` among words."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.core.errors import UsageError
from bot.core.i18n import Plural
from bot.features.hub import taxonomy
from bot.features.hub.docs import Filters

MAX_QUERY_LENGTH = 300
FILTER_KEYS: dict[str, str] = {
    "theme": "theme", "themes": "theme", "thème": "theme", "theme_": "theme", "tema": "theme",
    "موضوع": "theme",
    "type": "type", "tipo": "type", "نوع": "type",
    "region": "region", "région": "region", "región": "region", "منطقة": "region",
    "lang": "lang", "language": "lang", "langue": "lang", "idioma": "lang", "لغة": "lang",
}  # fmt: skip
_FILTER = re.compile(r"(?<!\S)([^\W\d_]+):(\"[^\"]*\"|'[^']*'|\S+)")
_HASHTAG = re.compile(r"(?<!\S)#([^\W\d][\w\-]*)")
"""``#quotas``, as ``/ask`` taught: a theme filter when it names one, else a searched word."""


def _hashtag(match: re.Match[str]) -> str:
    tag = match.group(1)
    known = taxonomy.resolve("theme", tag.replace("_", " ").replace("-", " "))
    return f"theme:{tag}" if known else tag


@dataclass(frozen=True)
class ParsedQuery:
    text: str
    filters: Filters


def parse_query(raw: str) -> ParsedQuery:
    """Split ``theme:quotas type:guide`` filters from the words; unknown values are refused."""
    if len(raw) > MAX_QUERY_LENGTH:
        raise UsageError(
            Plural(
                "Your search is too long: {count} character, at most {limit}.",
                "Your search is too long: {count} characters, at most {limit}.",
                len(raw),
            ),
            limit=MAX_QUERY_LENGTH,
        )
    raw = _HASHTAG.sub(_hashtag, raw)
    chosen: dict[str, str] = {}
    kept: list[str] = []
    position = 0
    for match in _FILTER.finditer(raw):
        key = FILTER_KEYS.get(match.group(1).casefold())
        if key is None:
            continue
        kept.append(raw[position : match.start()])
        position = match.end()
        codes = taxonomy.resolve_typed(key, match.group(2).strip("\"'"))
        chosen[key] = codes[0]
    kept.append(raw[position:])
    text = " ".join(" ".join(kept).split())
    return ParsedQuery(text, Filters(**chosen))
