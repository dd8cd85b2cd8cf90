"""For admins: are people meeting? Participation, meeting rate, repeats, who met which region.

Shown by ``/meet report`` and as a section of ``/stats`` (:func:`stat_rows`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from bot.core.i18n import N_, Translator
from bot.core.richtext import Block, BulletList, bold, bullets, code, line
from bot.core.vocab import REGION_CODES, REGIONS, label
from storage.models import Community
from storage.statuses import MeetStatus
from storage.unit_of_work import UnitOfWork


@dataclass
class Figures:
    participants: Counter[str] = field(default_factory=Counter)
    rounds: int = 0
    pairs: int = 0
    repeated_pairs: int = 0
    answers: int = 0
    met: int = 0
    matrix: Counter[tuple[str, str]] = field(default_factory=Counter)
    """(region, region) → pairs that met across them, counted both ways."""

    @property
    def repeat_rate(self) -> float:
        return self.repeated_pairs / self.pairs if self.pairs else 0.0

    @property
    def meeting_rate(self) -> float:
        return self.met / self.answers if self.answers else 0.0


async def figures(uow: UnitOfWork, community: Community, *, matrix: bool = True) -> Figures:
    """Counted by the database in a few statements, whatever the number of rounds and
    pairings (the Python loop over every pairing took seconds at 30k); ``matrix=False`` skips
    the region table (``/stats`` does not show it)."""
    result = Figures()
    result.participants.update(await uow.meet.participant_counts(community.id))
    result.rounds, result.answers, result.met = await uow.meet.round_figures(community.id)
    result.pairs, distinct = await uow.meet.pair_counts(community.id)
    result.repeated_pairs = result.pairs - distinct
    if matrix:
        for first, second, count in await uow.meet.region_pairs(community.id):
            result.matrix[(first, second)] += count
            if first != second:
                result.matrix[(second, first)] += count
    return result


def _percent(value: float) -> str:
    return f"{round(value * 100)}%"


def matrix_text(matrix: Counter[tuple[str, str]]) -> str:
    """A six-by-six table of pairs per region couple; rows and columns numbered as listed."""
    header = "   " + " ".join(f"{i + 1:>3}" for i in range(len(REGION_CODES)))
    rows = [header]
    for i, a in enumerate(REGION_CODES):
        cells = " ".join(f"{matrix.get((a, b), 0):>3}" for b in REGION_CODES)
        rows.append(f"{i + 1:>2} {cells}")
    return "\n".join(rows)


def render(result: Figures, _: Translator) -> list[Block | BulletList]:
    blocks: list[Block | BulletList] = [line(bold(_.gettext("Pairing rounds")))]
    blocks.append(
        bullets(
            [
                _.gettext(
                    "Taking part: {active} (paused {paused}, left {left})",
                    active=result.participants[MeetStatus.ACTIVE],
                    paused=result.participants[MeetStatus.PAUSED],
                    left=result.participants[MeetStatus.LEFT],
                ),
                _.gettext(
                    "Rounds: {rounds}, pairs: {pairs}", rounds=result.rounds, pairs=result.pairs
                ),
                _.ngettext(
                    "Meeting rate: {rate} of {count} answer",
                    "Meeting rate: {rate} of {count} answers",
                    result.answers,
                    rate=_percent(result.meeting_rate),
                ),
                _.gettext("Repeat rate: {rate}", rate=_percent(result.repeat_rate)),
            ]
        )
    )
    blocks.append(line(bold(_.gettext("Who met whom, by region"))))
    blocks.append(
        bullets(
            [f"{i + 1}. {_.gettext(label(REGIONS, c) or c)}" for i, c in enumerate(REGION_CODES)]
        )
    )
    blocks.append(line(code(matrix_text(result.matrix))))
    return blocks


async def stat_rows(
    uow: UnitOfWork, community: Community, since: datetime, until: datetime
) -> list[tuple[str, int | str]]:
    """The section of ``/stats`` (whole history: rounds are few)."""
    result = await figures(uow, community, matrix=False)
    return [
        (N_("Pairing rounds: members taking part"), result.participants[MeetStatus.ACTIVE]),
        (N_("Pairing rounds: meeting rate"), _percent(result.meeting_rate)),
        (N_("Pairing rounds: repeat rate"), _percent(result.repeat_rate)),
    ]
