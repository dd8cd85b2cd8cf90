"""Key-value facts adapters keep between starts (Discord's synced command hash)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import AdapterState


class AdapterStateRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, key: str) -> str | None:
        row = await self.session.get(AdapterState, key)
        return row.value if row else None

    async def put(self, key: str, value: str, now: datetime) -> None:
        row = await self.session.get(AdapterState, key)
        if row is None:
            self.session.add(AdapterState(key=key, value=value, updated_at=now))
        else:
            row.value = value
            row.updated_at = now
        await self.session.flush()
