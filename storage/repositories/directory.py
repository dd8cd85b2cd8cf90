"""What ``/find`` searches: the champions who may be found, and the log of changes to them.

The rows are plain tuples (no member objects): the directory index of a 30k community is built
from one statement. The log (``directory_changes``) is written by triggers (migration 0030).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Text, cast, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import raiseload

from storage.json_lists import ListTexts
from storage.models import Member
from storage.models_networking import DirectoryChange, MeetParticipant
from storage.repositories.change_logs import log_changes, log_version

DirectoryRow = tuple[int, str, str | None, str | None, list[str], str | None, list[str], str | None]
"""id, name, organisation, bio, expertise, region, languages, role: what /find ranks and filters."""

CHUNK = 500


class DirectoryRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def index_version(self) -> int:
        """The directory's version: the newest change's number (one index lookup)."""
        return await log_version(self.session, DirectoryChange)

    async def index_changes(
        self, after: int, limit: int, ids: Sequence[int] = ()
    ) -> list[tuple[int, int, int]] | None:
        """(change, community, member) after version ``after`` and those numbered ``ids``
        (gaps seen earlier), oldest first; None when more than ``limit`` changed."""
        return await log_changes(
            self.session, DirectoryChange, DirectoryChange.member_id, after, limit, ids
        )

    async def index_communities(self) -> list[int]:
        """The communities with someone to find (whose indexes are worth building at start)."""
        statement = (
            select(MeetParticipant.community_id)
            .where(MeetParticipant.findable.is_(True))
            .distinct()
            .order_by(MeetParticipant.community_id)
        )
        return [int(found) for found in (await self.session.scalars(statement)).all()]

    async def index_rows(
        self, community_id: int, member_ids: Sequence[int] | None = None
    ) -> list[DirectoryRow]:
        """The community's findable members (all, or those of ``member_ids``): one statement,
        or one per 500 ids."""
        if member_ids is None:
            return await self._rows(community_id, None)
        found: list[DirectoryRow] = []
        ids = list(member_ids)
        for start in range(0, len(ids), CHUNK):
            found += await self._rows(community_id, ids[start : start + CHUNK])
        return found

    async def index_latest(self, community_id: int, limit: int) -> list[DirectoryRow]:
        """The ``limit`` findable members who joined last (what a search answers from before
        the community's whole index is built)."""
        return await self._rows(community_id, None, latest=limit)

    async def _rows(
        self, community_id: int, ids: list[int] | None, *, latest: int | None = None
    ) -> list[DirectoryRow]:
        statement = (
            select(
                Member.id,
                Member.display_name,
                Member.organisation,
                Member.bio,
                cast(Member.expertise, Text),
                Member.region,
                cast(Member.languages, Text),
                Member.role,
            )
            .join(MeetParticipant, MeetParticipant.member_id == Member.id)
            .where(MeetParticipant.community_id == community_id, MeetParticipant.findable.is_(True))
        )
        if ids is not None:
            statement = statement.where(Member.id.in_(ids))
        if latest is not None:
            statement = statement.order_by(Member.id.desc()).limit(latest)
        else:
            statement = statement.order_by(Member.id)
        as_list = ListTexts()
        return [
            (int(i), name, organisation, bio, as_list(expertise), region, as_list(languages), role)
            for i, name, organisation, bio, expertise, region, languages, role
            in (await self.session.execute(statement)).all()
        ]  # fmt: skip

    async def members(self, member_ids: Sequence[int]) -> list[Member]:
        """Members by id, without their accounts (what a search shows): one statement."""
        if not member_ids:
            return []
        statement = (
            select(Member)
            .where(Member.id.in_(list(member_ids)))
            .options(raiseload(Member.accounts))
        )
        return list((await self.session.scalars(statement)).all())
