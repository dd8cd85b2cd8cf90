"""Curation help for the hub: members' votes and flags, the link check's memory, retirement."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import case, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Resource
from storage.models_calls import ResourceFlag, ResourceHealth, ResourceVote
from storage.statuses import FlagReason, FlagStatus


class CurationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # votes

    async def vote(self, resource_id: int, member_id: int, helpful: bool, now: datetime) -> bool:
        """Set the member's vote; True when it changed something."""
        found = await self.session.get(ResourceVote, (resource_id, member_id))
        if found is not None and found.helpful == helpful:
            return False
        if found is None:
            found = ResourceVote(resource_id=resource_id, member_id=member_id)
            self.session.add(found)
        found.helpful = helpful
        found.updated_at = now
        await self.session.flush()
        return True

    async def tallies(self) -> dict[int, tuple[int, int]]:
        """resource id → (helpful, not helpful), for every voted resource."""
        rows = await self.session.execute(
            select(ResourceVote.resource_id, ResourceVote.helpful, func.count()).group_by(
                ResourceVote.resource_id, ResourceVote.helpful
            )
        )
        found: dict[int, tuple[int, int]] = {}
        for resource_id, is_helpful, count in rows.all():
            up, down = found.get(resource_id, (0, 0))
            found[resource_id] = (up + count, down) if is_helpful else (up, down + count)
        return found

    async def votes_fingerprint(self) -> tuple[object, ...]:
        """What changes whenever the tallies do (the hub caches its vote weights until then).

        Not ``max(updated_at)`` alone: a vote written with an earlier time than the newest
        (its transaction read the clock before another's committed, or another process's clock
        is behind) would leave it unchanged. The sums move with any added, removed or flipped
        vote (two opposite flips on one resource leave its tally, hence the weights, as
        they were); the time stays as a last tie-breaker."""
        helpful = case((ResourceVote.helpful, 1), else_=0)
        helpful_at = case((ResourceVote.helpful, ResourceVote.resource_id), else_=0)
        row = (
            await self.session.execute(
                select(
                    func.count(),
                    func.coalesce(func.sum(helpful), 0),
                    func.coalesce(func.sum(helpful_at), 0),
                    func.coalesce(func.sum(ResourceVote.resource_id), 0),
                    func.max(ResourceVote.updated_at),
                ).select_from(ResourceVote)
            )
        ).one()
        return tuple(row)

    # flags

    async def open_flag(
        self, resource_id: int, member_id: int | None, reason: FlagReason | None = None
    ) -> ResourceFlag | None:
        statement = select(ResourceFlag).where(
            ResourceFlag.resource_id == resource_id,
            ResourceFlag.status == FlagStatus.OPEN,
            ResourceFlag.member_id.is_(None)
            if member_id is None
            else ResourceFlag.member_id == member_id,
        )
        if reason is not None:
            statement = statement.where(ResourceFlag.reason == reason)
        return (await self.session.scalars(statement.limit(1))).first()

    async def flag(
        self,
        resource_id: int,
        member_id: int | None,
        reason: FlagReason,
        now: datetime,
        detail: str = "",
    ) -> tuple[ResourceFlag, bool]:
        """One open flag per member (or the link check) and resource: a second one changes its
        reason. Returns the flag and whether it is new."""
        found = await self.open_flag(resource_id, member_id)
        if found is not None:
            found.reason = reason
            found.detail = detail[:200]
            await self.session.flush()
            return found, False
        found = ResourceFlag(
            resource_id=resource_id,
            member_id=member_id,
            reason=reason,
            detail=detail[:200],
            status=FlagStatus.OPEN,
            created_at=now,
        )
        self.session.add(found)
        await self.session.flush()
        return found, True

    async def open_flags(
        self, community_ids: set[int | None] | None, *, limit: int = 30
    ) -> list[tuple[ResourceFlag, Resource]]:
        """Open flags on the resources these communities curate (``None`` in the set: the
        shared catalogue; ``None`` for the set: every resource), oldest first."""
        statement = (
            select(ResourceFlag, Resource)
            .join(Resource, Resource.id == ResourceFlag.resource_id)
            .where(ResourceFlag.status == FlagStatus.OPEN)
        )
        if community_ids is not None:
            named = [c for c in community_ids if c is not None]
            clauses = [Resource.community_id.in_(named)] if named else []
            if None in community_ids:
                clauses.append(Resource.community_id.is_(None))
            if not clauses:
                return []
            statement = statement.where(or_(*clauses))
        statement = statement.order_by(ResourceFlag.created_at, ResourceFlag.id).limit(limit)
        return [(flag, resource) for flag, resource in (await self.session.execute(statement))]

    async def resolve_flags(self, resource_id: int, now: datetime) -> int:
        statement = select(ResourceFlag).where(
            ResourceFlag.resource_id == resource_id, ResourceFlag.status == FlagStatus.OPEN
        )
        flags = list((await self.session.scalars(statement)).all())
        for flag in flags:
            flag.status = FlagStatus.RESOLVED
            flag.resolved_at = now
        await self.session.flush()
        return len(flags)

    # link check and retirement

    async def health(self, resource_id: int) -> ResourceHealth:
        found = await self.session.get(ResourceHealth, resource_id)
        if found is None:
            found = ResourceHealth(resource_id=resource_id, failures=0)
            self.session.add(found)
            await self.session.flush()
        return found

    async def retired_ids(self) -> set[int]:
        statement = select(ResourceHealth.resource_id).where(ResourceHealth.retired_at.is_not(None))
        return set((await self.session.scalars(statement)).all())

    async def due_for_check(self, now: datetime, limit: int) -> list[tuple[int, str]]:
        """(resource id, url) of links never checked or due again, never-checked first."""
        statement = (
            select(Resource.id, Resource.url)
            .outerjoin(ResourceHealth, ResourceHealth.resource_id == Resource.id)
            .where(
                Resource.url.is_not(None),
                Resource.url != "",
                ResourceHealth.retired_at.is_(None),
                or_(ResourceHealth.next_check_at.is_(None), ResourceHealth.next_check_at <= now),
            )
            .order_by(ResourceHealth.next_check_at.is_not(None), ResourceHealth.next_check_at,
                      Resource.id)
            .limit(limit)
        )  # fmt: skip
        return [(rid, str(url)) for rid, url in (await self.session.execute(statement)).all()]
