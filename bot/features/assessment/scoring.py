"""Scores from answers: per dimension on 0-100, stoplight bands, change, institutions combined.

Pure functions (no database): a level 0-5 counts ``level * 20``; "not applicable" and skipped
questions are left out, so a dimension nobody could answer has no score (``None``), never 0.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from statistics import mean

from bot.features.assessment.framework import Criterion, Framework, Track

Answers = Mapping[str, float | None]
"""Criterion code → level (0-5, a mean when several members answered), ``None`` = n/a."""

WEAK_AT_MOST = 2
"""A criterion answered at this level or below is weak: the advice follows it."""
STRONG_AT_LEAST = 4
"""A champion at this level or above may be suggested to peers (if she agreed)."""


@dataclass(frozen=True)
class Score:
    code: str
    """The dimension's code."""
    value: float | None
    """0-100, or ``None`` when no question of the dimension had a level."""
    answered: int


def scores(framework: Framework, track: Track, answers: Answers) -> list[Score]:
    """One score per dimension, in the framework's order."""
    found = []
    asked = {q.criterion.code for q in framework.questions(track)}
    for dimension in framework.dimensions:
        levels = [
            float(level)
            for c in dimension.criteria
            if c.code in asked and (level := answers.get(c.code)) is not None
        ]
        value = round(mean(levels) * 20, 1) if levels else None
        found.append(Score(dimension.code, value, len(levels)))
    return found


def criterion_scores(framework: Framework, track: Track, answers: Answers) -> list[float | None]:
    """Each question's level on 0-100 (the radar's spokes), ``None`` when not answered."""
    return [
        None if (level := answers.get(q.criterion.code)) is None else float(level) * 20
        for q in framework.questions(track)
    ]


def weak_criteria(framework: Framework, track: Track, answers: Answers) -> list[Criterion]:
    """The criteria answered at :data:`WEAK_AT_MOST` or below, weakest first."""
    rated = [
        (float(level), index, q.criterion)
        for index, q in enumerate(framework.questions(track))
        if (level := answers.get(q.criterion.code)) is not None and level <= WEAK_AT_MOST
    ]
    return [criterion for _level, _index, criterion in sorted(rated, key=lambda r: r[:2])]


def combine(answer_sets: Sequence[Answers]) -> dict[str, float | None]:
    """Several members' answers for one institution: the mean level per criterion; a criterion
    every one found not applicable stays ``None``; one nobody answered is absent."""
    codes = {code for answers in answer_sets for code in answers}
    combined: dict[str, float | None] = {}
    for code in sorted(codes):
        levels = [a[code] for a in answer_sets if a.get(code) is not None]
        combined[code] = (
            round(mean(float(v) for v in levels if v is not None), 2) if levels else None
        )
    return combined


def change(now: Sequence[Score], before: Sequence[Score]) -> dict[str, float]:
    """Score change per dimension since ``before`` (only where both have a score)."""
    previous = {s.code: s.value for s in before}
    return {
        s.code: round(s.value - old, 1)
        for s in now
        if s.value is not None and (old := previous.get(s.code)) is not None
    }
