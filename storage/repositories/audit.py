"""The audit log of admin actions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import AuditEntry


class AuditRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def record(
        self,
        *,
        action: str,
        actor_member_id: int | None,
        community_id: int | None,
        detail: dict[str, Any],
        now: datetime,
    ) -> AuditEntry:
        entry = AuditEntry(
            action=action,
            actor_member_id=actor_member_id,
            community_id=community_id,
            detail=detail,
            at=now,
        )
        self.session.add(entry)
        await self.session.flush()
        return entry

    async def recent(self, community_id: int | None, limit: int = 20) -> list[AuditEntry]:
        statement = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        if community_id is not None:
            statement = statement.where(AuditEntry.community_id == community_id)
        return list((await self.session.scalars(statement.limit(limit))).all())
