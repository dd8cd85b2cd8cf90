"""Importing resources from JSON Lines, CSV and RSS/Atom: idempotent, row by row.

A url shared by rows with different titles within one file (a listing page rather than the
resource's own address) keys the later rows by url and title, so they stay distinct resources.

Each row is checked on its own (:func:`bot.features.hub.records.clean`); a bad row is reported with
its line number and reason and never stops the others. Rows are upserted by identity key in
batches, each batch one transaction, so a 100k-row file neither holds one giant transaction
nor pays one per row.
"""

from __future__ import annotations

import csv
import html
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.features.hub.records import RecordError, clean
from bot.features.hub.text import fold_phrase

if TYPE_CHECKING:
    from bot.core.ports import UnitOfWorkFactory

BATCH = 500
DEMO_SOURCE = "demo catalogue"
"""The source of the resources the bot imported itself on first start (:mod:`demo`): an
import that brings one of them adopts it and reports it *added*, since nobody added it
before (the demo is the shipped sample under another name)."""
Row = tuple[int, dict[str, Any] | RecordError]
Progress = Callable[[int], None]


@dataclass
class ImportReport:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated)

    def summary(self) -> str:
        return (
            f"added {self.added}, updated {self.updated}, unchanged {self.unchanged}, "
            f"rejected {len(self.rejected)}"
        )


def detect_format(path: Path) -> str:
    """``jsonl``, ``csv`` or ``feed``: from the extension, else from the first character."""
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson", ".json"):
        return "jsonl"
    if suffix in (".csv", ".tsv"):
        return "csv"
    if suffix in (".rss", ".atom", ".xml"):
        return "feed"
    with path.open("r", encoding="utf-8-sig", errors="replace") as handle:
        start = handle.read(200).lstrip()
    if start.startswith("{"):
        return "jsonl"
    return "feed" if start.startswith("<") else "csv"


def read_jsonl(path: Path) -> Iterator[Row]:
    with path.open("r", encoding="utf-8-sig") as handle:
        for number, text in enumerate(handle, start=1):
            if not text.strip():
                continue
            try:
                record = json.loads(text)
            except json.JSONDecodeError as error:
                yield number, RecordError(f"not valid JSON ({error.msg})")
                continue
            if not isinstance(record, dict):
                yield number, RecordError("a line must be a JSON object")
                continue
            yield number, record


def read_csv(path: Path) -> Iterator[Row]:
    """CSV with a header row; list columns (themes, regions, languages) split on ``;``."""
    with path.open("r", encoding="utf-8-sig", newline="") as handle:
        sample = handle.read(4096)
        handle.seek(0)
        delimiter = "\t" if sample.count("\t") > sample.count(",") else ","
        reader = csv.DictReader(handle, delimiter=delimiter)
        for record in reader:
            number = reader.line_num
            if None in record:
                yield number, RecordError("more values than header columns")
                continue
            yield number, {k.strip().lower(): v for k, v in record.items() if k}


_TAG = re.compile(r"<[^>]+>")


def _plain(value: str) -> str:
    return " ".join(html.unescape(_TAG.sub(" ", value)).split())


def read_feed(path: Path) -> Iterator[Row]:
    """RSS or Atom: each entry is a row, numbered from 1 in the order of the feed."""
    return read_feed_bytes(path.read_bytes())


def read_feed_bytes(data: bytes) -> Iterator[Row]:
    import feedparser

    parsed = feedparser.parse(data)
    if parsed.bozo and not parsed.entries:
        yield 0, RecordError(f"not a readable RSS/Atom feed ({parsed.get('bozo_exception')})")
        return
    publisher = _plain(str(parsed.feed.get("title", "")))
    language = str(parsed.feed.get("language", "") or "")[:2]
    for number, entry in enumerate(parsed.entries, start=1):
        when = entry.get("published_parsed") or entry.get("updated_parsed")
        tags = [str(tag.get("term", "")) for tag in entry.get("tags", [])]
        yield (
            number,
            {
                "title": _plain(str(entry.get("title", ""))),
                "url": entry.get("link"),
                "summary": _plain(str(entry.get("summary", "")))[:1000],
                "publisher": _plain(str(entry.get("author", ""))) or publisher,
                "year": when.tm_year if when else None,
                "type": "news",
                "themes": tags,
                "languages": [language] if language else [],
            },
        )


READERS: dict[str, Callable[[Path], Iterator[Row]]] = {
    "jsonl": read_jsonl,
    "csv": read_csv,
    "feed": read_feed,
}


def read_rows(path: Path, fmt: str | None = None) -> Iterator[Row]:
    return READERS[fmt or detect_format(path)](path)


def count_rows(path: Path) -> int:
    """A cheap total for the progress bar (lines; feeds count as one step)."""
    with path.open("rb") as handle:
        return sum(1 for _ in handle)


async def import_rows(
    database: UnitOfWorkFactory,
    rows: Iterable[Row],
    *,
    now: datetime,
    source: str = "",
    progress: Progress | None = None,
) -> ImportReport:
    """Upsert every good row; report the rest. Idempotent: a second run changes nothing."""
    report = ImportReport()
    batch: list[tuple[int, str, dict[str, Any]]] = []
    seen: dict[str, tuple[int, str]] = {}
    last_line = 0
    for number, record in rows:
        last_line = number
        if isinstance(record, RecordError):
            report.rejected.append((number, str(record)))
            continue
        try:
            key, values = clean(record, source=source)
        except RecordError as error:
            report.rejected.append((number, str(error)))
            continue
        title = fold_phrase(values["title"])
        if key in seen:
            first_line, first_title = seen[key]
            if first_title == title:
                report.rejected.append((number, f"duplicate of line {first_line}"))
                continue
            # Two titles behind one url: the url is a listing page, not the resource's own.
            key = f"{key}|{title}"[:600]
            if key in seen:
                report.rejected.append((number, f"duplicate of line {seen[key][0]}"))
                continue
        seen[key] = (number, title)
        batch.append((number, key, values))
        if len(batch) >= BATCH:
            await _upsert(database, batch, report, now)
            batch = []
            if progress:
                progress(number)
    if batch:
        await _upsert(database, batch, report, now)
    if progress:
        progress(last_line)
    return report


async def _upsert(
    database: UnitOfWorkFactory,
    batch: list[tuple[int, str, dict[str, Any]]],
    report: ImportReport,
    now: datetime,
) -> None:
    async with database.unit_of_work() as uow:
        existing = await uow.resources.by_keys([key for _, key, _ in batch])
        for _number, key, values in batch:
            resource = existing.get(key)
            if resource is None:
                existing[key] = await uow.resources.add(dedup_key=key, values=values, now=now)
                report.added += 1
            elif resource.source == DEMO_SOURCE != values["source"]:
                await uow.resources.update(resource, values, now=now, dedup_key=key)
                report.added += 1
            elif await uow.resources.update(resource, values, now=now, dedup_key=key):
                report.updated += 1
            else:
                report.unchanged += 1


async def import_file(
    database: UnitOfWorkFactory,
    path: Path,
    *,
    now: datetime,
    fmt: str | None = None,
    progress: Progress | None = None,
    source: str | None = None,
) -> ImportReport:
    """Import ``path``; each resource records ``source`` (default: the file's name)."""
    return await import_rows(
        database, read_rows(path, fmt), now=now, source=source or path.name, progress=progress
    )
