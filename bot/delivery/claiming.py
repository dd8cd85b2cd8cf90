"""Claiming: one dispatcher pass feeds per-platform workers with claimed rows, chat by chat.

Rows are claimed atomically in batches (``storage.repositories.outbox.claims``), each chat's
as a prefix of its queue, so two dispatchers never send the same row nor the same chat at
once. In a pass each chat is a queue that one worker at a time serves: it sends the chat's next
row, then puts the chat back at the end of the line, so chats take turns and different chats
go out in parallel while each chat's messages go one after the other. When a row fails and
waits for a retry, its chat's other claimed rows are given back at once: nothing overtakes the
failed row. A claimer per platform refills ahead of need, so sending never pauses at a batch
boundary. On a stop (graceful, an error, or a lost lease) the rows claimed but never started
are given back at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import time
from collections import deque
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from bot.delivery.priority import EARLY_KINDS
from bot.delivery.report import DispatchReport
from bot.delivery.sending import Paused
from storage.models import OutboxMessage

if TYPE_CHECKING:
    from bot.delivery.dispatcher import Dispatcher


SKIP_AT_MOST = 500
"""A claim skips at most this many chats set aside (their later rows wait in the outbox)."""


class ChatQueues:
    """The claimed rows of one platform: a queue per chat, each chat with one worker at most.

    Chats take turns, the most urgent first (the priority of the chat's next row); a chat that
    must wait (its own rate limit, or a 429 for it) is set aside until it may send, so the
    workers serve the other chats meanwhile.
    """

    def __init__(
        self,
        wait: Callable[[OutboxMessage], float] | None = None,
        *,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._wait = wait or (lambda row: 0.0)
        self._monotonic = monotonic
        self._rows: dict[str, deque[OutboxMessage]] = {}
        self._turns: dict[int, deque[str]] = {}
        """Chats with rows and no worker, per priority, in the order they will be served."""
        self._parked: list[tuple[float, int, str]] = []
        """Chats that must wait: (when they may send, tie-breaker, chat), a heap."""
        self._parked_chats: set[str] = set()
        self._seq = 0
        self._busy: set[str] = set()
        self._held: set[str] = set()
        """Chats whose row waits for a retry: no later row of theirs is sent in this pass."""

    def __len__(self) -> int:
        return sum(len(queue) for queue in self._rows.values())

    def ready(self) -> int:
        """Rows of the chats that are not set aside (what the workers can send soon)."""
        return len(self) - sum(len(self._rows.get(chat, ())) for chat in self._parked_chats)

    def set_aside(self) -> list[str]:
        """The chats a claim should skip: those waiting for their limit, then those held by
        a failed row (a retry that comes due during the pass waits for the next pass)."""
        return [*self._parked_chats, *self._held]

    def add(self, row: OutboxMessage) -> bool:
        """Queue a claimed row behind the earlier rows of its chat; False when its chat is held
        (a claim made while the row it waits for was failing): give it back."""
        if row.chat_id in self._held:
            return False
        queue = self._rows.setdefault(row.chat_id, deque())
        queue.append(row)
        if len(queue) == 1 and row.chat_id not in self._busy:
            self._queue_turn(row.chat_id)
        return True

    def _queue_turn(self, chat: str) -> None:
        priority = self._rows[chat][0].priority
        self._turns.setdefault(priority, deque()).append(chat)

    def _park(self, chat: str, until: float) -> None:
        self._seq += 1
        heapq.heappush(self._parked, (until, self._seq, chat))
        self._parked_chats.add(chat)

    def _unpark(self, now: float) -> None:
        while self._parked and self._parked[0][0] <= now:
            _until, _seq, chat = heapq.heappop(self._parked)
            self._parked_chats.discard(chat)
            if self._rows.get(chat):
                self._queue_turn(chat)

    def take(self) -> OutboxMessage | None:
        """The next row of the most urgent chat whose turn it is and that may send now; that
        chat is busy until :meth:`done`. None when no chat may send now."""
        now = self._monotonic()
        self._unpark(now)
        for priority in sorted(self._turns):
            turns = self._turns[priority]
            while turns:
                chat = turns.popleft()
                wait = self._wait(self._rows[chat][0])
                if wait > 0:
                    self._park(chat, now + wait)
                    continue
                self._busy.add(chat)
                return self._rows[chat].popleft()
        return None

    def next_ready(self) -> float | None:
        """Seconds until the first chat set aside may send (None: none is)."""
        if not self._parked:
            return None
        return max(self._parked[0][0] - self._monotonic(), 0.0)

    def done(
        self, row: OutboxMessage, *, go_on: bool, again_in: float | None = None
    ) -> list[OutboxMessage]:
        """The row's chat is free for its next turn; unless ``go_on``, its queued rows are
        taken out (they must wait behind the row) and returned. ``again_in``: the row was not
        sent (a 429 for its chat): it stays first in its chat, which waits that long."""
        chat = row.chat_id
        self._busy.discard(chat)
        queue = self._rows.setdefault(chat, deque())
        if again_in is not None:
            queue.appendleft(row)
            self._park(chat, self._monotonic() + again_in)
            return []
        dropped: list[OutboxMessage] = []
        if not go_on:
            self._held.add(chat)
            dropped = list(queue)
            queue.clear()
        if queue:
            self._queue_turn(chat)
        else:
            self._rows.pop(chat, None)
        return dropped


class _Feed:
    """One platform's side of a pass: its chats, and whether more rows can be claimed."""

    def __init__(self, chats: ChatQueues) -> None:
        self.chats = chats
        self.exhausted = False
        self.refill: asyncio.Task[None] | None = None
        self.version = 0
        """Bumped on every change a waiting worker may care about."""


class DispatchPass:
    """One pass: ``concurrency`` workers per platform, each serving one chat at a time."""

    def __init__(
        self,
        dispatcher: Dispatcher,
        now: datetime,
        platforms: list[str],
        report: DispatchReport,
        *,
        early: dict[str, timedelta] | None = None,
    ) -> None:
        self.d = dispatcher
        self.now = now
        self.platforms = platforms
        self.report = report
        self.early = early or {}
        """Per platform: how long before their due time reminders may be claimed."""
        limits = dispatcher.pacing.chats
        self.feeds = {
            platform: _Feed(
                ChatQueues(lambda row: limits.wait(row.platform, row.chat_id, row.private))
            )
            for platform in platforms
        }
        self.unstarted: dict[int, OutboxMessage] = {}
        """Claimed rows not attempted yet: given back if the pass stops before them."""
        self._changed = asyncio.Condition()

    def nudge(self) -> None:
        """Rows were queued (here or in another process): claim again, even if the last claim
        found nothing (a relay queued during a long pass leaves at once)."""
        for feed in self.feeds.values():
            feed.exhausted = False
        asyncio.get_running_loop().create_task(self._bump_all())

    async def _bump_all(self) -> None:
        for feed in self.feeds.values():
            await self._bump(feed)

    async def run(self) -> None:
        workers = [
            asyncio.create_task(self._worker(platform))
            for platform in self.platforms
            for _ in range(self.d.concurrency)
        ]
        try:
            # Not gather(): a cancelled gather waits for every worker, and a worker waits for
            # its send in flight, so a hanging send would hold the stop for ever. asyncio.wait
            # returns at the cancel, and the wind-down bounds the wait by stop_timeout.
            await asyncio.wait(workers, return_when=asyncio.FIRST_EXCEPTION)
            error = _first_error(workers)
            if error is not None:
                raise error
        except (Exception, asyncio.CancelledError):
            await self._wind_down(workers)
            raise

    async def _wind_down(self, workers: list[asyncio.Task[None]]) -> None:
        """Sends in flight finish and are recorded (the workers wait for them, up to
        stop_timeout); rows never attempted go back to pending at once. A send still hanging
        after the timeout stays 'sending' until the lease expires."""
        for worker in workers:
            if not worker.done() and not worker.cancelling():
                worker.cancel()  # once: a second cancel would interrupt a send in flight
        _done, hanging = await asyncio.wait(workers, timeout=self.d.stop_timeout)
        for worker in hanging:
            worker.cancel()
        refills = [f.refill for f in self.feeds.values() if f.refill is not None]
        if refills:
            await asyncio.wait(refills)
        _first_error([*workers, *refills])  # the pass fails with one; the rest are read here
        await self.d.release(list(self.unstarted))

    async def _claim(self, platform: str) -> None:
        feed = self.feeds[platform]
        try:
            claimed_at = self.d.app.clock.now()
            async with self.d.app.database.unit_of_work() as uow:
                rows = await uow.outbox.claim_due(
                    limit=self.d.batch_size,
                    worker_id=self.d.worker_id,
                    now=max(self.now, claimed_at),  # a long pass takes rows due since it began
                    platforms=[platform],
                    claimed_at=claimed_at,
                    early=self.early.get(platform),
                    early_kinds=EARLY_KINDS,
                    skip_chats=feed.chats.set_aside()[:SKIP_AT_MOST],
                )
            held = [row.id for row in rows if not feed.chats.add(row)]
            self.unstarted.update((row.id, row) for row in rows if row.id not in held)
            feed.exhausted = len(held) == len(rows)  # nothing this pass can send
            await self.d.release(held)
        finally:
            await self._bump(feed)

    def _refill(self, platform: str) -> asyncio.Task[None] | None:
        """Start claiming more rows when this platform's queues run low (one claim at once).
        A claim that failed in the background fails the pass here, with its own error."""
        feed = self.feeds[platform]
        if feed.refill is not None and feed.refill.done() and not feed.refill.cancelled():
            error = feed.refill.exception()
            if error is not None:
                raise error
        if feed.exhausted or feed.chats.ready() > self.d.batch_size // 2:
            return feed.refill if feed.refill is not None and not feed.refill.done() else None
        if feed.refill is None or feed.refill.done():
            feed.refill = asyncio.ensure_future(self._claim(platform))
        return feed.refill

    async def _bump(self, feed: _Feed) -> None:
        async with self._changed:
            feed.version += 1
            self._changed.notify_all()

    async def _worker(self, platform: str) -> None:
        feed = self.feeds[platform]
        while True:
            row = feed.chats.take()
            if row is not None:
                self._refill(platform)
                outcome = await self._send(row)
                if isinstance(outcome, Paused):
                    feed.chats.done(row, go_on=False, again_in=outcome.seconds)
                    self.unstarted[row.id] = row
                    await self._bump(feed)
                    continue
                dropped = feed.chats.done(row, go_on=outcome)
                if dropped:
                    for held in dropped:
                        self.unstarted.pop(held.id, None)
                    await self.d.release([held.id for held in dropped])
                await self._bump(feed)
                continue
            if feed.exhausted and not len(feed.chats):
                return
            version = feed.version
            refill = self._refill(platform)
            if refill is not None:
                await asyncio.shield(refill)  # a failed claim stops the pass
                continue
            await self._wait_change(feed, version, feed.chats.next_ready())

    async def _wait_change(self, feed: _Feed, version: int, delay: float | None) -> None:
        """Wait until a chat is free, rows arrive, nothing more will come, or ``delay``
        seconds pass (a chat set aside may send again)."""
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(delay), self._changed:
                await self._changed.wait_for(lambda: feed.version != version)

    async def _send(self, row: OutboxMessage) -> bool | Paused:
        """Send one row under the lease; True when its chat may go on with its next row,
        :class:`Paused` when a 429 for its chat sets the chat aside."""
        await self.d.pacing.bucket(row.platform).acquire()
        self.d.lease.check()
        self.unstarted.pop(row.id, None)
        attempt = asyncio.ensure_future(self.d.sender.attempt(row, self.report))
        try:
            outcome = await asyncio.shield(attempt)
        except asyncio.CancelledError:
            await attempt
            raise
        if not isinstance(outcome, Paused):
            self.d.pacing.chats.sent(row.platform, row.chat_id, row.private)
        return outcome


def _first_error(tasks: list[asyncio.Task[None]]) -> BaseException | None:
    """The first error among finished ``tasks``, reading every one's: workers that waited on
    the same failed claim fail together, and an error never read is logged by asyncio as
    "Task exception was never retrieved" with a traceback, as if nobody had handled it."""
    errors = [task.exception() for task in tasks if task.done() and not task.cancelled()]
    return next((error for error in errors if error is not None), None)
