"""Is the network alive? Figures for ``/stats`` over a chosen period.

Features add their own figures by appending a source to :data:`STAT_SOURCES`; each returns
(label msgid, value) pairs for a community and a period.
"""

from __future__ import annotations

import statistics
from collections.abc import Awaitable, Callable
from datetime import datetime

from sqlalchemy import case, func, literal, select

from bot.core.i18n import N_
from bot.features.calls.recognition import stat_rows as recognition_stats
from bot.features.networking.report import stat_rows as networking_stats
from storage.models import (
    Answer,
    Community,
    Event,
    EventFeedback,
    Member,
    Membership,
    Question,
    Resource,
    ResourceLookup,
    Rsvp,
    Story,
)
from storage.statuses import MembershipRole, QuestionStatus, StoryStatus
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
    champions = await uow.session.scalar(base.where(Membership.role == MembershipRole.CHAMPION))
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
    approved = await uow.session.scalar(base.where(Story.status == StoryStatus.APPROVED))
    return [(N_("Stories shared"), int(shared or 0)), (N_("Stories approved"), int(approved or 0))]


async def advice_stats(
    uow: UnitOfWork, community: Community, since: datetime, until: datetime
) -> list[StatRow]:
    """Questions asked in the period, how many got an answer, and how fast (median).

    Counted by the database; on PostgreSQL the median too (``percentile_cont``), so no row per
    question reaches Python. SQLite has no percentile: there only the waits are read."""
    first_answer = (
        select(Answer.question_id, func.min(Answer.created_at).label("first"))
        .group_by(Answer.question_id)
        .subquery()
    )  # one pass over the answers, joined (a subquery per question took a second at 30k)
    asked = (
        select(Question.created_at, Question.status, first_answer.c.first)
        .outerjoin(first_answer, first_answer.c.question_id == Question.id)
        .where(
            Question.community_id == community.id,
            Question.status != QuestionStatus.DELETED,
            Question.created_at >= since,
            Question.created_at < until,
        )
        .subquery()
    )
    solved = func.coalesce(func.sum(case((asked.c.status == QuestionStatus.SOLVED, 1), else_=0)), 0)
    postgres = uow.session.get_bind().dialect.name == "postgresql"
    wait = func.extract("epoch", asked.c.first - asked.c.created_at)
    middle = func.percentile_cont(0.5).within_group(wait) if postgres else literal(None)
    total, answered, solved_count, median_seconds = (
        await uow.session.execute(
            select(func.count(), func.count(asked.c.first), solved, middle).select_from(asked)
        )
    ).one()
    if not postgres and answered:
        pairs = await uow.session.execute(
            select(asked.c.created_at, asked.c.first).where(asked.c.first.is_not(None))
        )
        median_seconds = statistics.median(
            (first - created).total_seconds() for created, first in pairs
        )
    median = f"{float(median_seconds) / 3600:.1f} h" if answered else "—"
    return [
        (N_("Questions asked"), int(total)),
        (N_("Questions answered"), int(answered)),
        (N_("Questions solved"), int(solved_count)),
        (N_("Median time to first answer"), median),
    ]


async def hub_stats(
    uow: UnitOfWork, community: Community, since: datetime, until: datetime
) -> list[StatRow]:
    """The resources shown most often in search results."""
    count = func.count(ResourceLookup.id)
    rows = (
        await uow.session.execute(
            select(Resource.title, count)
            .join(ResourceLookup, ResourceLookup.resource_id == Resource.id)
            .where(ResourceLookup.at >= since, ResourceLookup.at < until)
            .group_by(Resource.id, Resource.title)
            .order_by(count.desc(), Resource.title)
            .limit(3)
        )
    ).all()
    top = "; ".join(f"{title[:60]} ({n})" for title, n in rows) or "—"
    return [(N_("Resources looked up most"), top)]


async def event_stats(
    uow: UnitOfWork, community: Community, since: datetime, until: datetime
) -> list[StatRow]:
    """RSVPs made in the period, and the feedback of attendees."""
    rsvps = await uow.session.scalar(
        select(func.count())
        .select_from(Rsvp)
        .join(Event, Event.id == Rsvp.event_id)
        .where(
            Event.community_id == community.id, Rsvp.created_at >= since, Rsvp.created_at < until
        )
    )
    feedback = (
        await uow.session.execute(
            select(func.count(EventFeedback.rating), func.avg(EventFeedback.rating))
            .join(Event, Event.id == EventFeedback.event_id)
            .where(Event.community_id == community.id, EventFeedback.rating.is_not(None))
        )
    ).one()
    average = f"{float(feedback[1]):.1f}/5" if feedback[0] else "—"
    return [
        (N_("RSVPs"), int(rsvps or 0)),
        (N_("Attendee ratings"), f"{int(feedback[0])} · {average}"),
    ]


STAT_SOURCES: list[StatSource] = [
    membership_stats,
    story_stats,
    advice_stats,
    hub_stats,
    event_stats,
    networking_stats,
    recognition_stats,
]


async def collect(
    uow: UnitOfWork, community: Community, since: datetime, until: datetime
) -> list[StatRow]:
    rows: list[StatRow] = []
    for source in STAT_SOURCES:
        rows.extend(await source(uow, community, since, until))
    return rows
