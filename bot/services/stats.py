"""Is the network alive? Figures for ``/stats`` over a chosen period.

Features add their own figures by appending a source to :data:`STAT_SOURCES`; each returns
(label msgid, value) pairs for a community and a period.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime

from sqlalchemy import func, select

from bot.core.i18n import N_
from storage.models import Community, Member, Membership, Story
from storage.unit_of_work import UnitOfWork

StatRow = tuple[str, int | str]
StatSource = Callable[[UnitOfWork, Community, datetime, datetime], Awaitable[list[StatRow]]]


async def membership_stats(
    uow: UnitOfWork, community: Community, since: datetime, until: datetime
) -> list[StatRow]:
    base = (
        select(func.count()).select_from(Membership).where(Membership.community_id == community.id)
    )
    members = await uow.session.scalar(base)
    champions = await uow.session.scalar(base.where(Membership.role == "champion"))
    joined = await uow.session.scalar(
        base.where(Membership.joined_at >= since, Membership.joined_at < until)
    )
    onboarded = await uow.session.scalar(
        select(func.count())
        .select_from(Member)
        .join(Membership)
        .where(Membership.community_id == community.id, Member.onboarded.is_(True))
    )
    return [
        (N_("Members"), int(members or 0)),
        (N_("Champions"), int(champions or 0)),
        (N_("New members in the period"), int(joined or 0)),
        (N_("Profiles completed"), int(onboarded or 0)),
    ]


async def story_stats(
    uow: UnitOfWork, community: Community, since: datetime, until: datetime
) -> list[StatRow]:
    base = (
        select(func.count())
        .select_from(Story)
        .where(
            Story.community_id == community.id, Story.created_at >= since, Story.created_at < until
        )
    )
    shared = await uow.session.scalar(base)
    approved = await uow.session.scalar(base.where(Story.status == "approved"))
    return [(N_("Stories shared"), int(shared or 0)), (N_("Stories approved"), int(approved or 0))]


STAT_SOURCES: list[StatSource] = [membership_stats, story_stats]


async def collect(
    uow: UnitOfWork, community: Community, since: datetime, until: datetime
) -> list[StatRow]:
    rows: list[StatRow] = []
    for source in STAT_SOURCES:
        rows.extend(await source(uow, community, since, until))
    return rows
