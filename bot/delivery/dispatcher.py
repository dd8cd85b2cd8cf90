"""The dispatcher: claims due outbox rows and sends them through each platform's messenger.

:meth:`Dispatcher.run_due` does one pass and is what tests call with a manual clock.
:class:`DispatchScheduler` (:mod:`bot.delivery.scheduler`) runs it in production: APScheduler
wakes it at the next due time (re-armed whenever rows are enqueued), when a dead dispatcher's
lease runs out, and on a periodic sweep as a fallback.

A pass is made of parts with one job each: :mod:`~bot.delivery.lease` (this process's claims
live while it renews them), :mod:`~bot.delivery.claiming` (claim rows and feed the workers,
chat by chat), :mod:`~bot.delivery.pacing` (per-platform rate), :mod:`~bot.delivery.sending`
(one row through its messenger, or not when the chat may hold it already) and
:mod:`~bot.delivery.recording` (sent, retried, failed, unconfirmed).

Delivery guarantees (docs/delivery.md explains them): a row is claimed atomically before it is
sent, so two dispatchers never send the same row; the messages of one chat leave in order, one
at a time; each send is recorded right after the platform accepted it; a graceful stop
finishes the sends in flight and gives back the rest; the rows of a crashed process are taken
over when its lease runs out (``lease_seconds``, 15 s); a send that may have arrived is
repeated, looked for or left according to its kind and platform.
"""

from __future__ import annotations

import asyncio
import logging
import os
import uuid
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from bot.config import RemindersConfig
from bot.delivery.claiming import DispatchPass
from bot.delivery.lease import Lease, LeaseLostError
from bot.delivery.pacing import Pacing
from bot.delivery.priority import EARLY_KINDS, TIMED
from bot.delivery.recording import Outcomes
from bot.delivery.report import DispatchReport
from bot.delivery.scheduler import DispatchScheduler
from bot.delivery.sending import RowSender

if TYPE_CHECKING:
    from bot.delivery.ports import DeliveryPorts

__all__ = ["GRACE_KINDS", "DispatchReport", "DispatchScheduler", "Dispatcher"]

log = logging.getLogger(__name__)

TAKEOVER_MARGIN = timedelta(seconds=0.5)
"""A wake-up for a lease that runs out comes this much after it, so the claims are free then."""

EARLY_MARGIN = 1.25
"""An early window is this much longer than the sends alone take at the platform's rate."""

EARLY_AT_LEAST = 1.0
"""Seconds: a window shorter than this is not worth leaving early for (a few reminders leave
at their due time)."""

GRACE_KINDS = ("reminder",)
"""Kinds that are useless late: after downtime beyond the grace window they are recorded as
missed (and shown to admins). Relayed answers, notices and announcements are sent late."""


class Dispatcher:
    """Sends what is due. One per process; several processes may share one database."""

    def __init__(
        self,
        app: DeliveryPorts,
        *,
        worker_id: str | None = None,
        batch_size: int | None = None,
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
        stop_timeout: float = 10.0,
    ) -> None:
        self.app = app
        self.stop_timeout = stop_timeout
        config = self.reminders = app.services[RemindersConfig]
        self.worker_id = worker_id or f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self.concurrency = config.concurrency
        self.batch_size = batch_size or max(self.concurrency * 4, 16)
        self.grace = timedelta(minutes=config.grace_minutes)
        self.stale = timedelta(minutes=config.stale_minutes)
        self.lease_time = timedelta(seconds=config.lease_seconds)
        self.lease = Lease(app, self.worker_id, config.lease_seconds)
        self.early_max = timedelta(minutes=config.early_max_minutes)
        database = app.database
        shared = config.shared_pacing and database.dialect == "postgresql"
        self.pacing = Pacing(
            config.send_rates,
            sleep=sleep,
            chat_limits=config.chat_limits,
            database=database if shared else None,
        )
        outcomes = Outcomes(app, max_attempts=config.max_attempts, worker_id=self.worker_id)
        self.sender = RowSender(app, self.pacing, outcomes, longest_chat_pause=config.lease_seconds)
        self._pass: DispatchPass | None = None
        self._lock = asyncio.Lock()
        self.observers: list[Callable[[DispatchReport], None]] = []
        """Told of each finished pass (metrics, readiness): the one hook for watching sends."""

    @property
    def platforms(self) -> list[str]:
        """Only rows for platforms this process can send to are claimed here."""
        return [platform.value for platform in self.app.messengers]

    async def next_due_at(self) -> datetime | None:
        """When a pass has something to do next: the earliest chat that can go on, or the
        moment a silent dispatcher's claims may be taken over (None when nothing waits)."""
        early = await self.early_windows(self.app.clock.now())
        async with self.app.database.unit_of_work() as uow:
            due = await uow.outbox.next_due_at(self.platforms, early=early, early_kinds=EARLY_KINDS)
            heartbeat = await uow.leases.oldest_holding_heartbeat()
            unleased = await uow.outbox.oldest_unleased_claim()
        moments = [due]
        if heartbeat is not None:
            moments.append(heartbeat + self.lease_time + TAKEOVER_MARGIN)
        if unleased is not None:
            moments.append(unleased + self.stale + TAKEOVER_MARGIN)
        return min((moment for moment in moments if moment is not None), default=None)

    async def early_windows(self, now: datetime) -> dict[str, timedelta]:
        """Per platform, how long before their due time reminders may start leaving: their
        number due within ``early_max_minutes`` and the rows that go before them, at the
        platform's rate (with a margin), so that the last one leaves on time. Never more than
        the maximum."""
        if not self.early_max:
            return {}
        windows: dict[str, timedelta] = {}
        async with self.app.database.unit_of_work() as uow:
            for platform in self.platforms:
                waiting = await uow.outbox.early_backlog(
                    platform, kinds=EARLY_KINDS, due_by=now + self.early_max, priority=TIMED
                )
                seconds = EARLY_MARGIN * waiting / self.pacing.rate(platform)
                if seconds >= EARLY_AT_LEAST:
                    windows[platform] = min(self.early_max, timedelta(seconds=seconds))
        return windows

    def nudge(self) -> None:
        """Rows were queued: a pass in progress claims again (see :meth:`DispatchPass.nudge`)."""
        if self._pass is not None:
            self._pass.nudge()

    async def run_due(self, now: datetime | None = None) -> DispatchReport:
        """Recover stale claims, record missed rows, then send everything due at ``now``."""
        async with self._lock:
            report = await self._run(now or self.app.clock.now())
        for observe in self.observers:
            try:
                observe(report)
            except Exception:  # watching must never stop sending
                log.exception("dispatch observer %r failed", observe)
        return report

    async def _run(self, now: datetime) -> DispatchReport:
        report = DispatchReport()
        async with self.app.database.unit_of_work() as uow:
            report.recovered = await uow.leases.expire(heartbeat_before=now - self.lease_time)
            report.recovered += await uow.outbox.recover_stale(claimed_before=now - self.stale)
            report.missed = await uow.outbox.mark_missed(
                due_before=now - self.grace, kinds=GRACE_KINDS
            )
        if report.recovered or report.missed:
            log.warning("outbox: %d recovered, %d missed", report.recovered, report.missed)
        platforms = self.platforms
        if not platforms:
            return report
        early = await self.early_windows(now)
        report.recovered += await self.lease.start()
        self._pass = DispatchPass(self, now, platforms, report, early=early)
        try:
            await self._pass.run()
        except LeaseLostError as lost:
            log.error("outbox pass stopped: %s", lost)
        finally:
            self._pass = None
            await self.lease.stop()
        return report

    async def release(self, row_ids: list[int]) -> None:
        """Give back claimed rows that were never attempted (a graceful stop)."""
        if row_ids:
            async with self.app.database.unit_of_work() as uow:
                await uow.outbox.release(row_ids, worker_id=self.worker_id)
