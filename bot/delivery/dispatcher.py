"""The dispatcher: claims due outbox rows and sends them through each platform's messenger.

:meth:`Dispatcher.run_due` does one pass and is what tests call with a manual clock.
:class:`DispatchScheduler` runs it in production: APScheduler wakes it at the next due time
(re-armed whenever rows are enqueued) and on a periodic sweep as a fallback.

Delivery guarantees (docs/events.md explains them): a row is claimed atomically before it is
sent, so two dispatchers never send the same row; each send is recorded right after the
platform accepted it; a graceful stop finishes the sends in flight and gives back the rest; a
row left ``sending`` by a crashed process is sent again after ``stale_minutes``
(at-least-once for the one send per worker that may have been in flight at the crash).
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
import uuid
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from bot.config import RemindersConfig
from bot.core.messages import Platform, Recipient, SentMessage
from bot.core.ports import DeliveryError, RateLimitedError
from bot.delivery.outbox import payload_reply
from storage.models import OutboxMessage
from storage.repositories.outbox import mark_sent_many

if TYPE_CHECKING:
    from apscheduler.schedulers.asyncio import AsyncIOScheduler

    from bot.delivery.ports import DeliveryPorts

log = logging.getLogger(__name__)

RATE_LIMIT_RETRIES = 5
"""How often one send is retried in place after a 429 before it goes back to the queue."""

GRACE_KINDS = ("reminder",)
"""Kinds that are useless late: after downtime beyond the grace window they are recorded as
missed (and shown to admins). Relayed answers, notices and announcements are sent late."""
MARK_ATTEMPTS = 3


class TokenBucket:
    """Paces sends to ``rate`` per second: each send takes the next free slot.

    Timers wake a little late, more so on a busy machine; slots missed that way within the
    last ``catch_up`` seconds are used at once, so the average rate stays at ``rate`` (a burst
    of at most ``rate * catch_up`` sends, which platforms' own buckets allow) instead of
    drifting below it.
    """

    def __init__(
        self,
        rate: float,
        *,
        catch_up: float = 0.05,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
    ) -> None:
        self.interval = 1.0 / rate
        self._slack = max(catch_up, self.interval)
        self._monotonic = monotonic
        self._sleep = sleep
        self._next = 0.0
        self._lock = asyncio.Lock()

    async def acquire(self) -> None:
        async with self._lock:
            now = self._monotonic()
            slot = max(self._next, now - self._slack)
            self._next = slot + self.interval
            if slot > now:
                await self._sleep(slot - now)

    def pause(self, seconds: float) -> None:
        """The platform asked us to wait: nobody sends on it before ``seconds`` from now."""
        self._next = max(self._next, self._monotonic() + seconds)


class SentMarks:
    """Records sends durably, with group commit.

    Each send waits until its row is committed as ``sent`` (so "recorded right after the
    platform accepted it" holds); sends finishing while a commit runs are written together by
    the next one. A fan-out then costs one small transaction per group instead of per row.
    """

    def __init__(self, app: DeliveryPorts) -> None:
        self.app = app
        self._waiting: list[tuple[int, str | None, datetime, asyncio.Future[None]]] = []
        self._writer: asyncio.Task[None] | None = None

    async def record(self, row_id: int, message_id: str | None, now: datetime) -> None:
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiting.append((row_id, message_id, now, done))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.ensure_future(self._write())
        await done

    async def _write(self) -> None:
        while self._waiting:
            group, self._waiting = self._waiting, []
            statement, params = mark_sent_many([(i, m, at) for i, m, at, _ in group])
            try:
                async with self.app.database.engine.begin() as connection:
                    await connection.execute(statement, params)
            except Exception as error:
                for *_, done in group:
                    if not done.done():
                        done.set_exception(error)
                continue
            for *_, done in group:
                if not done.done():
                    done.set_result(None)


@dataclass
class DispatchReport:
    """What one pass did."""

    sent: int = 0
    retried: int = 0
    failed: int = 0
    missed: int = 0
    recovered: int = 0
    rate_limited: int = 0
    delays: list[float] = field(default_factory=list)
    """Seconds between each sent row's due time and its send."""


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
        self.max_attempts = config.max_attempts
        self._sleep = sleep
        self._buckets: dict[str, TokenBucket] = {}
        self._lock = asyncio.Lock()
        self._marks = SentMarks(app)
        self.observers: list[Callable[[DispatchReport], None]] = []
        """Told of each finished pass (metrics, readiness): the one hook for watching sends."""

    def bucket(self, platform: str) -> TokenBucket:
        if platform not in self._buckets:
            rate = self.reminders.send_rates.get(platform, 20.0)
            self._buckets[platform] = TokenBucket(rate, sleep=self._sleep)
        return self._buckets[platform]

    @property
    def platforms(self) -> list[str]:
        """Only rows for platforms this process can send to are claimed here."""
        return [platform.value for platform in self.app.messengers]

    async def next_due_at(self) -> datetime | None:
        async with self.app.database.unit_of_work() as uow:
            return await uow.outbox.next_due_at(self.platforms)

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
            report.recovered = await uow.outbox.recover_stale(claimed_before=now - self.stale)
            report.missed = await uow.outbox.mark_missed(
                due_before=now - self.grace, kinds=GRACE_KINDS
            )
        if report.recovered or report.missed:
            log.warning("outbox: %d recovered, %d missed", report.recovered, report.missed)
        platforms = self.platforms
        if platforms:
            await _Pass(self, now, platforms, report).run()
        return report

    async def _release(self, row_ids: list[int]) -> None:
        if row_ids:
            async with self.app.database.unit_of_work() as uow:
                await uow.outbox.release(row_ids, worker_id=self.worker_id)

    async def _mark_sent(self, row_id: int, message_id: str | None, now: datetime) -> None:
        await self._marks.record(row_id, message_id, now)

    async def _record_sent(self, row: OutboxMessage, sent: SentMessage, now: datetime) -> bool:
        """Record a delivered row as sent, retrying a failing database a few times.

        Never falls back to the retry path: the platform already has the message. If the
        record still fails, the row stays ``sending`` and is logged; stale recovery may then
        send it once more (the documented at-least-once case), instead of every row of the
        group going straight back to pending.
        """
        for attempt in range(MARK_ATTEMPTS):
            try:
                await self._mark_sent(row.id, sent.message_id, now)
                return True
            except Exception:
                log.warning("recording outbox row %s as sent failed (try %d)", row.id, attempt + 1)
                await asyncio.sleep(0.05 * 2**attempt)
        log.error("outbox row %s was delivered but could not be recorded as sent", row.id)
        return False

    async def _after_sent(self, row: OutboxMessage, sent: SentMessage) -> None:
        """Run the feature's hook for this kind of row (e.g. remember where a question lives).

        The row is already recorded as sent; a failing hook is logged, never re-sent.
        """
        hook = self.app.registry.sent_hook(row.kind)
        if hook is None:
            return
        try:
            async with self.app.database.unit_of_work() as uow:
                await hook(uow, row, sent)
        except Exception:
            log.exception("after-send hook for outbox row %s failed", row.id)

    async def _attempt(self, row: OutboxMessage, report: DispatchReport) -> None:
        """Send one claimed row and record the outcome in its own short transaction."""
        messenger = self.app.messengers.get(Platform(row.platform))
        recipient = Recipient(Platform(row.platform), row.chat_id, row.thread_id, row.private)
        error: DeliveryError | None = None
        try:
            if messenger is None:
                raise DeliveryError(f"no messenger for {row.platform}", retryable=True)
            reply = payload_reply(row.payload)
            for _ in range(RATE_LIMIT_RETRIES):
                try:
                    sent = await messenger.send(recipient, reply)
                except RateLimitedError as limited:
                    report.rate_limited += 1
                    error = limited
                    bucket = self.bucket(row.platform)
                    bucket.pause(limited.retry_after)
                    await bucket.acquire()
                    continue
                now = self.app.clock.now()
                if not await self._record_sent(row, sent, now):
                    return  # delivered; stale recovery may resend it once (logged)
                await self._after_sent(row, sent)
                report.sent += 1
                report.delays.append((now - row.due_at).total_seconds())
                return
        except DeliveryError as failure:
            error = failure
        except Exception as failure:  # a bug or a network error: try again later
            log.exception("sending outbox row %s failed", row.id)
            error = DeliveryError(repr(failure), retryable=True)
        assert error is not None
        async with self.app.database.unit_of_work() as uow:
            status = await uow.outbox.mark_failed(
                row.id,
                error=str(error),
                now=self.app.clock.now(),
                retryable=error.retryable,
                max_attempts=self.max_attempts,
            )
        if status == "pending":
            report.retried += 1
        else:
            report.failed += 1
            log.warning("outbox row %s failed for good: %s", row.id, error)


class _Pass:
    """One dispatcher pass: workers per platform pull claimed rows from queues that a single
    claimer refills ahead of need, so sending never pauses at a batch boundary."""

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
            await self.d._release([r.id for r in self.claimed if r.id not in self.started])
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
            await self.d.bucket(platform).acquire()
            self.started.add(row.id)
            attempt = asyncio.ensure_future(self.d._attempt(row, self.report))
            try:
                await asyncio.shield(attempt)
            except asyncio.CancelledError:
                await attempt
                raise


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

    def stop(self) -> None:
        """No more wake-ups (a pass already running goes on; see :meth:`aclose`)."""
        if self.poke in self.dispatcher.app.on_enqueue:
            self.dispatcher.app.on_enqueue.remove(self.poke)
        if self.scheduler is not None:
            self.scheduler.shutdown(wait=False)
            self.scheduler = None

    async def aclose(self) -> None:
        """Graceful stop: no more wake-ups; a fan-out in progress finishes the sends in
        flight, records them, and gives the rows it had not started back to the outbox."""
        self._closing = True
        self.stop()
        running = [task for task in self._passes if not task.done()]
        for task in running:
            task.cancel()
        if running:
            await asyncio.wait(running)

    def poke(self) -> None:
        """Rows were enqueued: re-arm the wake-up (called after a commit, in the event loop)."""
        asyncio.get_running_loop().create_task(self.arm())

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
        finally:
            self._passes.discard(task)

    async def sweep(self) -> None:
        await self._guarded(self._sweep)

    async def _sweep(self) -> None:
        now = self.dispatcher.app.clock.now()
        for job in self.sweeps:
            try:
                await job(now)
            except Exception:
                log.exception("outbox sweep job failed")
        await self._wake()
