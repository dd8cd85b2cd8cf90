"""The working group's view: where the network is strong and weak, by region and dimension.

Only members who agreed (``shared``) count, each with her latest finished personal result, and
no figure is ever given for fewer than :data:`MIN_GROUP` people: a region with four who shared
shows "fewer than five", and a community with fewer than five in all shows nothing at all.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import asdict, dataclass
from fractions import Fraction

from bot.core.errors import UserFacingError
from bot.core.json_text import dumps_indented
from bot.core.vocab import REGION_CODES
from bot.features.assessment.framework import Framework
from storage.repositories.assessment import SharedCounts
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


async def network(
    uow: UnitOfWork,
    framework: Framework,
    community_id: int,
    *,
    with_criteria: Callable[[dict[str, float | None]], None] | None = None,
) -> Aggregate:
    """The aggregate of a community; :class:`UserFacingError` under five people.

    The database counts (:meth:`AssessmentRepository.shared_counts`: a few grouped rows at any
    size); the means are taken here, exactly as :func:`scores` and :func:`statistics.mean`
    would over every member: a member's dimension score is ``round(mean(levels) * 20, 1)``,
    and a mean of many is the exact fraction rounded once (what ``statistics.mean`` does).
    ``with_criteria`` gets the criteria's means before the dimensions are counted, so the
    radar, which needs only those, is drawn while the database works."""
    questions = framework.questions("personal")
    members: dict[str, int] = {}
    criteria: dict[str, float | None] = {}

    def first_part(found: SharedCounts) -> None:
        for region, count in found.members.items():
            members[region or "none"] = members.get(region or "none", 0) + count
        if sum(members.values()) < MIN_GROUP:
            raise UserFacingError(
                "Fewer than five members have shared their results, so there are no figures "
                "yet: a smaller group could single someone out."
            )
        levels: dict[str, list[tuple[float, int]]] = {}
        for criterion, level, count in found.levels:
            levels.setdefault(criterion, []).append((float(level), count))
        for question in questions:
            level_mean = _mean_of_at_least(levels.get(question.criterion.code))
            code = question.criterion.code
            criteria[code] = None if level_mean is None else round(level_mean * 20, 1)
        if with_criteria is not None:
            with_criteria(criteria)

    found = await uow.assessments.shared_counts(
        framework.code,
        track="personal",
        community_id=community_id,
        dimension_of={q.criterion.code: q.dimension.code for q in questions},
        before_dimensions=first_part,
    )
    total = sum(members.values())
    values: dict[tuple[str, str], list[tuple[float, int]]] = {}
    for region, code, level_sum, answered, count in found.dimensions:
        value = round(float(Fraction(level_sum, answered)) * 20, 1)
        for key in (ALL_REGIONS, region or "none"):
            values.setdefault((key, code), []).append((value, count))
    cells = []
    for region, size in [(ALL_REGIONS, total), *_in_order(members)]:
        for dimension in framework.dimensions:
            score = _mean_of_at_least(values.get((region, dimension.code)))
            cells.append(
                Cell(region, dimension.code, size, None if score is None else round(score, 1))
            )
    return Aggregate(framework.code, total, cells, criteria)


def _mean_of_at_least(weighted: list[tuple[float, int]] | None) -> float | None:
    """The mean of values given with how many have each, if :data:`MIN_GROUP` or more, else
    ``None``: rounded once from the exact sum, like ``statistics.mean`` of the full list."""
    if not weighted or (count := sum(n for _v, n in weighted)) < MIN_GROUP:
        return None
    return float(sum(Fraction(value) * n for value, n in weighted) / count)


def _in_order(members: dict[str, int]) -> list[tuple[str, int]]:
    """Regions in the pilot's order, others by code, members without a region last."""
    rank = {code: n for n, code in enumerate(REGION_CODES)}
    return sorted(
        members.items(),
        key=lambda item: (item[0] == "none", rank.get(item[0], len(rank)), item[0]),
    )


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
