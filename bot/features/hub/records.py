"""Turning a raw record (an import row, an admin's fields) into clean resource values.

One function checks every source the same way, so a CSV row, a feed entry and
``/resource add`` meet the same rules and the same identity key.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

from bot.core.sanitize import clean_name, clean_text
from bot.features.hub import taxonomy
from bot.features.hub.text import fold_phrase

if TYPE_CHECKING:
    from bot.features.hub.docs import Doc

MAX_TITLE = 500
MAX_SUMMARY = 4000
MAX_URL = 1000
MAX_PUBLISHER = 300
DEFAULT_TYPE = "publication"
_TYPE_ALIASES = {"policy": "policy_document", "course": "online_course", "report": "publication"}


class RecordError(ValueError):
    """A record that cannot become a resource; the message says why (English, for reports)."""


def normalize_url(url: str) -> str:
    """The url as an identity: scheme-less, lowercase host, no trailing slash or fragment."""
    parts = urlsplit(url.strip())
    path = parts.path.rstrip("/")
    host = parts.netloc.lower().removeprefix("www.")
    return urlunsplit(("", host, path, parts.query, "")).lstrip("/")


def dedup_key(url: str | None, title: str, publisher: str) -> str:
    """Unique by url when present, else by normalized title and publisher."""
    if url:
        return "url:" + normalize_url(url)[:590]
    return ("tp:" + fold_phrase(title) + "|" + fold_phrase(publisher))[:600]


def _list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [part.strip() for part in re.split(r"[;,|]", value) if part.strip()]
    if isinstance(value, list | tuple):
        return [str(item).strip() for item in value if str(item).strip()]
    raise RecordError(f"expected a list, got {type(value).__name__}")


def _text(record: Mapping[str, Any], name: str, limit: int) -> str:
    value = record.get(name)
    if value is None:
        return ""
    # Imports (files, feeds) never passed through a request: clean them here, a title as a name.
    raw = str(value)
    text = clean_name(raw) if name == "title" else " ".join(clean_text(raw).split())
    if len(text) > limit:
        raise RecordError(f"{name} is longer than {limit} characters")
    return text


def _year(value: Any) -> int | None:
    if value is None or value == "":
        return None
    try:
        year = int(str(value).strip()[:4])
    except ValueError:
        raise RecordError(f"year {value!r} is not a number") from None
    if not 1900 <= year <= 2100:
        raise RecordError(f"year {year} is out of range")
    return year


def _url(value: Any) -> str | None:
    if value is None or str(value).strip() in ("", "null", "None"):
        return None
    url = clean_text(str(value)).strip()
    if len(url) > MAX_URL:
        raise RecordError(f"url is longer than {MAX_URL} characters")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise RecordError(f"url {url!r} is not an http(s) address")
    return url


def _type(value: Any) -> str:
    raw = str(value or "").strip()
    if not raw:
        return DEFAULT_TYPE
    folded = raw.casefold().replace(" ", "_").replace("-", "_")
    folded = _TYPE_ALIASES.get(folded, folded)
    if taxonomy.term("type", folded):
        return folded
    codes = taxonomy.resolve("type", raw)
    if codes:
        return codes[0]
    raise RecordError(f"unknown type {raw!r}")


def _languages(value: Any) -> list[str]:
    codes: list[str] = []
    for item in _list(value):
        found = taxonomy.resolve("lang", item)
        code = found[0] if found else item.casefold()[:2]
        if not re.fullmatch(r"[a-z]{2}", code):
            raise RecordError(f"unknown language {item!r}")
        if code not in codes:
            codes.append(code)
    return codes


def clean(record: Mapping[str, Any], *, source: str = "") -> tuple[str, dict[str, Any]]:
    """Validate ``record``; returns its identity key and the values to store.

    Free-text themes and regions are mapped to taxonomy codes; a theme nobody mapped is kept
    out of the codes (it would match nothing) but its words stay searchable in the summary's
    neighbourhood through the title and summary fields.
    """
    title = _text(record, "title", MAX_TITLE)
    if not title:
        raise RecordError("title is missing")
    publisher = _text(record, "publisher", MAX_PUBLISHER)
    url = _url(record.get("url") or record.get("link"))
    themes, _unknown = taxonomy.theme_codes(_list(record.get("themes")))
    regions, unknown_regions = taxonomy.region_codes(_list(record.get("regions")))
    if unknown_regions:
        raise RecordError(f"unknown region {unknown_regions[0]!r}")
    values: dict[str, Any] = {
        "title": title,
        "summary": _text(record, "summary", MAX_SUMMARY),
        "url": url,
        "type": _type(record.get("type")),
        "themes": themes,
        "regions": regions,
        "languages": _languages(record.get("languages", record.get("language"))),
        "publisher": publisher,
        "year": _year(record.get("year")),
        "source": str(record.get("source") or source)[:300],
    }
    return dedup_key(url, title, publisher), values


def docs_from_jsonl(path: Path) -> list[Doc]:
    """Index documents straight from a JSON Lines catalogue, numbered by line (no database):
    for benchmarks and tests of the ranking."""
    from bot.features.hub.docs import Doc

    docs = []
    for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        _key, v = clean(json.loads(text))
        docs.append(
            Doc(
                number, v["title"], v["summary"], v["url"], v["type"], tuple(v["themes"]),
                tuple(v["regions"]), tuple(v["languages"]), v["publisher"], v["year"],
            )
        )  # fmt: skip
    return docs
