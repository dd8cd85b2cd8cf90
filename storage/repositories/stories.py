"""Champions' stories (achievements) and their review."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Member, Story
from storage.statuses import StoryStatus


class StoryRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, story: Story) -> Story:
        self.session.add(story)
        await self.session.flush()
        return story

    async def get(self, story_id: int) -> Story | None:
        return await self.session.get(Story, story_id)

    async def with_status(self, community_id: int, status: StoryStatus) -> list[Story]:
        statement = (
            select(Story)
            .where(Story.community_id == community_id, Story.status == status)
            .order_by(Story.created_at, Story.id)
        )
        return list((await self.session.scalars(statement)).all())

    async def of_member(self, member_id: int) -> list[Story]:
        statement = select(Story).where(Story.member_id == member_id).order_by(Story.id)
        return list((await self.session.scalars(statement)).all())

    async def approved_for_export(
        self, community_id: int
    ) -> list[tuple[str, datetime, str | None, bool | None, str | None]]:
        """(text, created at, author's name, their consent to publish, their region) of each
        approved story, oldest first: plain columns, as an export of 30k stories needs (no
        ORM objects built). The author's columns are None when the author is gone."""
        statement = (
            select(
                Story.text,
                Story.created_at,
                Member.display_name,
                Member.consent_publish,
                Member.region,
            )
            .outerjoin(Member, Member.id == Story.member_id)
            .where(Story.community_id == community_id, Story.status == StoryStatus.APPROVED)
            .order_by(Story.created_at, Story.id)
        )
        return [tuple(row) for row in (await self.session.execute(statement)).all()]  # type: ignore[misc]
