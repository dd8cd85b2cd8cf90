"""What the outbox holds of a member, for privacy: found for their inventory, deleted when
they are forgotten, and the copies of old messages pruned after their retention.

Kept apart because only ``bot.features.privacy`` calls it, and because it matches rows by who
they are for, not by their place in a chat's queue.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, or_, select

from storage.models import OutboxMessage
from storage.repositories.outbox.base import OutboxBase
from storage.repositories.personal_data import mentions_any
from storage.statuses import FINAL_OUTBOX_STATUSES


class OutboxPersonalData(OutboxBase):
    """The rows for a member or mentioning them; the done rows past their retention."""

    def _to(self, member_id: int, accounts: Iterable[tuple[str, str]]) -> Any:
        """Rows for the member: tagged with their id, or sent privately to one of their
        accounts (private chats are addressed by platform user id)."""
        private = [
            (OutboxMessage.private.is_(True))
            & (OutboxMessage.platform == platform)
            & (OutboxMessage.chat_id == user_id)
            for platform, user_id in accounts
        ]
        return or_(OutboxMessage.member_id == member_id, *private)

    async def addressed_to(
        self, member_id: int, accounts: Iterable[tuple[str, str]]
    ) -> list[OutboxMessage]:
        statement = select(OutboxMessage).where(self._to(member_id, accounts))
        return list((await self.session.scalars(statement.order_by(OutboxMessage.id))).all())

    async def delete_addressed_to(self, member_id: int, accounts: Iterable[tuple[str, str]]) -> int:
        """Delete every row for the member, whatever its status (queued, or a sent copy)."""
        statement = delete(OutboxMessage).where(self._to(member_id, accounts))
        result = await self.session.execute(statement.execution_options(synchronize_session=False))
        return int(result.rowcount or 0)  # type: ignore[attr-defined]

    async def mentioning(self, fragments: Sequence[str]) -> list[OutboxMessage]:
        """Rows whose payload may contain one of ``fragments`` (a pre-filter; see
        :func:`storage.repositories.personal_data.mentions_any`)."""
        statement = select(OutboxMessage).where(mentions_any(OutboxMessage.payload, fragments))
        return list((await self.session.scalars(statement.order_by(OutboxMessage.id))).all())

    async def prune_done(self, *, due_before: datetime) -> int:
        """Delete the rows that are done (sent, failed, missed) and were due before
        ``due_before``: the copies of old messages are not kept for ever."""
        statement = delete(OutboxMessage).where(
            OutboxMessage.status.in_(list(FINAL_OUTBOX_STATUSES)),
            OutboxMessage.due_at < due_before,
        )
        result = await self.session.execute(statement.execution_options(synchronize_session=False))
        return int(result.rowcount or 0)  # type: ignore[attr-defined]
