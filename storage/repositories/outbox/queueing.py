"""Queueing: new rows written once per idempotency key, and pending rows withdrawn.

Every fan-out pays for this part (docs/performance.md, *Fan-outs*), so it stands apart from the
dispatcher's claims and outcomes: the insert, the wake-up of the dispatchers on PostgreSQL, and
the priority inheritance that lets claims order by priority without ever taking a row before
an earlier one of its chat.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, and_, delete, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import aliased

from storage.models import OutboxMessage
from storage.repositories.outbox.base import OutboxBase
from storage.statuses import OutboxStatus

NORMAL_PRIORITY = 2
"""The priority of a row enqueued without one (``bot.delivery.priority.NORMAL``)."""

NOTIFY_CHANNEL = "champions_outbox"
"""PostgreSQL channel notified (on commit) when rows are queued: every dispatcher listening
wakes up at once, in every process (``bot.delivery.notify``)."""


@dataclass(frozen=True)
class NewMessage:
    """What to enqueue: one row of the outbox."""

    idempotency_key: str
    kind: str
    platform: str
    chat_id: str
    payload: dict[str, Any]
    due_at: datetime
    thread_id: str | None = None
    private: bool = False
    member_id: int | None = None
    community_id: int | None = None
    priority: int = NORMAL_PRIORITY
    """Lower leaves first (``bot.delivery.priority`` sets it from the kind)."""


class OutboxQueue(OutboxBase):
    """Writes rows into the outbox and withdraws those not sent yet."""

    async def enqueue(self, message: NewMessage, *, now: datetime) -> bool:
        """Insert ``message`` unless its key exists already; True when a row was added."""
        return await self.enqueue_many([message], now=now) == 1

    async def enqueue_many(self, messages: Sequence[NewMessage], *, now: datetime) -> int:
        """Insert many rows, silently skipping keys that exist (whatever their status)."""
        if not messages:
            return 0
        rows = [
            {
                "idempotency_key": m.idempotency_key,
                "kind": m.kind,
                "platform": m.platform,
                "chat_id": m.chat_id,
                "thread_id": m.thread_id,
                "private": m.private,
                "member_id": m.member_id,
                "community_id": m.community_id,
                "payload": m.payload,
                "due_at": m.due_at,
                "order_at": m.due_at,
                "status": OutboxStatus.PENDING,
                "attempts": 0,
                "created_at": now,
                "priority": m.priority,
            }
            for m in messages
        ]
        insert = pg_insert if self.dialect == "postgresql" else sqlite_insert
        # One statement compiled once, the rows given as parameter sets: SQLAlchemy's
        # "insertmanyvalues" writes them in multi-row INSERTs as plain text. A multi-row
        # ``.values(rows)`` was compiled anew for every 500 rows, 7,500 bound parameters each:
        # 85% of the CPU of a 30k fan-out (docs/performance.md, *Fan-outs*). The rows that
        # were new come back (RETURNING): a known key is skipped and not counted.
        table = cast(Table, OutboxMessage.__table__)
        statement = (
            insert(table)
            .on_conflict_do_nothing(index_elements=["idempotency_key"])
            .returning(table.c.id)
        )
        inserted = 0
        for start in range(0, len(rows), 500):
            chunk = rows[start : start + 500]
            inserted += len((await self.session.execute(statement, chunk)).all())
            await self._inherit_priorities(chunk)
        if inserted and self.dialect == "postgresql":
            # Delivered to every listening process when this transaction commits.
            await self.session.execute(select(func.pg_notify(NOTIFY_CHANNEL, "")))
        return inserted

    async def _inherit_priorities(self, rows: Sequence[dict[str, Any]]) -> None:
        """Give each pending row of the chats just written the priority of the most urgent
        pending row at or behind it in its chat: an urgent row queued behind bulk ones pulls
        them out first (they must leave before it), and claims can order by priority without
        ever taking a row before an earlier one of its chat."""
        chats: dict[str, set[str]] = {}
        for row in rows:
            chats.setdefault(row["platform"], set()).add(row["chat_id"])
        if not chats:
            return
        # Found by chat, through ix_outbox_chat_queue: one IN list of chat ids per platform (a
        # row-value IN of (platform, chat) pairs became an OR of 500 ANDs tried on every row),
        # and "pending" tested through coalesce so that no index on the status can serve it.
        # Statistics say few rows are pending (true between fan-outs), so PostgreSQL walked
        # ix_outbox_claim_order's pending rows, including the thousands this transaction just
        # wrote, for each chunk and inside the subquery: 0.9 s a chunk of 500 at 30k, 3 ms
        # this way (docs/performance.md, *Fan-outs*).
        pending = func.coalesce(OutboxMessage.status, "") == OutboxStatus.PENDING
        in_these_chats = or_(
            *(
                and_(OutboxMessage.platform == platform, OutboxMessage.chat_id.in_(sorted(ids)))
                for platform, ids in sorted(chats.items())
            )
        )
        later = aliased(OutboxMessage, name="later")
        most_urgent = (
            select(func.min(later.priority))
            .where(
                later.platform == OutboxMessage.platform,
                later.chat_id == OutboxMessage.chat_id,
                func.coalesce(later.status, "") == OutboxStatus.PENDING,
                or_(
                    later.order_at > OutboxMessage.order_at,
                    and_(later.order_at == OutboxMessage.order_at, later.id >= OutboxMessage.id),
                ),
            )
            .scalar_subquery()
        )
        await self.session.execute(
            update(OutboxMessage)
            .where(
                pending,
                in_these_chats,
                OutboxMessage.priority > most_urgent,
            )
            .values(priority=most_urgent)
            .execution_options(synchronize_session=False)
        )

    async def delete_pending(self, key_prefix: str) -> list[str]:
        """Remove the pending rows whose key starts with ``key_prefix``; return their keys.

        Used when an event changes: what is not sent yet is superseded; what was sent (or is
        being sent) stays and keeps its key, so re-enqueueing never repeats it.
        """
        statement = (
            delete(OutboxMessage)
            .where(
                OutboxMessage.status == OutboxStatus.PENDING,
                OutboxMessage.idempotency_key.startswith(key_prefix, autoescape=True),
            )
            .returning(OutboxMessage.idempotency_key)
        )
        return list((await self.session.scalars(statement)).all())
