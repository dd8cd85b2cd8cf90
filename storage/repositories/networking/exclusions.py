""" "Not with": the pairs of members who asked never to be grouped together.

Its own module because an exclusion is a member's wish about another member, read by every
round (a whole round's participants at once) and by /meet, whatever the rounds hold.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from storage.id_lists import in_ids
from storage.models_networking import MeetExclusion
from storage.repositories.networking.base import MeetBase


class MeetExclusions(MeetBase):
    """Adds and reads the "not with" pairs."""

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
