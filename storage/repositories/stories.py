"""Champions' stories (achievements) and their review."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import lazyload

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

    async def with_status_and_authors(
        self, community_id: int, status: StoryStatus
    ) -> list[tuple[Story, Member | None]]:
        """Like :meth:`with_status`, each story with its author, in one statement."""
        statement = (
            select(Story, Member)
            .outerjoin(Member, Member.id == Story.member_id)
            .where(Story.community_id == community_id, Story.status == status)
            .options(lazyload(Member.accounts))
            .order_by(Story.created_at, Story.id)
        )
        return [(story, author) for story, author in (await self.session.execute(statement)).all()]

    async def of_member(self, member_id: int) -> list[Story]:
        statement = select(Story).where(Story.member_id == member_id).order_by(Story.id)
        return list((await self.session.scalars(statement)).all())
