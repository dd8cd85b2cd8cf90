"""Claiming: one dispatcher pass keeps per-platform workers fed with claimed rows.

Rows are claimed atomically in batches (``storage.repositories.outbox.claim_due``), so two
dispatchers never send the same row; a single claimer refills the queues ahead of need, so
sending never pauses at a batch boundary. On a graceful stop the rows claimed but never
started are given back at once.
"""

from __future__ import annotations

import asyncio
from collections import deque
from datetime import datetime
from typing import TYPE_CHECKING

from bot.delivery.report import DispatchReport
from storage.models import OutboxMessage

if TYPE_CHECKING:
    from bot.delivery.dispatcher import Dispatcher


class DispatchPass:
    """One pass: ``concurrency`` workers per platform pull claimed rows from their queue."""

    def __init__(
        self, dispatcher: Dispatcher, now: datetime, platforms: list[str], report: DispatchReport
    ) -> None:
        self.d = dispatcher
        self.now = now
        self.platforms = platforms
        self.report = report
        self.queues: dict[str, deque[OutboxMessage]] = {p: deque() for p in platforms}
        self.claimed: list[OutboxMessage] = []
        self.started: set[int] = set()
        self.exhausted = False
        self._refill: asyncio.Task[None] | None = None

    async def run(self) -> None:
        workers = [
            asyncio.ensure_future(self._worker(platform))
            for platform in self.platforms
            for _ in range(self.d.concurrency)
        ]
        try:
            await asyncio.gather(*workers)
        except asyncio.CancelledError:
            # A graceful stop: sends in flight finish and are recorded (the workers wait for
            # them, up to stop_timeout); rows never attempted go back to pending at once. A
            # send still hanging after the timeout stays 'sending' for stale recovery.
            _done, hanging = await asyncio.wait(workers, timeout=self.d.stop_timeout)
            for worker in hanging:
                worker.cancel()
            if self._refill is not None:
                await asyncio.wait([self._refill])
            await self.d.release([r.id for r in self.claimed if r.id not in self.started])
            raise

    def _queued(self) -> int:
        return sum(len(queue) for queue in self.queues.values())

    async def _claim(self) -> None:
        async with self.d.app.database.unit_of_work() as uow:
            rows = await uow.outbox.claim_due(
                limit=self.d.batch_size,
                worker_id=self.d.worker_id,
                now=self.now,
                platforms=self.platforms,
                claimed_at=self.d.app.clock.now(),
            )
        self.claimed.extend(rows)
        for row in rows:
            self.queues[row.platform].append(row)
        if not rows:
            self.exhausted = True

    def _start_refill(self) -> asyncio.Task[None]:
        if self._refill is None or self._refill.done():
            self._refill = asyncio.ensure_future(self._claim())
        return self._refill

    async def _next(self, platform: str) -> OutboxMessage | None:
        queue = self.queues[platform]
        while True:
            if queue:
                if not self.exhausted and self._queued() <= self.d.batch_size // 2:
                    self._start_refill()
                return queue.popleft()
            if self.exhausted:
                return None
            await asyncio.shield(self._start_refill())

    async def _worker(self, platform: str) -> None:
        while (row := await self._next(platform)) is not None:
            await self.d.pacing.bucket(platform).acquire()
            self.started.add(row.id)
            attempt = asyncio.ensure_future(self.d.sender.attempt(row, self.report))
            try:
                await asyncio.shield(attempt)
            except asyncio.CancelledError:
                await attempt
                raise
