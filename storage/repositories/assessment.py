"""Self-assessments: sittings, their answers, and the actions members note."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import and_, delete, func, literal, or_, select, union_all, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from storage.id_lists import in_ids
from storage.models import Account, Community, Member
from storage.models_assessment import Assessment, AssessmentAction, AssessmentAnswer
from storage.repositories.recipients import oldest_accounts_first
from storage.statuses import AssessmentStatus


class RetakeDue(NamedTuple):
    """A sitting due for its invitation to take it again, and where to send it: a plain row."""

    assessment_id: int
    member_id: int
    community_id: int
    finished_at: datetime
    platform: str | None
    """Of her oldest account; None when she has none (nowhere to write)."""
    platform_user_id: str | None
    language: str | None
    timezone: str | None
    default_language: str
    community_timezone: str


@dataclass(frozen=True)
class SharedCounts:
    """What the network aggregate needs, counted by the database over each member's latest
    finished shared sitting: a few rows whatever the number of members."""

    members: dict[str | None, int]
    """Region → members."""
    dimensions: list[tuple[str | None, str, int, int, int]]
    """(region, dimension, sum of levels, levels answered, members with that sum and count):
    one member's dimension score is ``sum / answered``, so members are grouped by the pair."""
    levels: list[tuple[str, int, int]]
    """(criterion, level, members) over everyone, "not applicable" left out."""


class AssessmentRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, assessment_id: int) -> Assessment | None:
        return await self.session.get(Assessment, assessment_id)

    async def add(self, assessment: Assessment) -> Assessment:
        self.session.add(assessment)
        await self.session.flush()
        return assessment

    async def open_of(self, member_id: int) -> Assessment | None:
        """The member's assessment in progress (at most one), to resume."""
        statement = (
            select(Assessment)
            .where(Assessment.member_id == member_id, Assessment.status == AssessmentStatus.OPEN)
            .order_by(Assessment.id.desc())
        )
        return (await self.session.scalars(statement)).first()

    async def done_of(self, member_id: int, framework: str | None = None) -> list[Assessment]:
        """The member's finished assessments, oldest first."""
        statement = select(Assessment).where(
            Assessment.member_id == member_id, Assessment.status == AssessmentStatus.DONE
        )
        if framework is not None:
            statement = statement.where(Assessment.framework == framework)
        return list((await self.session.scalars(statement.order_by(Assessment.id))).all())

    async def due_for_retake(self, finished_before: datetime, limit: int) -> list[RetakeDue]:
        """Finished personal sittings not yet followed by an invitation to take it again, older
        than ``finished_before``, each its member's latest personal sitting, and the member has
        none open: who may be invited now, with where and how to write to her (issue 17: one
        statement for the batch, not a member and a community read per sitting).

        A member without an account still has her row (``platform`` None): the sitting is
        marked all the same, as before. Her oldest account is numbered 1 by a window over the
        accounts of the batch's members only, as ``recipients.with_role`` does."""
        later = aliased(Assessment)
        newer_or_open = (
            select(later.id)
            .where(
                later.member_id == Assessment.member_id,
                later.id != Assessment.id,
                or_(
                    later.status == AssessmentStatus.OPEN,
                    and_(later.track == "personal", later.id > Assessment.id),
                ),
            )
            .exists()
        )
        due = (
            select(
                Assessment.id,
                Assessment.member_id,
                Assessment.community_id,
                Assessment.finished_at,
            )
            .where(
                Assessment.track == "personal",
                Assessment.status == AssessmentStatus.DONE,
                Assessment.nudged_at.is_(None),
                Assessment.finished_at <= finished_before,
                ~newer_or_open,
            )
            .order_by(Assessment.finished_at, Assessment.id)
            .limit(limit)
            .subquery("due")
        )
        numbered = (
            oldest_accounts_first()
            .where(Account.member_id.in_(select(due.c.member_id)))
            .subquery("first_account")
        )
        statement = (
            select(
                due.c.id,
                due.c.member_id,
                due.c.community_id,
                due.c.finished_at,
                numbered.c.platform,
                numbered.c.platform_user_id,
                Member.language,
                Member.timezone,
                Community.default_language,
                Community.timezone,
            )
            .select_from(due)
            .join(Member, Member.id == due.c.member_id)
            .join(Community, Community.id == due.c.community_id)
            .outerjoin(
                numbered, and_(numbered.c.member_id == due.c.member_id, numbered.c.place == 1)
            )
            .order_by(due.c.finished_at, due.c.id)
        )
        return [RetakeDue(*row) for row in (await self.session.execute(statement)).all()]

    async def mark_nudged(self, assessment_ids: Sequence[int], now: datetime) -> None:
        """Record that these sittings' invitations were decided: one statement."""
        if assessment_ids:
            await self.session.execute(
                update(Assessment)
                .where(in_ids(self.session, Assessment.id, assessment_ids))
                .values(nudged_at=now)
                .execution_options(synchronize_session=False)
            )

    async def answers(self, assessment_id: int) -> dict[str, int | None]:
        statement = select(AssessmentAnswer).where(AssessmentAnswer.assessment_id == assessment_id)
        return {a.criterion: a.level for a in (await self.session.scalars(statement)).all()}

    async def answer(
        self, assessment_id: int, criterion: str, level: int | None, now: datetime
    ) -> None:
        found = await self.session.get(AssessmentAnswer, (assessment_id, criterion))
        if found is None:
            self.session.add(
                AssessmentAnswer(
                    assessment_id=assessment_id, criterion=criterion, level=level, answered_at=now
                )
            )
        else:
            found.level, found.answered_at = level, now
        await self.session.flush()

    async def unanswer(self, assessment_id: int, criterion: str) -> None:
        await self.session.execute(
            delete(AssessmentAnswer).where(
                AssessmentAnswer.assessment_id == assessment_id,
                AssessmentAnswer.criterion == criterion,
            )
        )

    async def latest_done(
        self,
        framework: str,
        *,
        track: str,
        community_ids: Sequence[int] | None = None,
        shared: bool | None = None,
        askable: bool | None = None,
        institution_key: str | None = None,
    ) -> list[tuple[Assessment, Member]]:
        """Each member's latest finished assessment of ``framework`` (with filters)."""
        statement = (
            select(Assessment, Member)
            .join(Member, Member.id == Assessment.member_id)
            .where(
                Assessment.framework == framework,
                Assessment.track == track,
                Assessment.status == AssessmentStatus.DONE,
            )
            .order_by(Assessment.id)
        )
        if community_ids is not None:
            statement = statement.where(Assessment.community_id.in_(community_ids))
        if shared is not None:
            statement = statement.where(Assessment.shared.is_(shared))
        if askable is not None:
            statement = statement.where(Assessment.askable.is_(askable))
        if institution_key is not None:
            statement = statement.where(Assessment.institution_key == institution_key)
        latest: dict[int, tuple[Assessment, Member]] = {}
        for assessment, member in (await self.session.execute(statement)).all():
            latest[member.id] = (assessment, member)
        return list(latest.values())

    async def shared_counts(
        self,
        framework: str,
        *,
        track: str,
        community_id: int,
        dimension_of: Mapping[str, str],
        before_dimensions: Callable[[SharedCounts], None] | None = None,
    ) -> SharedCounts:
        """The counts behind ``/assess network``: three statements of grouped rows, never a
        row per member (30k members read as objects took seconds). ``dimension_of`` maps the
        track's criteria to their dimension; other answers are left out of the dimensions.
        ``before_dimensions`` sees the members and levels before the last and longest
        statement (it may raise to stop there, or start work that needs only those)."""
        latest = (
            select(func.max(Assessment.id).label("id"))
            .where(
                Assessment.framework == framework,
                Assessment.track == track,
                Assessment.status == AssessmentStatus.DONE,
                Assessment.community_id == community_id,
                Assessment.shared.is_(True),
            )
            .group_by(Assessment.member_id)
            .cte("latest")
        )
        region = (
            select(latest.c.id, Member.region)
            .join(Assessment, Assessment.id == latest.c.id)
            .join(Member, Member.id == Assessment.member_id)
            .cte("sitting")
        )
        members = select(region.c.region, func.count()).group_by(region.c.region)
        criteria: dict[str, list[str]] = {}
        for criterion, dimension in dimension_of.items():
            criteria.setdefault(dimension, []).append(criterion)
        level, answer = AssessmentAnswer.level, AssessmentAnswer.criterion
        sums = []
        for n, codes in enumerate(criteria.values()):
            sums += [
                func.sum(level).filter(answer.in_(codes)).label(f"s{n}"),
                func.count(level).filter(answer.in_(codes)).label(f"k{n}"),
            ]
        per_member = (  # one row per sitting, grouped on its id alone: the cheap key
            select(AssessmentAnswer.assessment_id.label("id"), *sums)
            .join(latest, latest.c.id == AssessmentAnswer.assessment_id)
            .where(level.is_not(None))
            .group_by(AssessmentAnswer.assessment_id)
            .cte("per_member")
        )
        joined = per_member.join(region, region.c.id == per_member.c.id)
        dimensions = union_all(
            *(
                select(
                    region.c.region,
                    literal(code).label("dimension"),
                    per_member.c[f"s{n}"],
                    per_member.c[f"k{n}"],
                    func.count(),
                )
                .select_from(joined)
                .where(per_member.c[f"k{n}"] > 0)
                .group_by(region.c.region, per_member.c[f"s{n}"], per_member.c[f"k{n}"])
                for n, code in enumerate(criteria)
            )
        )
        levels = (
            select(answer, level, func.count())
            .join(latest, latest.c.id == AssessmentAnswer.assessment_id)
            .where(level.is_not(None))
            .group_by(answer, level)
        )
        execute = self.session.execute
        found = SharedCounts(
            members={r: int(n) for r, n in (await execute(members)).all()},
            dimensions=[],
            levels=[(str(c), int(lv or 0), int(n)) for c, lv, n in (await execute(levels)).all()],
        )
        if before_dimensions is not None:
            before_dimensions(found)
        found.dimensions.extend(
            (r, str(d), int(t), int(k), int(n)) for r, d, t, k, n in (await execute(dimensions))
        )
        return found

    async def answers_of(self, assessment_ids: Sequence[int]) -> dict[int, dict[str, int | None]]:
        if not assessment_ids:
            return {}
        statement = select(AssessmentAnswer).where(
            in_ids(self.session, AssessmentAnswer.assessment_id, assessment_ids)
        )  # one bound value, not one per id (30k sittings neared the parameter limit)
        found: dict[int, dict[str, int | None]] = {i: {} for i in assessment_ids}
        for answer in (await self.session.scalars(statement)).all():
            found[answer.assessment_id][answer.criterion] = answer.level
        return found

    async def add_action(self, action: AssessmentAction) -> AssessmentAction:
        self.session.add(action)
        await self.session.flush()
        return action

    async def actions_of(self, member_id: int) -> list[AssessmentAction]:
        statement = (
            select(AssessmentAction)
            .where(AssessmentAction.member_id == member_id)
            .order_by(AssessmentAction.due_at)
        )
        return list((await self.session.scalars(statement)).all())
