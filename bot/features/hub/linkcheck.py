"""The periodic link check: dead links of the catalogue become flags for the curators.

Each sweep checks at most ``[hub] link_check_per_run`` links (0: the check is off), the ones
never checked first, then those due again, ``link_check_concurrency`` at a time, each within
``link_check_timeout_seconds``. A link is asked with HEAD (cheap), and with GET when HEAD is
refused or fails (many servers answer HEAD with 403, 405 or 501, or not at all); redirects are
followed. A good answer schedules the next check in ``link_check_days``; a failure retries the
next day, and is flagged after :data:`FAILURES_TO_FLAG` failures in a row (at once for 404 and
410, which say the page is gone). The network is used outside any transaction; the results are
written in one.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

import aiohttp

from bot.config import HubConfig
from bot.core.ports import Ports
from storage.statuses import FlagReason
from storage.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)

FAILURES_TO_FLAG = 2
GONE = (404, 410)
RETRY_AFTER = timedelta(days=1)
USER_AGENT = "ChampionsBot-LinkCheck/1.0 (+https://genderhub.example)"


@dataclass(frozen=True)
class LinkStatus:
    """What one check saw: ``status`` is the last HTTP status (None: no answer)."""

    url: str
    ok: bool
    status: int | None
    error: str = ""

    @property
    def detail(self) -> str:
        return f"HTTP {self.status}" if self.status is not None else self.error or "no answer"


async def check_url(session: aiohttp.ClientSession, url: str, timeout_seconds: float) -> LinkStatus:
    """HEAD, then GET if HEAD did not say the link works."""
    limit = aiohttp.ClientTimeout(total=timeout_seconds)
    status: int | None = None
    error = ""
    for method in ("HEAD", "GET"):
        try:
            async with session.request(
                method, url, allow_redirects=True, timeout=limit, max_redirects=10
            ) as response:
                status = response.status
                if status < 400:
                    return LinkStatus(url, True, status)
        except TimeoutError:
            status, error = None, "timeout"
        except aiohttp.TooManyRedirects:
            status, error = None, "too many redirects"
        except (aiohttp.ClientError, ValueError) as failure:
            status, error = None, type(failure).__name__
    return LinkStatus(url, False, status, error)


async def check_urls(
    urls: list[str], *, concurrency: int, timeout_seconds: float
) -> list[LinkStatus]:
    """Check ``urls`` with at most ``concurrency`` requests in flight."""
    gate = asyncio.Semaphore(max(1, concurrency))
    headers = {"User-Agent": USER_AGENT}
    connector = aiohttp.TCPConnector(limit=max(1, concurrency))
    async with aiohttp.ClientSession(headers=headers, connector=connector) as session:

        async def one(url: str) -> LinkStatus:
            async with gate:
                return await check_url(session, url, timeout_seconds)

        return list(await asyncio.gather(*(one(url) for url in urls)))


async def record(
    uow: UnitOfWork, resource_id: int, seen: LinkStatus, now: datetime, every: timedelta
) -> bool:
    """Remember one result; True when it opened a flag."""
    health = await uow.curation.health(resource_id)
    health.checked_at = now
    health.http_status = seen.status
    if seen.ok:
        health.failures = 0
        health.next_check_at = now + every
        return False
    health.failures += 1
    health.next_check_at = now + RETRY_AFTER
    if health.failures < FAILURES_TO_FLAG and seen.status not in GONE:
        return False
    _flag, new = await uow.curation.flag(resource_id, None, FlagReason.DEAD, now, seen.detail)
    return new


async def check_links(
    ports: Ports,
    now: datetime,
    *,
    limit: int,
    concurrency: int,
    timeout_seconds: float,
    every: timedelta,
) -> list[LinkStatus]:
    """One bounded run: pick the due links, check them, record the results."""
    if limit <= 0:
        return []
    async with ports.unit_of_work() as uow:
        due = await uow.curation.due_for_check(now, limit)
    if not due:
        return []
    seen = await check_urls(
        [url for _id, url in due], concurrency=concurrency, timeout_seconds=timeout_seconds
    )
    async with ports.unit_of_work() as uow:
        for (resource_id, _url), status in zip(due, seen, strict=True):
            if await uow.resources.get(resource_id) is not None:  # not removed meanwhile
                await record(uow, resource_id, status, now, every)
    log.info("link check: %d links, %d dead", len(seen), sum(not s.ok for s in seen))
    return seen


async def link_check_job(ports: Ports, now: datetime) -> int:
    """The periodic job (registered by the hub feature): the configured bounded run."""
    config = ports.services[HubConfig]
    seen = await check_links(
        ports,
        now,
        limit=config.link_check_per_run,
        concurrency=config.link_check_concurrency,
        timeout_seconds=config.link_check_timeout_seconds,
        every=timedelta(days=config.link_check_days),
    )
    return len(seen)
