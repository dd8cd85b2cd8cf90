"""The dispatcher's alarm clock: APScheduler wakes a :class:`Dispatcher` when rows are due.

A wake-up is armed at the earliest due row (re-armed whenever rows are enqueued, after their
commit, in this process or, on PostgreSQL, in any other through LISTEN/NOTIFY) and a periodic
sweep runs as a fallback, with the features' periodic jobs before it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from bot.delivery.notify import OutboxListener, asyncpg_dsn
from storage.errors import StorageUnavailable

if TYPE_CHECKING:
    from apscheduler.schedulers.asyncio import AsyncIOScheduler

    from bot.delivery.dispatcher import Dispatcher

log = logging.getLogger(__name__)


class DispatchScheduler:
    """Wakes a :class:`Dispatcher` with APScheduler: at the next due time, and periodically.

    ``sweeps`` are extra coroutines run on each periodic sweep (e.g. extending the reminders
    of recurring events); they run before the dispatcher pass.
    """

    WAKE_JOB = "outbox-wake"
    SWEEP_JOB = "outbox-sweep"

    def __init__(
        self,
        dispatcher: Dispatcher,
        *,
        sweeps: list[Callable[[datetime], Awaitable[Any]]] | None = None,
    ) -> None:
        self.dispatcher = dispatcher
        self.sweeps = list(sweeps or [])
        self.scheduler: AsyncIOScheduler | None = None
        self._passes: set[asyncio.Task[Any]] = set()
        self._closing = False
        self.listener: OutboxListener | None = None
        """On PostgreSQL: wakes this process when any process queues rows."""

    def start(self) -> None:
        from apscheduler.schedulers.asyncio import AsyncIOScheduler
        from apscheduler.triggers.interval import IntervalTrigger

        scheduler = AsyncIOScheduler(timezone=UTC)
        seconds = self.dispatcher.reminders.sweep_seconds
        scheduler.add_job(
            self.sweep,
            IntervalTrigger(seconds=seconds),
            id=self.SWEEP_JOB,
            max_instances=1,
            coalesce=True,
            next_run_time=datetime.now(UTC),
        )
        scheduler.start()
        self.scheduler = scheduler
        self.dispatcher.app.on_enqueue.append(self.poke)
        database = self.dispatcher.app.database
        if database.dialect == "postgresql" and self.dispatcher.reminders.listen:
            self.listener = OutboxListener(
                asyncpg_dsn(database.engine.url.render_as_string(hide_password=False)),
                self.poke,
            )
            self.listener.start()

    def stop(self) -> None:
        """No more wake-ups (a pass already running goes on; see :meth:`aclose`)."""
        if self.poke in self.dispatcher.app.on_enqueue:
            self.dispatcher.app.on_enqueue.remove(self.poke)
        if self.listener is not None:
            self.listener.cancel()
        if self.scheduler is not None:
            self.scheduler.shutdown(wait=False)
            self.scheduler = None

    async def aclose(self) -> None:
        """Graceful stop: no more wake-ups; a fan-out in progress finishes the sends in
        flight, records them, and gives the rows it had not started back to the outbox."""
        self._closing = True
        self.stop()
        if self.listener is not None:
            await self.listener.stop()
        running = [task for task in self._passes if not task.done()]
        for task in running:
            task.cancel()
        if running:
            await asyncio.wait(running)

    def poke(self) -> None:
        """Rows were enqueued (here, or in any process on PostgreSQL): a pass in progress
        claims again, and the wake-up is re-armed (called after a commit, in the event loop)."""
        self.dispatcher.nudge()
        asyncio.get_running_loop().create_task(self._guarded(self._arm))

    async def _arm(self) -> None:
        await self.arm()

    async def arm(self) -> datetime | None:
        """Schedule the next wake-up at the earliest due row (or none when nothing waits)."""
        from apscheduler.triggers.date import DateTrigger

        due = await self.dispatcher.next_due_at()
        if self.scheduler is None or due is None:
            return due
        run_at = max(due, datetime.now(UTC))
        self.scheduler.add_job(
            self.wake,
            DateTrigger(run_date=run_at),
            id=self.WAKE_JOB,
            replace_existing=True,
            misfire_grace_time=None,
        )
        return due

    async def wake(self) -> None:
        await self._guarded(self._wake)

    async def _wake(self) -> None:
        await self.dispatcher.run_due()
        await self.arm()

    async def _guarded(self, body: Callable[[], Awaitable[None]]) -> None:
        """Run a job so that :meth:`aclose` can stop it cleanly (not as a job failure)."""
        task = asyncio.current_task()
        if task is not None:
            self._passes.add(task)
        try:
            await body()
        except asyncio.CancelledError:
            if not self._closing:
                raise
        except StorageUnavailable:
            # The app's health logs the outage once; the next sweep tries again.
            log.debug("outbox pass skipped: storage unavailable")
        finally:
            self._passes.discard(task)

    async def sweep(self) -> None:
        await self._guarded(self._sweep)

    async def _sweep(self) -> None:
        now = self.dispatcher.app.clock.now()
        for job in self.sweeps:
            try:
                await job(now)
            except StorageUnavailable:
                return  # logged once by the app's health; the next sweep tries again
            except Exception:
                log.exception("outbox sweep job failed")
        await self._wake()
