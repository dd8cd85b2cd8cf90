"""Shared files: stored with their contribution, served once approved."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import undefer

from storage.models_calls import ResourceHealth
from storage.models_contributions import Contribution, SharedFile
from storage.repositories.contributions import OPEN_STATUSES


class SharedFileRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, shared: SharedFile) -> SharedFile:
        self.session.add(shared)
        await self.session.flush()
        return shared

    async def of_contribution(
        self, contribution_id: int, *, with_data: bool = False
    ) -> SharedFile | None:
        statement = select(SharedFile).where(SharedFile.contribution_id == contribution_id)
        if with_data:
            statement = statement.options(undefer(SharedFile.data))
        return await self.session.scalar(statement)

    async def of_contributions(
        self, contribution_ids: Sequence[int], *, with_data: bool = False
    ) -> dict[int, SharedFile]:
        """Contribution id → its file, for a capped listing (``/review``) in one statement."""
        if not contribution_ids:
            return {}
        statement = select(SharedFile).where(SharedFile.contribution_id.in_(list(contribution_ids)))
        if with_data:
            statement = statement.options(undefer(SharedFile.data))
        found = (await self.session.scalars(statement)).all()
        return {f.contribution_id: f for f in found if f.contribution_id is not None}

    async def of_member(self, member_id: int) -> list[SharedFile]:
        """Files of the member's contributions not approved yet (approved ones are the hub's)."""
        statement = (
            select(SharedFile)
            .join(Contribution, Contribution.id == SharedFile.contribution_id)
            .where(Contribution.contributor_member_id == member_id)
            .order_by(SharedFile.id)
        )
        return list((await self.session.scalars(statement)).all())

    async def served(self, token: str) -> SharedFile | None:
        """The approved file with this token, its bytes loaded; ``None`` for any other, and
        for the file of a retired resource (out of the hub, so not served either)."""
        return await self.session.scalar(
            select(SharedFile)
            .outerjoin(ResourceHealth, ResourceHealth.resource_id == SharedFile.resource_id)
            .where(
                SharedFile.token == token,
                SharedFile.resource_id.is_not(None),
                ResourceHealth.retired_at.is_(None),
            )
            .options(undefer(SharedFile.data))
        )

    async def same_content(
        self, sha256: str, exclude_contribution: int | None = None
    ) -> tuple[str, int] | None:
        """Where a file with this content already is: ``("catalogue", resource id)`` or
        ``("queue", contribution id)`` for one not decided yet; ``None`` when nowhere."""
        rows = (
            await self.session.execute(
                select(SharedFile.resource_id, SharedFile.contribution_id, Contribution.status)
                .outerjoin(Contribution, Contribution.id == SharedFile.contribution_id)
                .where(SharedFile.sha256 == sha256)
                .order_by(SharedFile.id)
            )
        ).all()
        for resource_id, _contribution, _status in rows:
            if resource_id is not None:
                return "catalogue", int(resource_id)
        for _resource, contribution_id, status in rows:
            if contribution_id not in (None, exclude_contribution) and status in OPEN_STATUSES:
                return "queue", int(contribution_id)
        return None

    async def approve(self, contribution_id: int, resource_id: int, now: datetime) -> bool:
        """Tie the contribution's file to the resource it became, and detach it from the
        contribution (it is the hub's now, and stays when the contributor is forgotten)."""
        shared = await self.of_contribution(contribution_id)
        if shared is None:
            return False
        shared.resource_id = resource_id
        shared.contribution_id = None
        shared.approved_at = now
        await self.session.flush()
        return True

    async def drop_of_contribution(self, contribution_id: int) -> int:
        """Delete a declined contribution's file: nothing will ever serve it."""
        result = await self.session.execute(
            delete(SharedFile).where(SharedFile.contribution_id == contribution_id)
        )
        return int(getattr(result, "rowcount", 0) or 0)
