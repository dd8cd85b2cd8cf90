"""Figures: counts of participants, rounds, answers and pairs, computed by the database.

Apart from the rounds because they are reports (/meet stats, the admin dashboard), read-only
aggregate queries that never change what a round does.
"""

from __future__ import annotations

from sqlalchemy import Subquery, case, func, select
from sqlalchemy.orm import aliased

from storage.models import Member
from storage.models_networking import MeetPairing, MeetParticipant, MeetRound
from storage.repositories.networking.base import MeetBase
from storage.statuses import MeetOutcome, MeetStatus


class MeetFigures(MeetBase):
    """Counts over a community's participants, rounds and pairs."""

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
