"""Dispatcher leases: a claim on outbox rows lives as long as its dispatcher's heartbeat.

A dispatcher writes its heartbeat (``dispatcher_workers.heartbeat_at``) when a pass starts and
every third of the lease while it runs. When a heartbeat is older than the lease, the
dispatcher is taken for dead: :meth:`LeaseRepository.expire` deletes its entry and puts the
rows it was sending back to ``pending`` in one transaction. Deleting the entry is what tells a
dispatcher that was only stalled that it lost its claims: its next renewal finds no entry, and
it stops sending (see ``bot.delivery.lease``).

Why not PostgreSQL advisory locks that die with the session: they need one connection held
for the process's whole life (no pooler in transaction mode), they do not exist on SQLite,
and a half-open TCP connection keeps a dead process's lock for as long as the server's
keepalive takes to notice (minutes). A heartbeat in a table works the same on both databases
and expires in a known time.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import DispatcherWorker, OutboxMessage
from storage.statuses import OutboxStatus

TAKEN_OVER = "taken over: its dispatcher stopped renewing its lease while sending"


class LeaseRepository:
    def __init__(self, session: AsyncSession, dialect: str) -> None:
        self.session = session
        self.dialect = dialect

    async def register(self, worker_id: str, *, now: datetime) -> int:
        """Start (or restart) a lease for ``worker_id``.

        Between two passes a dispatcher holds no claim, so rows still ``sending`` under its
        name are leftovers of the previous pass (a delivered row whose record failed): they go
        back to pending now, rather than being renewed forever. Returns how many did.
        """
        insert = pg_insert if self.dialect == "postgresql" else sqlite_insert
        statement = insert(DispatcherWorker).values(id=worker_id, heartbeat_at=now, started_at=now)
        await self.session.execute(
            statement.on_conflict_do_update(index_elements=["id"], set_={"heartbeat_at": now})
        )
        result = await self.session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.status == OutboxStatus.SENDING,
                OutboxMessage.claimed_by == worker_id,
            )
            .values(status=OutboxStatus.PENDING, claimed_by=None, last_error=TAKEN_OVER)
            .execution_options(synchronize_session=False)
        )
        return int(result.rowcount or 0)  # type: ignore[attr-defined]

    async def renew(self, worker_id: str, *, now: datetime) -> bool:
        """Move the heartbeat to ``now``; False when the lease was taken over meanwhile."""
        result = await self.session.execute(
            update(DispatcherWorker)
            .where(DispatcherWorker.id == worker_id)
            .values(heartbeat_at=now)
            .execution_options(synchronize_session=False)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def expire(self, *, heartbeat_before: datetime) -> int:
        """Take over the claims of every dispatcher silent since ``heartbeat_before``.

        Their entries are deleted first (which waits for, or makes fail, a renewal racing with
        this), then their ``sending`` rows go back to pending. Returns the rows put back.
        """
        dead = list(
            (
                await self.session.scalars(
                    delete(DispatcherWorker)
                    .where(DispatcherWorker.heartbeat_at < heartbeat_before)
                    .returning(DispatcherWorker.id)
                )
            ).all()
        )
        if not dead:
            return 0
        result = await self.session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.status == OutboxStatus.SENDING,
                OutboxMessage.claimed_by.in_(dead),
            )
            .values(status=OutboxStatus.PENDING, claimed_by=None, last_error=TAKEN_OVER)
            .execution_options(synchronize_session=False)
        )
        return int(result.rowcount or 0)  # type: ignore[attr-defined]

    async def oldest_holding_heartbeat(self) -> datetime | None:
        """The oldest heartbeat among dispatchers that hold claims (their lease ends first)."""
        holding = select(OutboxMessage.claimed_by).where(
            OutboxMessage.status == OutboxStatus.SENDING
        )
        value: datetime | None = await self.session.scalar(
            select(func.min(DispatcherWorker.heartbeat_at)).where(DispatcherWorker.id.in_(holding))
        )
        return value

    async def alive(self, *, heartbeat_since: datetime) -> list[str]:
        """The dispatchers whose lease runs (for operators and tests)."""
        statement = select(DispatcherWorker.id).where(
            DispatcherWorker.heartbeat_at >= heartbeat_since
        )
        return list((await self.session.scalars(statement.order_by(DispatcherWorker.id))).all())
