"""Fill a community with n members, questions, answers and stories in a few bulk inserts.

Shared by the statement-count test (at small sizes) and ``bench/growth.py`` (1k to 30k): the
rows look like what the bot writes (champions who consent to publishing, solved questions with
two answers each, approved stories), so every report and export has work to do.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta

from sqlalchemy import func, insert, select

from storage.database import Database
from storage.models import Account, Answer, Member, Membership, Question, Story
from storage.models_calls import CallVolunteer, ContributorCall
from storage.models_networking import MeetPairing, MeetParticipant, MeetRound
from storage.statuses import (
    CallKind,
    MeetOutcome,
    MembershipRole,
    QuestionStatus,
    StoryStatus,
    VolunteerStatus,
)

BATCH = 2000
ROLES = ("elected", "association", "specialist", "other")
PLACES = (
    ("TN", "mena"),
    ("BR", "latin_america"),
    ("SN", "west_central_africa"),
    ("KE", "east_southern_africa"),
    ("PH", "asia_pacific"),
    ("FR", "north_america_europe"),
)
LANGUAGES = (["en", "fr"], ["es"], ["ar", "fr"], ["en"])
THEMES = ("gender_budgeting", "gbv", "legal_quotas", "mentorship", "data", "advocacy")
BIOS = (
    "Works on budgets {m}",
    "تعمل على الميزانيات التشاركية {m}",
    "Trabaja en presupuestos con perspectiva de género {m}",
    "=Travaille sur la budgétisation sensible au genre {m}",
)


async def _bulk(database: Database, model: type, rows: Sequence[Mapping[str, object]]) -> None:
    async with database.session() as session:
        for start in range(0, len(rows), BATCH):
            await session.execute(insert(model), rows[start : start + BATCH])
        await session.commit()


async def fill(database: Database, community_id: int, n: int, now: datetime) -> None:
    """Add ``n`` champions, ``n`` questions (half solved, two answers each), ``n`` stories;
    the champions take part in pairing rounds (one per ten, in pairs) and volunteer for calls
    for contributors (one call per ten)."""
    async with database.session() as session:
        first_member = int(await session.scalar(select(func.max(Member.id))) or 0) + 1
        first_question = int(await session.scalar(select(func.max(Question.id))) or 0) + 1
        first_answer = int(await session.scalar(select(func.max(Answer.id))) or 0) + 1
        first_round = int(await session.scalar(select(func.max(MeetRound.id))) or 0) + 1
        first_call = int(await session.scalar(select(func.max(ContributorCall.id))) or 0) + 1
    since = now - timedelta(days=3)
    members = range(first_member, first_member + n)
    await _bulk(
        database,
        Member,
        [
            {
                "id": m,
                "display_name": f"Member {m}",
                "role": ROLES[m % len(ROLES)],
                "organisation": f"Town {m}",
                "country": PLACES[m % len(PLACES)][0],
                "region": PLACES[m % len(PLACES)][1],
                "languages": LANGUAGES[m % len(LANGUAGES)],
                "expertise": [THEMES[m % len(THEMES)], THEMES[(m * 7) % len(THEMES)]],
                "bio": BIOS[m % len(BIOS)].format(m=m),
                "consent_publish": True,
                "onboarded": True,
                "created_at": since,
                "updated_at": since,
            }
            for m in members
        ],
    )
    await _bulk(
        database,
        Account,
        [
            {
                "member_id": m,
                "platform": "console",
                "platform_user_id": f"grow{m}",
                "username": f"grow{m}",
                "created_at": since,
            }
            for m in members
        ],
    )
    await _bulk(
        database,
        Membership,
        [
            {
                "community_id": community_id,
                "member_id": m,
                "role": MembershipRole.CHAMPION,
                "joined_at": since,
            }
            for m in members
        ],
    )
    questions = []
    answers = []
    for i in range(n):
        qid = first_question + i
        solved = i % 2 == 0
        best = first_answer + 2 * i
        questions.append(
            {
                "id": qid,
                "community_id": community_id,
                "asker_id": first_member + i,
                "anonymous": i % 3 == 0,
                "title": f"How to fund a women's council, case {qid}?",
                "body": "We need ideas for a budget line and a gender audit.",
                "themes": [THEMES[i % len(THEMES)]],
                "region": PLACES[i % len(PLACES)][1],
                "status": QuestionStatus.SOLVED if solved else QuestionStatus.OPEN,
                "best_answer_id": best if solved else None,
                "asked_platform": "console",
                "created_at": since + timedelta(minutes=i % 1000),
                "solved_at": now - timedelta(hours=1) if solved else None,
            }
        )
        for k in range(2):
            answers.append(
                {
                    "id": first_answer + 2 * i + k,
                    "question_id": qid,
                    "author_id": first_member + (i + k + 1) % n,
                    "body": f"Try a participatory budget ({k}).",
                    "platform": "console",
                    "created_at": since + timedelta(minutes=i % 1000, hours=2 + k),
                }
            )
    await _bulk(database, Question, questions)
    await _bulk(database, Answer, answers)
    await _bulk(
        database,
        Story,
        [
            {
                "community_id": community_id,
                "member_id": first_member + i,
                "text": f"We trained {i} councillors.",
                "status": StoryStatus.APPROVED,
                "created_at": since,
                "reviewed_at": now - timedelta(hours=2),
            }
            for i in range(n)
        ],
    )
    await _fill_networking(database, community_id, first_member, n, first_round, now)
    await _fill_calls(database, community_id, first_member, n, first_call, now)
    from tests.growth_more import fill_more  # it builds on _bulk from here

    await fill_more(database, community_id, first_member, n, now)


async def _fill_networking(
    database: Database, community_id: int, first: int, n: int, first_round: int, now: datetime
) -> None:
    await _bulk(
        database,
        MeetParticipant,
        [
            {"community_id": community_id, "member_id": first + i, "joined_at": now}
            for i in range(n)
        ],
    )
    rounds = range(first_round, first_round + n // 10)
    await _bulk(
        database,
        MeetRound,
        [
            {
                "id": r,
                "community_id": community_id,
                "key": f"grow-{r}",
                "number": r,
                "starts_at": now - timedelta(days=14),
                "ends_at": now - timedelta(days=1),
            }
            for r in rounds
        ],
    )
    await _bulk(
        database,
        MeetPairing,
        [
            {
                "round_id": r,
                "group_number": k // 2,
                "member_id": first + (r - first_round) * 10 + k,
                "outcome": MeetOutcome.MET if k % 4 < 2 else None,
            }
            for r in rounds
            for k in range(10)
        ],
    )


async def _fill_calls(
    database: Database, community_id: int, first: int, n: int, first_call: int, now: datetime
) -> None:
    calls = range(first_call, first_call + n // 10)
    await _bulk(
        database,
        ContributorCall,
        [
            {
                "id": c,
                "community_id": community_id,
                "kind": CallKind.REVIEWER,
                "title": f"Review the budget guide {c}",
                "themes": ["budgeting"],
                "deadline": now + timedelta(days=10),
                "created_at": now,
            }
            for c in calls
        ],
    )
    await _bulk(
        database,
        CallVolunteer,
        [
            {
                "call_id": c,
                "member_id": first + (c - first_call) * 10 + k,
                "platform": "console",
                "status": VolunteerStatus.VOLUNTEERED,
                "created_at": now,
                "updated_at": now,
            }
            for c in calls
            for k in range(10)
        ],
    )
