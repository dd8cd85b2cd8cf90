"""Participants: a community's settings, who takes part, who may be paired now, who is
findable, and who could not be reached.

Apart from rounds because a participant's state (active, paused, unreachable, left out) is
what a round reads before it pairs anyone, and what /meet commands change between rounds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import select, update
from sqlalchemy.orm import raiseload

from storage.id_lists import in_ids
from storage.models import Account, Member
from storage.models_networking import MeetParticipant, MeetSettings
from storage.repositories.networking.base import MeetBase
from storage.statuses import MeetStatus


class PairedAccount(NamedTuple):
    """One account of a member to pair: where the bot writes, how the others reach them."""

    id: int
    platform: str
    platform_user_id: str
    username: str | None


@dataclass(frozen=True, slots=True)
class Pairable:
    """A participant who may be paired now, read as a plain row with what the cards show of
    them (issue 17: not an ORM member and participant, with their accounts loaded apart)."""

    id: int
    left_out_last: bool
    display_name: str
    role: str | None
    organisation: str | None
    region: str | None
    languages: list[str]
    expertise: list[str]
    timezone: str | None
    language: str | None
    accounts: tuple[PairedAccount, ...]
    """Oldest first: the first is where the bot writes to them (``private_recipient``)."""


def _pairable(row: Any, accounts: list[PairedAccount]) -> Pairable:
    """A row of :meth:`MeetRepository.pairable` (its first account's) and all its accounts."""
    return Pairable(
        id=int(row[0]),
        left_out_last=bool(row[1]),
        display_name=row[2],
        role=row[3],
        organisation=row[4],
        region=row[5],
        languages=list(row[6] or ()),
        expertise=list(row[7] or ()),
        timezone=row[8],
        language=row[9],
        accounts=tuple(accounts),
    )


class MeetParticipants(MeetBase):
    """Settings and participants: joining, pauses, the pairable, the findable, the unreachable."""

    async def settings(self, community_id: int) -> MeetSettings:
        found = await self.session.get(MeetSettings, community_id)
        if found is None:
            found = MeetSettings(community_id=community_id)
            self.session.add(found)
            await self.session.flush()
        return found

    async def all_settings(self) -> list[MeetSettings]:
        statement = select(MeetSettings).where(MeetSettings.enabled.is_(True))
        return list((await self.session.scalars(statement)).all())

    async def participant(self, community_id: int, member_id: int) -> MeetParticipant | None:
        return await self.session.get(MeetParticipant, (community_id, member_id))

    async def join(self, community_id: int, member_id: int, now: datetime) -> MeetParticipant:
        found = await self.participant(community_id, member_id)
        if found is None:
            found = MeetParticipant(community_id=community_id, member_id=member_id, joined_at=now)
            self.session.add(found)
        found.status = MeetStatus.ACTIVE
        found.paused_until = None
        found.unreachable_since = None
        found.findable = True
        await self.session.flush()
        return found

    async def participants(self, community_id: int) -> list[tuple[MeetParticipant, Member]]:
        statement = (
            select(MeetParticipant, Member)
            .join(Member, Member.id == MeetParticipant.member_id)
            .where(MeetParticipant.community_id == community_id)
            .order_by(MeetParticipant.member_id)
        )
        return [(p, m) for p, m in (await self.session.execute(statement)).all()]

    async def resume_pauses(self, community_id: int, now: datetime) -> None:
        """Participants whose pause is over are active again: one statement."""
        await self.session.execute(
            update(MeetParticipant)
            .where(
                MeetParticipant.community_id == community_id,
                MeetParticipant.status == MeetStatus.PAUSED,
                MeetParticipant.paused_until <= now,
            )
            .values(status=MeetStatus.ACTIVE, paused_until=None)
            .execution_options(synchronize_session=False)
        )

    async def pairable(self, community_id: int) -> list[Pairable]:
        """Active, reachable participants with an account, by member id, with their accounts:
        one statement whatever their number (a row per account, grouped here)."""
        statement = (
            select(
                MeetParticipant.member_id,
                MeetParticipant.left_out_last,
                Member.display_name,
                Member.role,
                Member.organisation,
                Member.region,
                Member.languages,
                Member.expertise,
                Member.timezone,
                Member.language,
                Account.id,
                Account.platform,
                Account.platform_user_id,
                Account.username,
            )
            .join(Member, Member.id == MeetParticipant.member_id)
            .join(Account, Account.member_id == MeetParticipant.member_id)
            .where(
                MeetParticipant.community_id == community_id,
                MeetParticipant.status == MeetStatus.ACTIVE,
                MeetParticipant.unreachable_since.is_(None),
            )
            .order_by(MeetParticipant.member_id, Account.id)
        )
        first: dict[int, Any] = {}
        accounts: dict[int, list[PairedAccount]] = {}
        for row in (await self.session.execute(statement)).all():
            first.setdefault(row[0], row)
            accounts.setdefault(row[0], []).append(
                PairedAccount(row[10], row[11], row[12], row[13])
            )
        return [_pairable(row, accounts[member_id]) for member_id, row in first.items()]

    async def set_left_out(self, community_id: int, member_ids: Sequence[int]) -> None:
        """Favour ``member_ids`` next round, and nobody else of the community: one statement
        touching only the rows that change."""
        left_out = in_ids(self.session, MeetParticipant.member_id, member_ids)
        await self.session.execute(
            update(MeetParticipant)
            .where(
                MeetParticipant.community_id == community_id,
                MeetParticipant.left_out_last.is_distinct_from(left_out),
            )
            .values(left_out_last=left_out)
            .execution_options(synchronize_session=False)
        )

    async def mark_unreachable(
        self, community_id: int, member_ids: Sequence[int], now: datetime
    ) -> None:
        """Skip these participants from now on (a delivery to them failed): one statement."""
        if member_ids:
            await self.session.execute(
                update(MeetParticipant)
                .where(
                    MeetParticipant.community_id == community_id,
                    in_ids(self.session, MeetParticipant.member_id, member_ids),
                )
                .values(unreachable_since=now)
                .execution_options(synchronize_session=False)
            )

    async def findable(self, community_id: int | None = None) -> list[Member]:
        # Members once each, through IN rather than DISTINCT: PostgreSQL cannot compare the
        # JSON columns of a member row, so SELECT DISTINCT members.* fails there.
        findable = select(MeetParticipant.member_id).where(MeetParticipant.findable.is_(True))
        if community_id is not None:
            findable = findable.where(MeetParticipant.community_id == community_id)
        # without their accounts (/find shows none): loading them took a statement per 500
        statement = (
            select(Member)
            .where(Member.id.in_(findable))
            .order_by(Member.id)
            .options(raiseload(Member.accounts))
        )
        return list((await self.session.scalars(statement)).all())
