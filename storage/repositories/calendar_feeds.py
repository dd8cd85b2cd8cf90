"""Private calendar feeds: a member's token is found by its hash, never stored in clear."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import CalendarFeed, Member


class CalendarFeedRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def of_member(self, member_id: int) -> CalendarFeed | None:
        return await self.session.get(CalendarFeed, member_id)

    async def replace(self, member_id: int, token_hash: str, *, now: datetime) -> CalendarFeed:
        """Give the member this token (their previous one, if any, stops working)."""
        await self.session.execute(delete(CalendarFeed).where(CalendarFeed.member_id == member_id))
        feed = CalendarFeed(member_id=member_id, token_hash=token_hash, created_at=now)
        self.session.add(feed)
        await self.session.flush()
        return feed

    async def member_by_hash(self, token_hash: str) -> Member | None:
        statement = (
            select(Member)
            .join(CalendarFeed, CalendarFeed.member_id == Member.id)
            .where(CalendarFeed.token_hash == token_hash)
        )
        return (await self.session.scalars(statement)).first()
