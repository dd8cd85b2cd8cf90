"""More rows for the growth fill: talks, contributions, assessments, pending stories, audit.

``tests/growth_data.py`` fills members, questions, stories, rounds and calls; this adds what
the recognition export, ``/practice export``, ``/review``, ``/assess network``,
``/assess export``, ``/story pending`` and ``/audit`` read, so each has work that grows with
the data (kept apart so each module stays one screen of bulk inserts).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select

from bot.features.assessment.framework import DEFAULT_FRAMEWORK, FRAMEWORK_DIR, load_frameworks
from storage.database import Database
from storage.models import AuditEntry, Event, Member, Story
from storage.models_assessment import Assessment, AssessmentAction, AssessmentAnswer
from storage.models_contributions import Contribution
from storage.statuses import (
    AssessmentStatus,
    ContributionKind,
    ContributionStatus,
    StoryStatus,
)
from tests.growth_data import _bulk

PRACTICE = {
    "context": "A town of 40,000 with no women on the budget committee.",
    "challenge": "Getting a gender line into the yearly budget.",
    "actions": "Hearings in each district; a women's caucus; a costed proposal.",
    "results": "A line of 2% of the budget, audited each year.",
}


async def _next_id(database: Database, column: object) -> int:
    async with database.session() as session:
        return int(await session.scalar(select(func.max(column))) or 0) + 1


async def fill_more(
    database: Database, community_id: int, first_member: int, n: int, now: datetime
) -> None:
    """For the ``n`` members from ``first_member``: a talk per ten (three speakers each), a
    good practice per two (approved, most consenting) and a pending share per ten, a shared
    assessment per two (every criterion answered, one action), a pending story per ten and an
    audit entry each; the first member (the admin the tests speak as) gets a sitting per five
    members too, up to 50, for ``/assess export``."""
    since = now - timedelta(days=20)
    members = list(range(first_member, first_member + n))
    await _bulk(
        database,
        Event,
        [
            {
                "community_id": community_id,
                "title": f"Budget webinar {i}",
                "starts_at": since + timedelta(hours=i % 400),
                "timezone": "UTC",
                "speakers": members[i * 10 : i * 10 + 3],
                "created_at": since,
                "updated_at": since,
            }
            for i in range(n // 10)
        ],
    )
    await _bulk(
        database,
        Contribution,
        [
            {
                "kind": ContributionKind.PRACTICE,
                "community_id": community_id,
                "contributor_member_id": m,
                "status": ContributionStatus.APPROVED,
                "title": f"A gender budget line in town {m}",
                "title_key": f"a gender budget line in town {m}",
                "sections": {"title": f"A gender budget line in town {m}", **PRACTICE},
                "written_in": "ar" if m % 7 == 0 else "en",
                "publish_consent": m % 5 != 0,
                "reviewed_at": now - timedelta(days=1),
                "created_at": since,
                "submitted_at": since,
                "updated_at": since,
            }
            for m in members[::2]
        ]
        + [
            {
                "kind": ContributionKind.RESOURCE,
                "community_id": community_id,
                "contributor_member_id": m,
                "status": ContributionStatus.PENDING,
                "title": f"Budget toolkit {m}",
                "title_key": f"budget toolkit {m}",
                "url": f"https://example.org/toolkit/{m}",
                "url_key": f"url:example.org/toolkit/{m}",
                "summary": "A toolkit for gender budgeting.",
                "created_at": since,
                "submitted_at": since,
                "updated_at": since,
            }
            for m in members[1::10]
        ],
    )
    await _fill_assessments(database, community_id, members, now)
    await _bulk(
        database,
        Story,
        [
            {
                "community_id": community_id,
                "member_id": m,
                "text": f"Our council opened a women's desk ({m}).",
                "status": StoryStatus.PENDING,
                "created_at": since,
            }
            for m in members[3::10]
        ],
    )
    await _bulk(
        database,
        AuditEntry,
        [
            {
                "community_id": community_id,
                "actor_member_id": members[(i + 1) % n],
                "action": "champion.approve",
                "detail": {"member_id": m},
                "at": since + timedelta(minutes=i),
            }
            for i, m in enumerate(members)
        ],
    )


async def _fill_assessments(
    database: Database, community_id: int, members: list[int], now: datetime
) -> None:
    framework = load_frameworks(FRAMEWORK_DIR)[DEFAULT_FRAMEWORK]
    criteria = [c.code for d in framework.dimensions for c in d.criteria]
    async with database.session() as session:
        admin = int(await session.scalar(select(func.min(Member.id))) or members[0])
    first = await _next_id(database, Assessment.id)
    takers = members[::2] + [admin] * min(len(members) // 5, 50)
    sittings = [(first + i, m) for i, m in enumerate(takers)]
    finished = now - timedelta(days=2)
    await _bulk(
        database,
        Assessment,
        [
            {
                "id": a,
                "member_id": m,
                "community_id": community_id,
                "framework": framework.code,
                "version": framework.version,
                "track": "personal",
                "status": AssessmentStatus.DONE,
                "position": len(criteria),
                "shared": True,
                "started_at": finished,
                "updated_at": finished,
                "finished_at": finished,
            }
            for a, m in sittings
        ],
    )
    await _bulk(
        database,
        AssessmentAnswer,
        [
            {"assessment_id": a, "criterion": c, "level": (a + k) % 6, "answered_at": finished}
            for a, _m in sittings
            for k, c in enumerate(criteria)
        ],
    )
    await _bulk(
        database,
        AssessmentAction,
        [
            {
                "member_id": m,
                "assessment_id": a,
                "criterion": criteria[a % len(criteria)],
                "text": "Ask the mayor for a budget hearing.",
                "due_at": now + timedelta(days=30),
                "created_at": finished,
            }
            for a, m in sittings
        ],
    )
