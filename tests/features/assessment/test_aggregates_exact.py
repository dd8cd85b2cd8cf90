"""The network aggregate counted by the database gives the figures of the row-by-row mean.

``/assess network`` once read every member's latest shared sitting and its answers and took
the means in Python (``scores`` per member, ``statistics.mean`` per region); now the database
groups and the means are taken from the counts. :func:`_row_by_row` is that first algorithm,
kept as the oracle: on random communities (several sittings per member, some not shared, not
finished, of another track or community; skipped and "not applicable" answers; members without
a region) both give the same cells, rounding included.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from statistics import mean

import pytest
from sqlalchemy import insert

from bot.app import BotApp
from bot.core.clock import ManualClock
from bot.core.errors import UserFacingError
from bot.features.assessment import aggregates
from bot.features.assessment.framework import DEFAULT_FRAMEWORK, FRAMEWORK_DIR, load_frameworks
from bot.features.assessment.scoring import scores
from storage.models import Community, Member
from storage.models_assessment import Assessment, AssessmentAnswer
from storage.statuses import AssessmentStatus
from tests.conftest import make_settings

FRAMEWORK = load_frameworks(FRAMEWORK_DIR)[DEFAULT_FRAMEWORK]
CRITERIA = [c.code for d in FRAMEWORK.dimensions for c in d.criteria]
REGIONS = [None, "", "mena", "latin_america", "sub_saharan_africa", "somewhere_else"]

Sitting = tuple[int, int, str, str, bool, int, dict[str, int | None]]
"""(id, member, track, status, shared, community, answers)."""


def _row_by_row(
    sittings: list[Sitting], region_of: dict[int, str | None], community: int
) -> dict[tuple[str, str], tuple[int, float | None]] | None:
    """The aggregate as it was computed before the database counted it (cells only)."""
    latest: dict[int, Sitting] = {}
    for sitting in sorted(sittings):
        _id, member, track, status, shared, where, _answers = sitting
        if track == "personal" and status == "done" and shared and where == community:
            latest[member] = sitting
    if len(latest) < aggregates.MIN_GROUP:
        return None
    groups: dict[str, list[dict[str, int | None]]] = {aggregates.ALL_REGIONS: []}
    for member, sitting in latest.items():
        groups[aggregates.ALL_REGIONS].append(sitting[6])
        groups.setdefault(region_of[member] or "none", []).append(sitting[6])
    cells = {}
    for region, sets in groups.items():
        per_member = [scores(FRAMEWORK, "personal", dict(one)) for one in sets]
        for position, dimension in enumerate(FRAMEWORK.dimensions):
            values = [v for s in per_member if (v := s[position].value) is not None]
            score = round(mean(values), 1) if len(values) >= aggregates.MIN_GROUP else None
            cells[(region, dimension.code)] = (len(sets), score)
    for question in FRAMEWORK.questions("personal"):
        levels = [
            float(level)
            for one in groups[aggregates.ALL_REGIONS]
            if (level := one.get(question.criterion.code)) is not None
        ]
        cells[("criterion", question.criterion.code)] = (
            len(levels),
            round(mean(levels) * 20, 1) if len(levels) >= aggregates.MIN_GROUP else None,
        )
    return cells


def _random_sittings(
    rng: random.Random, members: list[int], communities: list[int]
) -> list[Sitting]:
    found = []
    next_id = 1
    for member in members:
        for _ in range(rng.choice([1, 1, 2, 3])):
            answers: dict[str, int | None] = {}
            for criterion in CRITERIA:
                roll = rng.random()
                if roll < 0.15:
                    continue  # skipped
                answers[criterion] = None if roll < 0.3 else rng.randint(0, 5)
            found.append(
                (
                    next_id,
                    member,
                    rng.choice(["personal"] * 5 + ["institutional"]),
                    rng.choice(["done"] * 6 + ["open"]),
                    rng.random() < 0.8,
                    rng.choice(communities * 5 + [communities[-1]]),
                    answers,
                )
            )
            next_id += rng.randint(1, 3)
    return found


@pytest.mark.parametrize("seed", [1, 2, 3])
async def test_the_database_counts_give_the_row_by_row_figures(
    db_url: str, clock: ManualClock, seed: int
) -> None:
    rng = random.Random(seed)
    app = await BotApp.start(make_settings(db_url), clock=clock)
    now: datetime = clock.now()
    try:
        async with app.database.session() as session:
            community = Community(slug=f"exact{seed}", name="Exact", created_at=now)
            other = Community(slug=f"other{seed}", name="Other", created_at=now)
            session.add_all([community, other])
            await session.flush()
            people = [
                Member(
                    display_name=f"P{n}",
                    region=rng.choice(REGIONS),
                    created_at=now,
                    updated_at=now,
                )
                for n in range(rng.randint(3, 70))
            ]
            session.add_all(people)
            await session.flush()
            region_of = {p.id: p.region for p in people}
            sittings = _random_sittings(rng, list(region_of), [community.id, other.id])
            base = now - timedelta(days=1)
            await session.execute(
                insert(Assessment),
                [
                    {
                        "id": 10_000 * seed + i,
                        "member_id": m,
                        "community_id": c,
                        "framework": FRAMEWORK.code,
                        "track": track,
                        "status": AssessmentStatus(status),
                        "shared": shared,
                        "started_at": base,
                        "updated_at": base,
                        "finished_at": base if status == "done" else None,
                    }
                    for i, m, track, status, shared, c, _answers in sittings
                ],
            )
            answer_rows = [
                {
                    "assessment_id": 10_000 * seed + s[0],
                    "criterion": code,
                    "level": level,
                    "answered_at": base,
                }
                for s in sittings
                for code, level in s[6].items()
            ]
            if answer_rows:
                await session.execute(insert(AssessmentAnswer), answer_rows)
            await session.commit()
            community_id = community.id
        expected = _row_by_row(sittings, region_of, community_id)
        async with app.unit_of_work() as uow:
            if expected is None:
                with pytest.raises(UserFacingError):
                    await aggregates.network(uow, FRAMEWORK, community_id)
                return
            found = await aggregates.network(uow, FRAMEWORK, community_id)
        cells = {(c.region, c.dimension): (c.members, c.score) for c in found.cells}
        for code, score in found.criteria.items():
            cells[("criterion", code)] = (expected[("criterion", code)][0], score)
        assert cells == expected
        assert found.members == expected[(aggregates.ALL_REGIONS, FRAMEWORK.dimensions[0].code)][0]
    finally:
        await app.close()
