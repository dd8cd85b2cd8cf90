"""Contributions: the review queue of shared resources and good practices."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Member
from storage.models_contributions import Contribution
from storage.statuses import ContributionKind, ContributionStatus

OPEN_STATUSES = (
    ContributionStatus.DRAFT,
    ContributionStatus.PENDING,
    ContributionStatus.CHANGES_REQUESTED,
)
"""Not decided yet: a duplicate of one of these is caught like one in the catalogue."""


class PracticeRow(NamedTuple):
    """What the good-practice export reads of an approved write-up."""

    id: int
    title: str
    contributor_member_id: int
    community_id: int
    written_in: str
    reviewed_at: datetime | None
    updated_at: datetime
    sections: dict[str, Any]
    publish_consent: bool


class ContributionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, contribution: Contribution) -> Contribution:
        self.session.add(contribution)
        await self.session.flush()
        return contribution

    async def get(self, contribution_id: int) -> Contribution | None:
        return await self.session.get(Contribution, contribution_id)

    async def queue(self, community_id: int | None, limit: int = 20) -> list[Contribution]:
        """Waiting for review, oldest first (``None``: every community's, for the secretariat)."""
        statement = select(Contribution).where(Contribution.status == ContributionStatus.PENDING)
        if community_id is not None:
            statement = statement.where(Contribution.community_id == community_id)
        statement = statement.order_by(Contribution.submitted_at, Contribution.id).limit(limit)
        return list((await self.session.scalars(statement)).all())

    async def of_member(self, member_id: int, limit: int = 20) -> list[Contribution]:
        statement = (
            select(Contribution)
            .where(Contribution.contributor_member_id == member_id)
            .order_by(Contribution.id.desc())
            .limit(limit)
        )
        return list((await self.session.scalars(statement)).all())

    async def draft_practice(self, member_id: int) -> Contribution | None:
        """The good practice this member is writing (one at a time), if any."""
        statement = select(Contribution).where(
            Contribution.contributor_member_id == member_id,
            Contribution.kind == ContributionKind.PRACTICE,
            Contribution.status == ContributionStatus.DRAFT,
        )
        return (await self.session.scalars(statement.order_by(Contribution.id))).first()

    async def open_with_url(self, url_key: str, exclude: int | None = None) -> Contribution | None:
        statement = select(Contribution).where(
            Contribution.url_key == url_key, Contribution.status.in_(OPEN_STATUSES)
        )
        if exclude is not None:
            statement = statement.where(Contribution.id != exclude)
        return (await self.session.scalars(statement.limit(1))).first()

    async def open_titles(self, kind: ContributionKind) -> list[tuple[int, str]]:
        """(id, folded title) of every undecided contribution of ``kind``."""
        statement = select(Contribution.id, Contribution.title_key).where(
            Contribution.kind == kind,
            Contribution.status.in_(OPEN_STATUSES),
            Contribution.title_key != "",
        )
        return [(row[0], row[1]) for row in (await self.session.execute(statement)).all()]

    async def approved_between(
        self, community_id: int, since: datetime, until: datetime, limit: int
    ) -> tuple[list[Contribution], int]:
        """The first ``limit`` contributions approved in [since, until) that may be shown (a
        good practice only with its author's consent), and how many there are in all: the
        digest lists ten of a week that may hold thousands, so the database filters, cuts
        and counts in one
        statement (loading 18,000 rows to keep ten took a second at 30k)."""
        shown = (
            Contribution.community_id == community_id,
            Contribution.status == ContributionStatus.APPROVED,
            Contribution.reviewed_at >= since,
            Contribution.reviewed_at < until,
            (Contribution.kind != ContributionKind.PRACTICE)
            | Contribution.publish_consent.is_(True),
        )
        first = (
            select(Contribution, func.count().over())
            .where(*shown)
            .order_by(Contribution.reviewed_at, Contribution.id)
            .limit(limit)
        )
        rows = (await self.session.execute(first)).all()
        return [row[0] for row in rows], int(rows[0][1]) if rows else 0

    async def publishable_practices(self, community_id: int | None) -> list[PracticeRow]:
        """Approved good practices whose authors consent to publication: only the columns the
        export shows, as plain rows (12k ORM objects with four JSON columns each took a
        second to build at 30k)."""
        statement = select(
            Contribution.id,
            Contribution.title,
            Contribution.contributor_member_id,
            Contribution.community_id,
            Contribution.written_in,
            Contribution.reviewed_at,
            Contribution.updated_at,
            Contribution.sections,
            Contribution.publish_consent,
        ).where(
            Contribution.kind == ContributionKind.PRACTICE,
            Contribution.status == ContributionStatus.APPROVED,
            Contribution.publish_consent.is_(True),
        )
        if community_id is not None:
            statement = statement.where(Contribution.community_id == community_id)
        rows = await self.session.execute(statement.order_by(Contribution.id))
        return [PracticeRow(*row) for row in rows.all()]

    async def credits(self, resource_ids: Sequence[int]) -> dict[int, str]:
        """Resource id → the name of the member who shared it (approved shares only)."""
        if not resource_ids:
            return {}
        statement = (
            select(Contribution.resource_id, Member.display_name)
            .join(Member, Member.id == Contribution.contributor_member_id)
            .where(
                Contribution.resource_id.in_(list(resource_ids)),
                Contribution.status == ContributionStatus.APPROVED,
            )
        )
        rows = (await self.session.execute(statement)).all()
        return {row[0]: row[1] for row in rows if row[0] is not None}

    async def approved_by_member(
        self, community_id: int | None, since: datetime | None, until: datetime | None
    ) -> dict[int, int]:
        """Member id → contributions approved in ``community_id`` (None: every community)
        with a review time within ``since``..``until`` (None: no bound). One statement."""
        statement = (
            select(Contribution.contributor_member_id, func.count(Contribution.id))
            .where(
                Contribution.status == ContributionStatus.APPROVED,
                Contribution.contributor_member_id.is_not(None),
            )
            .group_by(Contribution.contributor_member_id)
        )
        if community_id is not None:
            statement = statement.where(Contribution.community_id == community_id)
        if since is not None:
            statement = statement.where(Contribution.reviewed_at >= since)
        if until is not None:
            statement = statement.where(Contribution.reviewed_at <= until)
        rows = (await self.session.execute(statement)).all()
        return {int(member): int(count) for member, count in rows}

    async def approved_count(self, member_id: int) -> int:
        """How many of this member's contributions were approved (for recognition)."""
        statement = select(func.count(Contribution.id)).where(
            Contribution.contributor_member_id == member_id,
            Contribution.status == ContributionStatus.APPROVED,
        )
        return int(await self.session.scalar(statement) or 0)
