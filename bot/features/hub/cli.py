"""``champions-bot hub import PATH`` and ``champions-bot hub search QUERY``.

Kept apart from ``bot/cli.py``: that module declares the arguments (reading them imports
no feature) and calls :func:`run_hub`, importing this module only for a ``hub`` command.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path
from typing import TextIO

from bot.config import Settings
from bot.core.clock import SystemClock
from bot.core.errors import UserFacingError
from bot.core.i18n import Translator
from bot.features.hub.docs import Filters
from bot.features.hub.importer import ImportReport, count_rows, detect_format, import_file
from bot.features.hub.service import HubService, parse_query
from storage.database import Database

EXIT_USAGE = 2
EXIT_REJECTED = 1


def run_hub(args: argparse.Namespace, settings: Settings) -> int:
    if args.hub_command == "import":
        if not args.path.is_file():
            print(f"No such file: {args.path}", file=sys.stderr)
            return EXIT_USAGE
        return asyncio.run(_import(settings, args.path, args.format))
    if args.hub_command == "sync":
        feeds = tuple(args.feed) or settings.hub.feeds
        if not feeds:
            print("No feeds: set [hub] feeds in the config or pass --feed URL.", file=sys.stderr)
            return EXIT_USAGE
        return asyncio.run(_sync(settings, feeds))
    return asyncio.run(_search(settings, args))


async def _sync(settings: Settings, feeds: tuple[str, ...]) -> int:
    from bot.features.hub.feeds import sync_feeds

    database = Database(settings.storage.url)
    try:
        await database.upgrade()
        results = await sync_feeds(database, feeds, now=SystemClock().now())
    finally:
        await database.dispose()
    failed = False
    for result in results:
        print(result.url)
        if result.report is None:
            failed = True
            print(f"  could not fetch: {result.error}")
            continue
        print("  " + result.report.summary())
        for number, reason in result.report.rejected:
            print(f"  entry {number}: {reason}")
    return EXIT_REJECTED if failed else 0


class ProgressBar:
    """A one-line bar on stderr, drawn only when stderr is a terminal."""

    def __init__(self, total: int, stream: TextIO | None = None) -> None:
        self.total = max(total, 1)
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty() and total > 1000

    def __call__(self, done: int) -> None:
        if not self.enabled:
            return
        share = min(done / self.total, 1.0)
        filled = int(share * 30)
        bar = "#" * filled + "-" * (30 - filled)
        self.stream.write(f"\r[{bar}] {share:4.0%} {done}/{self.total}")
        self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\n")


def print_report(report: ImportReport) -> None:
    print(report.summary())
    for number, reason in report.rejected:
        print(f"  line {number}: {reason}")


async def _import(settings: Settings, path: Path, fmt: str | None) -> int:
    database = Database(settings.storage.url)
    try:
        await database.upgrade()
        chosen = fmt or detect_format(path)
        bar = ProgressBar(count_rows(path) if chosen != "feed" else 0)
        report = await import_file(
            database, path, now=SystemClock().now(), fmt=chosen, progress=bar
        )
        bar.close()
    finally:
        await database.dispose()
    print_report(report)
    return EXIT_REJECTED if report.rejected else 0


async def _search(settings: Settings, args: argparse.Namespace) -> int:
    database = Database(settings.storage.url)
    try:
        await database.upgrade()
        service = HubService()
        query = " ".join(args.query)
        try:
            extra = Filters()
            for key in ("theme", "type", "region", "lang"):
                value = getattr(args, key)
                if value:
                    quoted = value.replace('"', "")
                    chosen = parse_query(f'{key}:"{quoted}"').filters
                    extra = Filters(**{**dict(extra.items()), **dict(chosen.items())})
            async with database.unit_of_work() as uow:
                result = await service.search(uow, query, limit=max(args.limit, 1), extra=extra)
        except UserFacingError as error:
            print(Translator("en").translate(error.message, **error.values), file=sys.stderr)
            return EXIT_USAGE
    finally:
        await database.dispose()
    if args.json:
        rows = [
            {
                "id": hit.doc.id,
                "title": hit.doc.title,
                "url": hit.doc.url,
                "score": hit.score,
                "type": hit.doc.type,
                "year": hit.doc.year,
                "publisher": hit.doc.publisher,
                "themes": list(hit.doc.themes),
            }
            for hit in result.hits
        ]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    for typed, read in result.corrections.items():
        print(f"(read “{typed}” as “{read}”)")
    if not result.hits:
        hint = f" Did you mean: {result.suggestion}?" if result.suggestion else ""
        if result.filtered_out:
            hint = " Some resources match the words, but not the filters."
        print("No resource found." + hint)
    for number, hit in enumerate(result.hits, start=1):
        doc = hit.doc
        print(f"{number}. [{hit.score:.2f}] #{doc.id} {doc.title} ({doc.type}, {doc.year or '-'})")
        if doc.url:
            print(f"   {doc.url}")
    return 0
