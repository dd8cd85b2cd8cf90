"""Claims: taking due rows for one dispatcher, atomically and in each chat's order, and
giving them back (a graceful stop, or a dispatcher that stopped without a lease).

Claims are atomic so two processes never send the same row: on PostgreSQL claimers take turns
(a transaction-level advisory lock) and lock the due rows ``FOR UPDATE``; on SQLite one
``UPDATE ... WHERE status = 'pending' RETURNING`` does it (SQLite has one writer at a time).
A claim lives as long as its dispatcher's lease (:mod:`storage.repositories.leases`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, not_, or_, select, update

from storage.models import DispatcherWorker, OutboxMessage
from storage.repositories.outbox.base import OutboxBase
from storage.repositories.outbox.chat_order import Earlier, earlier_in_chat_where, ready
from storage.statuses import OutboxStatus

CLAIM_LOCK = 0x6F7574626F78
"""PostgreSQL advisory lock key taken by each claim: claimers take turns, so a claim always
sees what the previous one took (and never starts a chat another claimer is starting)."""


class OutboxClaims(OutboxBase):
    """Claims due rows for a dispatcher and puts claims back."""

    async def claim_due(
        self,
        *,
        limit: int,
        worker_id: str,
        now: datetime,
        platforms: Iterable[str] | None = None,
        claimed_at: datetime | None = None,
        early: timedelta | None = None,
        early_kinds: Sequence[str] = (),
        skip_chats: Sequence[str] = (),
    ) -> list[OutboxMessage]:
        """Atomically take up to ``limit`` rows due at ``now`` for ``worker_id``, in order.

        ``claimed_at`` (default ``now``) is when the claim really happens: a long pass claims
        late rows with the time of the claim.

        A row is taken only when every earlier row of its chat is finished or claimed by
        ``worker_id`` itself: an earlier row waiting for its retry, or being sent by another
        dispatcher, holds the chat. The rows of one chat come back as a prefix of its queue,
        so the caller sends them in the order returned.

        The most urgent rows come first (``priority``, then queue order). An earlier row of
        the chat with another priority holds the row back (enqueueing gives a chat's rows the
        priority of the most urgent one behind them, so this only happens to rows written
        before priorities), so a chat's rows still come back as a prefix of its queue.

        ``early``: the first attempt of an ``early_kinds`` row may be claimed up to this long
        before its due time (a fan-out that must start early to be on time). ``skip_chats``:
        chats the caller has set aside (their rate limit): their later rows stay here.

        A claimed row is ``sending`` with one more attempt counted; no other claim can take
        it. Call this in its own short transaction and commit before sending.
        """
        held_elsewhere = and_(
            Earlier.status == OutboxStatus.SENDING,
            or_(Earlier.claimed_by.is_(None), Earlier.claimed_by != worker_id),
        )
        waiting = and_(
            Earlier.status == OutboxStatus.PENDING, not_(ready(Earlier, now, early, early_kinds))
        )
        other_priority = and_(
            Earlier.status == OutboxStatus.PENDING, Earlier.priority != OutboxMessage.priority
        )
        due = (
            select(OutboxMessage.id)
            .where(
                OutboxMessage.status == OutboxStatus.PENDING,
                ready(OutboxMessage, now, early, early_kinds),
                not_(earlier_in_chat_where(or_(held_elsewhere, waiting, other_priority))),
            )
            .order_by(OutboxMessage.priority, OutboxMessage.order_at, OutboxMessage.id)
            .limit(limit)
        )
        if platforms is not None:
            due = due.where(OutboxMessage.platform.in_(list(platforms)))
        if skip_chats:
            due = due.where(OutboxMessage.chat_id.not_in(list(skip_chats)))
        if self.dialect == "postgresql":
            await self.session.execute(select(func.pg_advisory_xact_lock(CLAIM_LOCK)))
            locked = due.with_for_update(of=OutboxMessage)
            ids = list((await self.session.scalars(locked)).all())
            if not ids:
                return []
            target: Any = ids
        else:
            target = due.scalar_subquery()
        statement = (
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(target), OutboxMessage.status == OutboxStatus.PENDING)
            .values(
                status=OutboxStatus.SENDING,
                claimed_by=worker_id,
                claimed_at=claimed_at or now,
                attempts=OutboxMessage.attempts + 1,
            )
            .returning(OutboxMessage)
            .execution_options(synchronize_session=False)
        )
        rows = list((await self.session.scalars(statement)).all())
        return sorted(rows, key=lambda row: (row.priority, row.order_at, row.id))

    async def release(self, row_ids: Sequence[int], *, worker_id: str) -> int:
        """Give back claimed rows that were never attempted (a graceful stop)."""
        if not row_ids:
            return 0
        result = await self.session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.id.in_(list(row_ids)),
                OutboxMessage.status == OutboxStatus.SENDING,
                OutboxMessage.claimed_by == worker_id,
            )
            .values(
                status=OutboxStatus.PENDING, claimed_by=None, attempts=OutboxMessage.attempts - 1
            )
            .execution_options(synchronize_session=False)
        )
        return int(result.rowcount or 0)  # type: ignore[attr-defined]

    async def recover_stale(self, *, claimed_before: datetime) -> int:
        """Put back to pending the rows claimed before ``claimed_before`` by a dispatcher that
        keeps no heartbeat (a version from before leases); the claims of dispatchers with a
        lease are recovered by :meth:`LeaseRepository.expire` instead, in seconds.

        At-least-once for these rows (see docs/delivery.md): a row whose send had reached the
        platform just before the crash may be sent a second time; every other row is sent once.
        """
        leased = select(DispatcherWorker.id)
        result = await self.session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.status == OutboxStatus.SENDING,
                OutboxMessage.claimed_at < claimed_before,
                or_(OutboxMessage.claimed_by.is_(None), OutboxMessage.claimed_by.not_in(leased)),
            )
            .values(
                status=OutboxStatus.PENDING,
                claimed_by=None,
                last_error="recovered after its dispatcher stopped while sending",
            )
            .execution_options(synchronize_session=False)
        )
        return int(result.rowcount or 0)  # type: ignore[attr-defined]

    async def oldest_unleased_claim(self) -> datetime | None:
        """When the oldest claim of a dispatcher without heartbeat was made (for the wake-up
        that recovers it after ``stale_minutes``)."""
        leased = select(DispatcherWorker.id)
        value: datetime | None = await self.session.scalar(
            select(func.min(OutboxMessage.claimed_at)).where(
                OutboxMessage.status == OutboxStatus.SENDING,
                or_(OutboxMessage.claimed_by.is_(None), OutboxMessage.claimed_by.not_in(leased)),
            )
        )
        return value
