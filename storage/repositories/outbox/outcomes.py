"""Outcomes: what became of a claimed row (sent, failed or retried later, unconfirmed), and
of pending rows not sent within their grace window (missed).

The statements stand alone as functions as well: the dispatcher runs them outside any
repository (``bot.delivery.recording``), recording sends in bulk on a bare connection (group
commit), and marking a row whose send may arrive just before making that send.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import Table, Update, bindparam, update

from storage.models import OutboxMessage
from storage.repositories.outbox.base import OutboxBase
from storage.statuses import OutboxStatus


def retry_delay(attempts: int) -> timedelta:
    """Backoff after the ``attempts``-th failed try: 30 s, 1 min, 2 min... at most 30 min."""
    return min(timedelta(seconds=30 * 2 ** max(attempts - 1, 0)), timedelta(minutes=30))


def mark_sent_statement(row_id: int, message_id: str | None, now: datetime) -> Update:
    """The statement that records one send."""
    return (
        update(OutboxMessage)
        .where(OutboxMessage.id == row_id)
        .values(status=OutboxStatus.SENT, sent_at=now, sent_message_id=message_id, last_error=None)
        .execution_options(synchronize_session=False)
    )


def mark_sent_many(
    sends: Sequence[tuple[int, str | None, datetime]],
) -> tuple[Update, list[dict[str, Any]]]:
    """One statement and its parameter sets recording many sends at once (executemany).

    Used on a bare connection by the dispatcher's group commit: the hot path of a fan-out.
    """
    table = cast(Table, OutboxMessage.__table__)
    statement = (
        update(table)
        .where(table.c.id == bindparam("b_id"))
        .values(
            status=OutboxStatus.SENT,
            sent_at=bindparam("b_sent_at", type_=table.c.sent_at.type),
            sent_message_id=bindparam("b_message_id"),
            last_error=None,
        )
    )
    params = [{"b_id": i, "b_message_id": m, "b_sent_at": at} for i, m, at in sends]
    return statement, params


def mark_maybe_sent_statement(row_id: int, at: datetime) -> Update:
    """Written (and committed) just before a send whose repeat is worse than its loss: if the
    process dies before the answer is recorded, the next attempt knows the chat may hold it."""
    return (
        update(OutboxMessage)
        .where(OutboxMessage.id == row_id, OutboxMessage.maybe_sent_at.is_(None))
        .values(maybe_sent_at=at)
        .execution_options(synchronize_session=False)
    )


def clear_maybe_sent_statement(row_id: int, worker_id: str) -> Update:
    """Undo :func:`mark_maybe_sent_statement` for a send the platform refused (a 429)."""
    return (
        update(OutboxMessage)
        .where(
            OutboxMessage.id == row_id,
            OutboxMessage.status == OutboxStatus.SENDING,
            OutboxMessage.claimed_by == worker_id,
        )
        .values(maybe_sent_at=None)
        .execution_options(synchronize_session=False)
    )


class OutboxOutcomes(OutboxBase):
    """Records the outcome of each attempt, and the rows missed."""

    async def mark_sent(self, row_id: int, *, message_id: str | None, now: datetime) -> None:
        await self.session.execute(mark_sent_statement(row_id, message_id, now))

    async def mark_failed(
        self,
        row_id: int,
        *,
        error: str,
        now: datetime,
        retryable: bool,
        max_attempts: int,
        retry_at: datetime | None = None,
        worker_id: str | None = None,
        maybe_sent_at: datetime | None = None,
    ) -> OutboxStatus:
        """Record a failed attempt: back to pending later (backoff), or failed for good.

        ``maybe_sent_at`` is what the row keeps of an earlier send that may have arrived (None:
        nothing may have). With ``worker_id``, a row that is no longer this worker's claim (its
        lease was lost and another dispatcher took it over) is left alone.
        """
        row = await self.session.get(OutboxMessage, row_id)
        if row is None:
            return OutboxStatus.FAILED
        if worker_id is not None and (
            row.status != OutboxStatus.SENDING or row.claimed_by != worker_id
        ):
            return row.status
        row.last_error = error[:1000]
        row.claimed_by = None
        row.maybe_sent_at = maybe_sent_at
        if retryable and row.attempts < max_attempts:
            row.status = OutboxStatus.PENDING
            row.due_at = retry_at or now + retry_delay(row.attempts)
        else:
            row.status = OutboxStatus.FAILED
        await self.session.flush()
        return row.status

    async def mark_unconfirmed(self, row_id: int, *, error: str, worker_id: str) -> bool:
        """Record a send that may have arrived and will not be repeated (docs/delivery.md)."""
        result = await self.session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.id == row_id,
                OutboxMessage.status == OutboxStatus.SENDING,
                OutboxMessage.claimed_by == worker_id,
            )
            .values(status=OutboxStatus.UNCONFIRMED, claimed_by=None, last_error=error[:1000])
            .execution_options(synchronize_session=False)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def mark_missed(self, *, due_before: datetime, kinds: Sequence[str]) -> int:
        """Record as missed every pending row of ``kinds`` due before ``due_before``
        (now − grace). Other kinds (answers relayed, announcements) are still worth sending late."""
        result = await self.session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.status == OutboxStatus.PENDING,
                OutboxMessage.due_at < due_before,
                OutboxMessage.kind.in_(list(kinds)),
            )
            .values(status=OutboxStatus.MISSED, last_error="not sent within the grace window")
            .execution_options(synchronize_session=False)
        )
        return int(result.rowcount or 0)  # type: ignore[attr-defined]
