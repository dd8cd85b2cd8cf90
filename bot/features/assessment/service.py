"""Sittings: start or resume, record an answer, move back or skip, finish.

Every answer is written in the request's transaction together with the new position, so a
member who stops (or a bot that restarts) loses nothing: ``/assess start`` shows the question
after the last saved answer.
"""

from __future__ import annotations

from datetime import datetime

from bot.core.context import CommandContext
from bot.core.errors import NotFoundError, UsageError, UserFacingError
from bot.features.assessment.chat import BACK, NOT_APPLICABLE, SKIP, track_of
from bot.features.assessment.framework import Framework, Track
from bot.features.assessment.scoring import Answers, combine
from storage.models_assessment import Assessment
from storage.statuses import AssessmentStatus


def fold(name: str) -> str:
    """An institution's name as a key: several members' "Irbid  municipality" meet."""
    return " ".join(name.casefold().split())[:120]


async def begin(
    ctx: CommandContext, framework: Framework, track: Track, institution: str | None
) -> tuple[Assessment, bool]:
    """The member's open assessment (resumed), else a new one; ``True`` when resumed."""
    found = await ctx.uow.assessments.open_of(ctx.member.id)
    if found is not None:
        return found, True
    if track == "institutional" and not institution:
        raise UsageError(
            "Name the municipality or association you answer for, for example: "
            "/assess start institutional Irbid municipality"
        )
    name = " ".join(institution.split())[:120] if track == "institutional" and institution else None
    assessment = Assessment(
        member_id=ctx.member.id,
        community_id=ctx.community.id,
        framework=framework.code,
        version=framework.version,
        track=track,
        institution=name,
        institution_key=fold(name) if name else None,
        status=AssessmentStatus.OPEN,
        position=0,
        shared=False,
        askable=False,
        started_at=ctx.now,
        updated_at=ctx.now,
    )
    return await ctx.uow.assessments.add(assessment), False


async def own(ctx: CommandContext, assessment_id: int) -> Assessment:
    """One of the caller's assessments; anyone else's meets the same "not found"."""
    found = await ctx.uow.assessments.get(assessment_id)
    if found is None or found.member_id != ctx.member.id:
        raise NotFoundError("I found no assessment #{id} of yours.", id=assessment_id)
    return found


async def record(
    ctx: CommandContext, framework: Framework, assessment: Assessment, index: int, choice: str
) -> bool:
    """Apply one button press; ``True`` when that was the last question (now finished)."""
    if assessment.status is AssessmentStatus.DONE:
        raise UserFacingError(
            "This assessment is finished. /assess history shows it; /assess start takes it again."
        )
    questions = framework.questions(track_of(assessment))
    if not 0 <= index < len(questions):
        raise NotFoundError("I found no assessment #{id} of yours.", id=assessment.id)
    code = questions[index].criterion.code
    if choice == BACK:
        assessment.position = max(index - 1, 0)
    elif choice == SKIP:
        await ctx.uow.assessments.unanswer(assessment.id, code)
        assessment.position = index + 1
    elif choice == NOT_APPLICABLE or (choice.isdigit() and 0 <= int(choice) <= 5):
        level = None if choice == NOT_APPLICABLE else int(choice)
        await ctx.uow.assessments.answer(assessment.id, code, level, ctx.now)
        assessment.position = index + 1
    else:
        raise UsageError("Choose a level from 0 to 5, “not applicable”, back or skip.")
    assessment.updated_at = ctx.now
    if assessment.position >= len(questions):
        assessment.status = AssessmentStatus.DONE
        assessment.finished_at = ctx.now
        assessment.position = len(questions) - 1
        return True
    return False


async def previous(ctx: CommandContext, assessment: Assessment) -> Assessment | None:
    """The same member's last finished sitting before this one, same framework and track."""
    earlier = [
        a
        for a in await ctx.uow.assessments.done_of(assessment.member_id, assessment.framework)
        if a.id < assessment.id
        and a.track == assessment.track
        and a.institution_key == assessment.institution_key
    ]
    return earlier[-1] if earlier else None


async def institution_answers(
    ctx: CommandContext, assessment: Assessment
) -> tuple[dict[str, float | None], int]:
    """The combined answers of everyone who answered for the same institution in this
    community (each member's latest finished sitting), and how many they are."""
    rows = await ctx.uow.assessments.latest_done(
        assessment.framework,
        track="institutional",
        community_ids=[assessment.community_id],
        institution_key=assessment.institution_key,
    )
    sets = await ctx.uow.assessments.answers_of([a.id for a, _m in rows])
    answer_sets: list[Answers] = list(sets.values())
    return combine(answer_sets), len(answer_sets)


def when(ctx: CommandContext, moment: datetime | None) -> str:
    """A day as the reader writes it, in their zone."""
    if moment is None:
        return "—"
    return ctx.translator.format_date(moment, ctx.zone)
