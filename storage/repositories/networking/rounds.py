"""Rounds and pairings: each round's groups, written together, and what became of them
(introductions, outcomes, thanks), and a member's networking rows forgotten.

The history the pairing algorithm reads (who met whom) is here too: it is the pairings, read
round by round.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, func, insert, select, update

from storage.integrity import constraint_errors
from storage.models_networking import MeetExclusion, MeetPairing, MeetParticipant, MeetRound
from storage.repositories.networking.base import MeetBase
from storage.statuses import MeetOutcome


class MeetRounds(MeetBase):
    """Rounds, their pairings, and what members answered about them."""

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
