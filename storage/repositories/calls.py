"""Calls for contributors and the champions who answer them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.integrity import constraint_errors
from storage.models_calls import CallVolunteer, ContributorCall
from storage.statuses import CallStatus, VolunteerStatus


class CallRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, call: ContributorCall) -> ContributorCall:
        self.session.add(call)
        with constraint_errors():
            await self.session.flush()
        return call

    async def get(self, call_id: int) -> ContributorCall | None:
        return await self.session.get(ContributorCall, call_id)

    async def of_community(self, community_id: int, *, limit: int = 20) -> list[ContributorCall]:
        statement = (
            select(ContributorCall)
            .where(ContributorCall.community_id == community_id)
            .order_by(ContributorCall.id.desc())
            .limit(limit)
        )
        return list((await self.session.scalars(statement)).all())

    async def open_calls(self) -> list[ContributorCall]:
        statement = select(ContributorCall).where(ContributorCall.status == CallStatus.OPEN)
        return list((await self.session.scalars(statement.order_by(ContributorCall.id))).all())

    async def volunteer(self, call_id: int, member_id: int) -> CallVolunteer | None:
        return await self.session.get(CallVolunteer, (call_id, member_id))

    async def answer(
        self, call_id: int, member_id: int, platform: str, status: VolunteerStatus, now: datetime
    ) -> CallVolunteer:
        """Record (or change) a champion's answer to a call."""
        found = await self.volunteer(call_id, member_id)
        if found is None:
            found = CallVolunteer(
                call_id=call_id, member_id=member_id, platform=platform, created_at=now
            )
            self.session.add(found)
        found.status = status
        found.platform = platform
        found.updated_at = now
        await self.session.flush()
        return found

    async def volunteer_counts(
        self, call_ids: Sequence[int]
    ) -> dict[tuple[int, VolunteerStatus], int]:
        """(call id, status) → volunteers, for a listing of calls: one statement."""
        if not call_ids:
            return {}
        statement = (
            select(CallVolunteer.call_id, CallVolunteer.status, func.count())
            .where(CallVolunteer.call_id.in_(call_ids))
            .group_by(CallVolunteer.call_id, CallVolunteer.status)
        )
        rows = (await self.session.execute(statement)).all()
        return {(int(call), VolunteerStatus(status)): int(n) for call, status, n in rows}

    async def volunteers(
        self, call_id: int, status: VolunteerStatus | None = None
    ) -> list[CallVolunteer]:
        statement = select(CallVolunteer).where(CallVolunteer.call_id == call_id)
        if status is not None:
            statement = statement.where(CallVolunteer.status == status)
        statement = statement.order_by(CallVolunteer.created_at, CallVolunteer.member_id)
        return list((await self.session.scalars(statement)).all())
