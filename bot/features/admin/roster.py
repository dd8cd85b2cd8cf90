"""Champions per community, and the region balance the CIB pilot asks for (two per region)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from bot.core.vocab import REGION_CODES
from bot.features.admin.exports import safe_cell
from storage.models import Community
from storage.statuses import MembershipRole
from storage.unit_of_work import UnitOfWork

NO_REGION = ""


SHOWN = 10
"""Champions named per region in ``/champion list``: a chat message naming hundreds is read by
nobody (and grows with the community); the rest are counted, and listed in the CSV file."""


@dataclass(frozen=True)
class RegionBalance:
    region: str
    """A code of :data:`REGION_CODES`, or :data:`NO_REGION`."""
    names: tuple[str, ...]
    """The first :data:`SHOWN` champions' names, alphabetically."""
    count: int
    """All the region's champions."""
    wanted: int

    @property
    def missing(self) -> int:
        return max(self.wanted - self.count, 0) if self.region else 0

    @property
    def more(self) -> int:
        """Champions counted but not named."""
        return self.count - len(self.names)


async def region_balance(
    uow: UnitOfWork, community: Community, wanted: int, shown: int = SHOWN
) -> list[RegionBalance]:
    """Every region with its champions, in the pilot's order; champions without region last.
    Two statements at any size: the counts per region, and the first ``shown`` names of each."""
    counts = await region_counts(uow, community)
    names: dict[str, list[str]] = {}
    for region, _id, name in await uow.communities.first_by_region(
        community, MembershipRole.CHAMPION, REGION_CODES, shown
    ):
        names.setdefault(region, []).append(name)
    return [
        RegionBalance(code, tuple(names.get(code, ())), count, wanted if code else 0)
        for code, count in counts
    ]


async def region_counts(uow: UnitOfWork, community: Community) -> list[tuple[str, int]]:
    """Champions per region, in the pilot's order (those without region last, when any):
    counted in the database, for ``/stats`` at any size."""
    counts = await uow.communities.region_counts(community, MembershipRole.CHAMPION)
    rows = [(code, counts.get(code, 0)) for code in REGION_CODES]
    unplaced = sum(n for region, n in counts.items() if region not in REGION_CODES)
    if unplaced:
        rows.append((NO_REGION, unplaced))
    return rows


def to_csv(champions: list[tuple[int, str, str | None]]) -> bytes:
    """Every champion, one row each (id, name, region code): the list the message caps."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["id", "name", "region"])
    for member_id, name, region in champions:
        writer.writerow([member_id, safe_cell(name), region or ""])
    return out.getvalue().encode()
