"""Recording: what happened to each send, written right after it happened.

A delivered row is recorded ``sent`` (with group commit, see :class:`SentMarks`) before the
kind's after-send hook runs; a failed one goes back to ``pending`` for a later retry, or to
``failed`` for good (see ``storage.repositories.outbox``); one that may have arrived and will
not be repeated is recorded ``unconfirmed``. Before a send whose repeat would be worse than
its loss, :meth:`Outcomes.may_arrive` commits that the chat may hold it from now on, so a
crash during the send leaves that knowledge behind.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime
from typing import TYPE_CHECKING

from bot.core.messages import SentMessage
from bot.core.ports import DeliveryError
from storage.models import OutboxMessage
from storage.repositories.outbox import (
    clear_maybe_sent_statement,
    mark_maybe_sent_statement,
    mark_sent_many,
)
from storage.statuses import OutboxStatus

if TYPE_CHECKING:
    from bot.delivery.ports import DeliveryPorts

log = logging.getLogger(__name__)

MARK_ATTEMPTS = 3
"""How often recording a delivered row as sent is tried before it is left for recovery."""


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


class Outcomes:
    """Records each claimed row's outcome: sent (then its after-send hook), retried or failed."""

    def __init__(self, app: DeliveryPorts, *, max_attempts: int, worker_id: str) -> None:
        self.app = app
        self.max_attempts = max_attempts
        self.worker_id = worker_id
        self._marks = SentMarks(app)

    async def may_arrive(self, row: OutboxMessage, now: datetime) -> None:
        """Commit, before the send, that the chat may hold this row from ``now`` on."""
        async with self.app.database.engine.begin() as connection:
            await connection.execute(mark_maybe_sent_statement(row.id, now))

    async def not_sent(self, row: OutboxMessage) -> None:
        """Undo :meth:`may_arrive`: the platform refused the send (a 429), nothing arrived."""
        async with self.app.database.engine.begin() as connection:
            await connection.execute(clear_maybe_sent_statement(row.id, self.worker_id))

    async def unconfirmed(self, row: OutboxMessage, why: str) -> None:
        """Record a row that may have arrived and is not sent again."""
        async with self.app.database.unit_of_work() as uow:
            await uow.outbox.mark_unconfirmed(row.id, error=why, worker_id=self.worker_id)

    async def sent(self, row: OutboxMessage, sent: SentMessage, now: datetime) -> bool:
        """Record a delivered row as sent, retrying a failing database a few times.

        Never falls back to the retry path: the platform already has the message. If the
        record still fails, the row stays ``sending`` and is logged; lease recovery may then
        send it once more (the documented at-least-once case, docs/delivery.md), instead of
        every row of the group going straight back to pending.
        """
        for attempt in range(MARK_ATTEMPTS):
            try:
                await self._marks.record(row.id, sent.message_id, now)
                return True
            except Exception:
                log.warning("recording outbox row %s as sent failed (try %d)", row.id, attempt + 1)
                await asyncio.sleep(0.05 * 2**attempt)
        log.error("outbox row %s was delivered but could not be recorded as sent", row.id)
        return False

    async def after_sent(self, row: OutboxMessage, sent: SentMessage) -> None:
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

    async def failed(
        self,
        row: OutboxMessage,
        error: DeliveryError,
        *,
        maybe_sent_at: datetime | None,
        retry_at: datetime | None = None,
    ) -> OutboxStatus:
        """Record a failed send; the row's new status: ``pending`` (retried later) or
        ``failed`` (not retryable, or out of attempts). ``maybe_sent_at``: since when the chat
        may hold it (None: it surely does not)."""
        async with self.app.database.unit_of_work() as uow:
            return await uow.outbox.mark_failed(
                row.id,
                error=str(error),
                now=self.app.clock.now(),
                retryable=error.retryable,
                max_attempts=self.max_attempts,
                worker_id=self.worker_id,
                maybe_sent_at=maybe_sent_at,
                retry_at=retry_at,
            )
