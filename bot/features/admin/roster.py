"""Champions per community, and the region balance the CIB pilot asks for (two per region)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.vocab import REGION_CODES
from storage.models import Community, Member
from storage.statuses import MembershipRole
from storage.unit_of_work import UnitOfWork

NO_REGION = ""


@dataclass(frozen=True)
class RegionBalance:
    region: str
    """A code of :data:`REGION_CODES`, or :data:`NO_REGION`."""
    champions: tuple[Member, ...]
    wanted: int

    @property
    def missing(self) -> int:
        return max(self.wanted - len(self.champions), 0) if self.region else 0


async def region_balance(uow: UnitOfWork, community: Community, wanted: int) -> list[RegionBalance]:
    """Every region with its champions, in the pilot's order; champions without region last."""
    champions = await uow.communities.members_with_role(community, MembershipRole.CHAMPION)
    rows = [
        RegionBalance(code, tuple(m for m in champions if m.region == code), wanted)
        for code in REGION_CODES
    ]
    unplaced = tuple(m for m in champions if m.region not in REGION_CODES)
    if unplaced:
        rows.append(RegionBalance(NO_REGION, unplaced, 0))
    return rows


async def region_counts(uow: UnitOfWork, community: Community) -> list[tuple[str, int]]:
    """Champions per region, in the pilot's order (those without region last, when any):
    counted in the database, for ``/stats`` at any size."""
    counts = await uow.communities.region_counts(community, MembershipRole.CHAMPION)
    rows = [(code, counts.get(code, 0)) for code in REGION_CODES]
    unplaced = sum(n for region, n in counts.items() if region not in REGION_CODES)
    if unplaced:
        rows.append((NO_REGION, unplaced))
    return rows
