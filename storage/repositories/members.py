"""Members and their platform accounts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Account, Member


class MemberRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, member_id: int) -> Member | None:
        return await self.session.get(Member, member_id)

    async def by_account(self, platform: str, platform_user_id: str) -> Member | None:
        statement = (
            select(Member)
            .join(Account)
            .where(Account.platform == platform, Account.platform_user_id == platform_user_id)
        )
        return (await self.session.scalars(statement)).first()

    async def by_name(self, name: str) -> list[Member]:
        statement = select(Member).where(func.lower(Member.display_name) == name.strip().lower())
        return list((await self.session.scalars(statement)).all())

    def unsaved(self, display_name: str) -> Member:
        """A member object that is never added to the session: for read-only lookups by
        someone the bot has not met (Telegram inline queries), which must leave no row."""
        return Member(display_name=display_name, language=None, languages=[], expertise=[])

    async def create(
        self,
        *,
        display_name: str,
        platform: str,
        platform_user_id: str,
        username: str | None,
        language: str | None,
        now: datetime,
    ) -> Member:
        member = Member(
            display_name=display_name,
            language=language,
            languages=[],
            expertise=[],
            created_at=now,
            updated_at=now,
        )
        member.accounts.append(
            Account(
                platform=platform,
                platform_user_id=platform_user_id,
                username=username,
                created_at=now,
            )
        )
        self.session.add(member)
        await self.session.flush()
        return member

    async def all(self) -> list[Member]:
        return list((await self.session.scalars(select(Member).order_by(Member.id))).all())

    async def delete(self, member: Member) -> None:
        await self.session.delete(member)
        await self.session.flush()
