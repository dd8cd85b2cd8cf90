"""Pairing rounds: who takes part, who met whom, and each round's groups."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import Subquery, case, delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased, raiseload

from storage.id_lists import in_ids
from storage.integrity import constraint_errors
from storage.models import Account, Member
from storage.models_networking import (
    MeetExclusion,
    MeetPairing,
    MeetParticipant,
    MeetRound,
    MeetSettings,
)
from storage.statuses import MeetOutcome, MeetStatus


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


class MeetRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # settings and participants

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

    # "not with"

    async def exclude(self, member_id: int, other_id: int) -> None:
        if await self.session.get(MeetExclusion, (member_id, other_id)) is None:
            self.session.add(MeetExclusion(member_id=member_id, other_id=other_id))
            await self.session.flush()

    async def exclusions(self, member_ids: Sequence[int]) -> list[tuple[int, int]]:
        """Every "not with" pair that involves one of ``member_ids`` (a whole round's
        participants: the ids go as one bound value, however many)."""
        statement = select(MeetExclusion.member_id, MeetExclusion.other_id).where(
            in_ids(self.session, MeetExclusion.member_id, member_ids)
            | in_ids(self.session, MeetExclusion.other_id, member_ids)
        )
        return [(a, b) for a, b in (await self.session.execute(statement)).all()]

    async def excluded_by(self, member_id: int) -> list[int]:
        statement = select(MeetExclusion.other_id).where(MeetExclusion.member_id == member_id)
        return list((await self.session.scalars(statement)).all())

    # rounds and pairings

    async def round_by_key(self, key: str) -> MeetRound | None:
        return await self.session.scalar(select(MeetRound).where(MeetRound.key == key))

    async def rounds(self, community_id: int) -> list[MeetRound]:
        statement = (
            select(MeetRound)
            .where(MeetRound.community_id == community_id)
            .order_by(MeetRound.number)
        )
        return list((await self.session.scalars(statement)).all())

    async def latest_round(self, community_id: int) -> MeetRound | None:
        statement = (
            select(MeetRound)
            .where(MeetRound.community_id == community_id)
            .order_by(MeetRound.number.desc())
            .limit(1)
        )
        return await self.session.scalar(statement)

    async def next_number(self, community_id: int) -> int:
        statement = select(func.max(MeetRound.number)).where(MeetRound.community_id == community_id)
        return int(await self.session.scalar(statement) or 0) + 1

    async def add_round(
        self,
        community_id: int,
        key: str,
        number: int,
        starts_at: datetime,
        ends_at: datetime,
        groups: Sequence[Sequence[int]],
    ) -> MeetRound:
        """The round and all its pairings, written together (a duplicate key raises)."""
        meet_round = MeetRound(
            community_id=community_id, key=key, number=number, starts_at=starts_at, ends_at=ends_at
        )
        self.session.add(meet_round)
        with constraint_errors():
            await self.session.flush()
        rows = [
            {"round_id": meet_round.id, "group_number": group_number, "member_id": member_id}
            for group_number, group in enumerate(groups, start=1)
            for member_id in group
        ]
        if rows:  # one multi-row insert, not one per member
            await self.session.execute(insert(MeetPairing), rows)
        return meet_round

    async def participant_counts(self, community_id: int) -> dict[MeetStatus, int]:
        """Participants per status, counted by the database."""
        statement = (
            select(MeetParticipant.status, func.count())
            .where(MeetParticipant.community_id == community_id)
            .group_by(MeetParticipant.status)
        )
        return {status: int(n) for status, n in (await self.session.execute(statement)).all()}

    async def round_figures(self, community_id: int) -> tuple[int, int, int]:
        """(rounds, pairings with an answer, pairings that met) of the community."""
        rounds = await self.session.scalar(
            select(func.count())
            .select_from(MeetRound)
            .where(MeetRound.community_id == community_id)
        )
        met = func.coalesce(func.sum(case((MeetPairing.outcome == MeetOutcome.MET, 1), else_=0)), 0)
        answers, met_count = (
            await self.session.execute(
                select(func.count(MeetPairing.outcome), met)
                .join(MeetRound, MeetRound.id == MeetPairing.round_id)
                .where(MeetRound.community_id == community_id)
            )
        ).one()
        return int(rounds or 0), int(answers or 0), int(met_count or 0)

    def _pairs(self, community_id: int) -> Subquery:
        """Every pair of members grouped together in a round (lower id first), once per round."""
        first, second = aliased(MeetPairing), aliased(MeetPairing)
        return (
            select(first.member_id.label("a"), second.member_id.label("b"))
            .join(
                second,
                (second.round_id == first.round_id)
                & (second.group_number == first.group_number)
                & (second.member_id > first.member_id),
            )
            .join(MeetRound, MeetRound.id == first.round_id)
            .where(MeetRound.community_id == community_id)
            .subquery()
        )

    async def pair_counts(self, community_id: int) -> tuple[int, int]:
        """(pairs formed in all rounds, distinct pairs): the difference is the repeats."""
        pairs = self._pairs(community_id)
        per_pair = (
            select(func.count().label("n")).select_from(pairs).group_by(pairs.c.a, pairs.c.b)
        ).subquery()
        total, distinct = (
            await self.session.execute(
                select(func.coalesce(func.sum(per_pair.c.n), 0), func.count()).select_from(per_pair)
            )
        ).one()
        return int(total or 0), int(distinct or 0)

    async def region_pairs(self, community_id: int) -> list[tuple[str, str, int]]:
        """(region of the lower id, region of the other, pairs) over all rounds, counting only
        participants of the community whose region is known."""
        pairs = self._pairs(community_id)
        first, second = aliased(Member), aliased(Member)
        joined_a, joined_b = aliased(MeetParticipant), aliased(MeetParticipant)
        statement = (
            select(first.region, second.region, func.count())
            .select_from(pairs)
            .join(joined_a, (joined_a.member_id == pairs.c.a)
                  & (joined_a.community_id == community_id))
            .join(joined_b, (joined_b.member_id == pairs.c.b)
                  & (joined_b.community_id == community_id))
            .join(first, first.id == pairs.c.a)
            .join(second, second.id == pairs.c.b)
            .where(first.region.is_not(None), first.region != "",
                   second.region.is_not(None), second.region != "")
            .group_by(first.region, second.region)
        )  # fmt: skip
        return [(str(a), str(b), int(n)) for a, b, n in (await self.session.execute(statement))]

    async def pairings(self, round_id: int) -> list[MeetPairing]:
        statement = (
            select(MeetPairing)
            .where(MeetPairing.round_id == round_id)
            .order_by(MeetPairing.group_number, MeetPairing.member_id)
        )
        return list((await self.session.scalars(statement)).all())

    async def history(self, community_id: int) -> list[tuple[int, int, int]]:
        """Every (round number, group number, member id) of the community, oldest first."""
        statement = (
            select(MeetRound.number, MeetPairing.group_number, MeetPairing.member_id)
            .join(MeetRound, MeetRound.id == MeetPairing.round_id)
            .where(MeetRound.community_id == community_id)
            .order_by(MeetRound.number, MeetPairing.group_number)
        )
        return [(r, g, m) for r, g, m in (await self.session.execute(statement)).all()]

    async def pairings_of(self, member_id: int) -> list[tuple[MeetRound, MeetPairing]]:
        """A member's pairings, newest round first (for /mydata and /meet say)."""
        statement = (
            select(MeetRound, MeetPairing)
            .join(MeetPairing, MeetPairing.round_id == MeetRound.id)
            .where(MeetPairing.member_id == member_id)
            .order_by(MeetRound.starts_at.desc())
        )
        return [(r, p) for r, p in (await self.session.execute(statement)).all()]

    async def record_intro(self, round_id: int, member_id: int, message_id: str) -> None:
        """Remember the platform id of the introduction a member got (a reply to it relays)."""
        await self.session.execute(
            update(MeetPairing)
            .where(MeetPairing.round_id == round_id, MeetPairing.member_id == member_id)
            .values(intro_message_id=message_id)
        )

    async def pairing_by_intro(
        self, member_id: int, message_id: str
    ) -> tuple[MeetRound, MeetPairing] | None:
        """The member's pairing whose introduction has this platform message id, if any."""
        statement = (
            select(MeetRound, MeetPairing)
            .join(MeetPairing, MeetPairing.round_id == MeetRound.id)
            .where(MeetPairing.member_id == member_id, MeetPairing.intro_message_id == message_id)
            .order_by(MeetRound.starts_at.desc())
            .limit(1)
        )
        found = (await self.session.execute(statement)).first()
        return (found[0], found[1]) if found else None

    async def record_outcome(
        self, round_id: int, member_id: int, outcome: MeetOutcome, thanks: str | None = None
    ) -> MeetPairing | None:
        pairing = await self.session.scalar(
            select(MeetPairing).where(
                MeetPairing.round_id == round_id, MeetPairing.member_id == member_id
            )
        )
        if pairing is not None:
            pairing.outcome = outcome
            if thanks is not None:
                pairing.thanks = thanks
            await self.session.flush()
        return pairing

    async def forget(self, member_id: int) -> None:
        """Remove a member's networking rows (the member's deletion cascades them anyway)."""
        for model in (MeetPairing, MeetParticipant):
            await self.session.execute(delete(model).where(model.member_id == member_id))
        await self.session.execute(
            delete(MeetExclusion).where(
                (MeetExclusion.member_id == member_id) | (MeetExclusion.other_id == member_id)
            )
        )
