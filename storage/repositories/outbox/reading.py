"""Reading the outbox: rows by key, when the next chat can go on, counts and backlogs.

Nothing here writes: these are the reads of features (a fan-out's rows and counts), of the
dispatcher's wake-ups (``next_due_at``, ``early_backlog``) and of metrics and admins
(``backlog``, ``counts``, ``missed``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, func, not_, or_, select

from storage.models import OutboxMessage
from storage.repositories.outbox.base import OutboxBase
from storage.repositories.outbox.chat_order import earlier_in_chat, early_eligible
from storage.statuses import OutboxStatus


@dataclass(frozen=True)
class Backlog:
    """What waits in the outbox for one kind of message (for metrics)."""

    kind: str
    waiting: int
    """Rows not sent yet (pending or being sent), due now or later."""
    due: int
    """Of those, the rows already due."""
    oldest_due_at: datetime | None
    """The due time of the oldest row already due, if any."""


class OutboxReading(OutboxBase):
    """Reads rows, wake-up times and counts."""

    async def get(self, key: str) -> OutboxMessage | None:
        statement = select(OutboxMessage).where(OutboxMessage.idempotency_key == key)
        return (await self.session.scalars(statement)).first()

    async def with_prefix(self, key_prefix: str) -> list[OutboxMessage]:
        statement = (
            select(OutboxMessage)
            .where(OutboxMessage.idempotency_key.startswith(key_prefix, autoescape=True))
            .order_by(OutboxMessage.due_at, OutboxMessage.id)
        )
        return list((await self.session.scalars(statement)).all())

    async def next_due_at(
        self,
        platforms: Iterable[str] | None = None,
        *,
        early: Mapping[str, timedelta] | None = None,
        early_kinds: Sequence[str] = (),
    ) -> datetime | None:
        """When the earliest chat can go on (None when nothing waits).

        Only the first unfinished row of each chat counts: the rows behind it wait for it, not
        for their own due time. ``early``: per platform, how long before their due time the
        first attempt of ``early_kinds`` rows may leave.
        """
        eligible = early_eligible(OutboxMessage, early_kinds)
        statement = (
            select(OutboxMessage.platform, eligible, func.min(OutboxMessage.due_at))
            .where(
                OutboxMessage.status == OutboxStatus.PENDING,
                not_(earlier_in_chat(OutboxStatus.PENDING, OutboxStatus.SENDING)),
            )
            .group_by(OutboxMessage.platform, eligible)
        )
        if platforms is not None:
            statement = statement.where(OutboxMessage.platform.in_(list(platforms)))
        moments = [
            due - ((early or {}).get(platform, timedelta(0)) if is_early else timedelta(0))
            for platform, is_early, due in (await self.session.execute(statement)).all()
        ]
        return min(moments, default=None)

    async def early_backlog(
        self, platform: str, *, kinds: Sequence[str], due_by: datetime, priority: int
    ) -> int:
        """What must leave on ``platform`` before fan-outs of ``kinds`` due by ``due_by`` are
        through: their first attempts, and the rows due by then that go before or with them
        (``priority`` or more urgent, which includes bulk rows queued ahead of them in their
        chats, since those take their priority). The size of a fan-out that may have to start
        early to be on time."""
        statement = select(func.count()).where(
            OutboxMessage.status == OutboxStatus.PENDING,
            OutboxMessage.platform == platform,
            OutboxMessage.due_at <= due_by,
            or_(early_eligible(OutboxMessage, kinds), OutboxMessage.priority <= priority),
        )
        return int(await self.session.scalar(statement) or 0)

    async def counts_with_prefix(self, key_prefix: str) -> dict[OutboxStatus, int]:
        """Rows per status among those whose key starts with ``key_prefix`` (one fan-out)."""
        statement = (
            select(OutboxMessage.status, func.count())
            .where(OutboxMessage.idempotency_key.startswith(key_prefix, autoescape=True))
            .group_by(OutboxMessage.status)
        )
        return {status: int(n) for status, n in (await self.session.execute(statement)).all()}

    async def backlog(self, now: datetime) -> list[Backlog]:
        """Per kind: the rows waiting, those already due, and the oldest due time."""
        due = OutboxMessage.due_at <= now
        statement = (
            select(
                OutboxMessage.kind,
                func.count(),
                func.count(case((due, 1))),
                func.min(case((due, OutboxMessage.due_at))),
            )
            .where(OutboxMessage.status.in_([OutboxStatus.PENDING, OutboxStatus.SENDING]))
            .group_by(OutboxMessage.kind)
            .order_by(OutboxMessage.kind)
        )
        rows = (await self.session.execute(statement)).all()
        return [Backlog(kind, int(total), int(due), oldest) for kind, total, due, oldest in rows]

    async def counts(self) -> dict[OutboxStatus, int]:
        statement = select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
        return {status: int(n) for status, n in (await self.session.execute(statement)).all()}

    async def missed(
        self, *, community_id: int | None = None, limit: int = 50
    ) -> list[OutboxMessage]:
        """Rows recorded as missed (newest first), for admins."""
        statement = select(OutboxMessage).where(OutboxMessage.status == OutboxStatus.MISSED)
        if community_id is not None:
            statement = statement.where(OutboxMessage.community_id == community_id)
        statement = statement.order_by(OutboxMessage.due_at.desc(), OutboxMessage.id.desc())
        return list((await self.session.scalars(statement.limit(limit))).all())
