"""Approved contributions count on a champion's profile, in /stats and in the recognition
export (:mod:`bot.features.calls.recognition` asks every declared counter)."""

from __future__ import annotations

from datetime import datetime

from bot.features.calls.recognition import Counts, contribution_counter
from storage.unit_of_work import UnitOfWork


@contribution_counter
async def approved_contributions(
    uow: UnitOfWork, community_id: int | None, since: datetime | None, until: datetime | None
) -> Counts:
    """Shared resources and good practices an admin approved, per contributor."""
    return await uow.contributions.approved_by_member(community_id, since, until)
