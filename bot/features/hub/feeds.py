"""Configured RSS/Atom feeds, fetched and imported as resources (idempotently).

``sync_feeds`` is what a scheduler calls every ``hub.feed_sync_hours`` and what
``champions-bot hub sync`` runs once. A feed that cannot be fetched or read is reported and
the other feeds are still synced.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

import aiohttp

from bot.config import HubConfig
from bot.features.hub.importer import ImportReport, import_rows, read_feed_bytes
from bot.features.hub.service import HubService

if TYPE_CHECKING:
    from bot.core.ports import Ports, UnitOfWorkFactory

log = logging.getLogger(__name__)
TIMEOUT_SECONDS = 30
MAX_FEED_BYTES = 10 * 1024 * 1024


@dataclass
class FeedResult:
    url: str
    report: ImportReport | None = None
    error: str | None = None


async def fetch(session: aiohttp.ClientSession, url: str) -> bytes:
    async with session.get(url, timeout=aiohttp.ClientTimeout(total=TIMEOUT_SECONDS)) as reply:
        reply.raise_for_status()
        data = await reply.content.read(MAX_FEED_BYTES + 1)
    if len(data) > MAX_FEED_BYTES:
        raise ValueError(f"feed larger than {MAX_FEED_BYTES} bytes")
    return data


async def sync_feeds(
    database: UnitOfWorkFactory, urls: tuple[str, ...], *, now: datetime
) -> list[FeedResult]:
    """Fetch and import every feed; one failing feed never stops the others."""
    results: list[FeedResult] = []
    async with aiohttp.ClientSession() as session:
        for url in urls:
            try:
                data = await fetch(session, url)
            except (aiohttp.ClientError, TimeoutError, ValueError) as error:
                log.warning("feed %s could not be fetched: %s", url, error)
                results.append(FeedResult(url, error=str(error) or type(error).__name__))
                continue
            report = await import_rows(database, read_feed_bytes(data), now=now, source=url[:300])
            results.append(FeedResult(url, report=report))
    return results


async def feed_sync_job(ports: Ports) -> list[FeedResult]:
    """The periodic job: sync ``[hub] feeds``; the scheduler runs it every feed_sync_hours."""
    feeds = ports.services[HubConfig].feeds
    if not feeds:
        return []
    results = await sync_feeds(ports, feeds, now=ports.clock.now())
    if any(r.report and r.report.changed for r in results):
        ports.services[HubService].invalidate()
    return results
