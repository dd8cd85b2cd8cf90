"""The working group's view: where the network is strong and weak, by region and dimension.

Only members who agreed (``shared``) count, each with her latest finished personal result, and
no figure is ever given for fewer than :data:`MIN_GROUP` people: a region with four who shared
shows "fewer than five", and a community with fewer than five in all shows nothing at all.
"""

from __future__ import annotations

import csv
import io
from dataclasses import asdict, dataclass
from statistics import mean

from bot.core.errors import UserFacingError
from bot.core.json_text import dumps_indented
from bot.features.assessment.framework import Framework
from bot.features.assessment.scoring import Answers, scores
from storage.unit_of_work import UnitOfWork

MIN_GROUP = 5
"""Smallest group a figure may describe (the issue's rule, and a common disclosure floor)."""
ALL_REGIONS = "all"


@dataclass(frozen=True)
class Cell:
    """One region (or ``all``) and dimension: how many shared, their mean score."""

    region: str
    dimension: str
    members: int
    score: float | None
    """``None`` when fewer than :data:`MIN_GROUP` members, or none answered the dimension."""


@dataclass(frozen=True)
class Aggregate:
    framework: str
    members: int
    cells: list[Cell]
    criteria: dict[str, float | None]
    """The mean level (0-100) per criterion over everyone who shared."""


async def network(uow: UnitOfWork, framework: Framework, community_id: int) -> Aggregate:
    """The aggregate of a community; :class:`UserFacingError` under five people."""
    rows = await uow.assessments.latest_done(
        framework.code, track="personal", community_ids=[community_id], shared=True
    )
    if len(rows) < MIN_GROUP:
        raise UserFacingError(
            "Fewer than five members have shared their results, so there are no figures yet: "
            "a smaller group could single someone out."
        )
    answers = await uow.assessments.answers_of([a.id for a, _m in rows])
    groups: dict[str, list[Answers]] = {ALL_REGIONS: []}
    for assessment, member in rows:
        groups[ALL_REGIONS].append(answers[assessment.id])
        groups.setdefault(member.region or "none", []).append(answers[assessment.id])
    cells = []
    for region, sets in groups.items():
        per_member = [scores(framework, "personal", one) for one in sets]
        for position, dimension in enumerate(framework.dimensions):
            values = [v for s in per_member if (v := s[position].value) is not None]
            score = round(mean(values), 1) if len(values) >= MIN_GROUP else None
            cells.append(Cell(region, dimension.code, len(sets), score))
    criteria: dict[str, float | None] = {}
    for question in framework.questions("personal"):
        levels = [
            float(level)
            for one in groups[ALL_REGIONS]
            if (level := one.get(question.criterion.code)) is not None
        ]
        criteria[question.criterion.code] = (
            round(mean(levels) * 20, 1) if len(levels) >= MIN_GROUP else None
        )
    return Aggregate(framework.code, len(rows), cells, criteria)


def to_csv(aggregate: Aggregate) -> bytes:
    """One row per region and dimension; cells under five people have no score."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["framework", "region", "dimension", "members", "score"])
    for cell in aggregate.cells:
        score = "" if cell.score is None else f"{cell.score:.1f}"
        members = cell.members if cell.members >= MIN_GROUP else f"<{MIN_GROUP}"
        writer.writerow([aggregate.framework, cell.region, cell.dimension, members, score])
    return out.getvalue().encode()


def to_json(aggregate: Aggregate) -> bytes:
    data = asdict(aggregate)
    for cell in data["cells"]:
        if cell["members"] < MIN_GROUP:
            cell["members"] = f"<{MIN_GROUP}"
    return dumps_indented(data).encode()
