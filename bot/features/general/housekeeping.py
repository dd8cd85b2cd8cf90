"""Tables that only grow are kept short: the change logs the in-memory indexes follow.

``advice_changes``, ``directory_changes`` and ``hub_changes`` get a row for every change (ids
only) and were never pruned. An index follows its log from a cursor; when more than its
incremental limit changed after the cursor it rebuilds instead of reading the changes one by
one. So a log can lose its old rows as long as it keeps more rows than any follower would
read one by one: a follower left behind the deleted range then sees too many changes and
rebuilds, as it would have anyway.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from bot.core.followed import FollowedIndexes
from bot.core.ports import Ports
from bot.features.general.commands import feature
from bot.features.hub.service import INCREMENTAL_LIMIT as HUB_INCREMENTAL_LIMIT

log = logging.getLogger(__name__)

KEEP_CHANGES = 10_000
"""Rows kept in each change log: twenty times what a follower reads one by one (500)."""


def followers_limit() -> int:
    """The most changes any follower applies one by one (it rebuilds beyond)."""
    followed = [kind.incremental_limit for kind in _subclasses(FollowedIndexes)]
    return max([HUB_INCREMENTAL_LIMIT, FollowedIndexes.incremental_limit, *followed])


def _subclasses(kind: type[FollowedIndexes[Any, Any]]) -> list[type[FollowedIndexes[Any, Any]]]:
    found: list[type[FollowedIndexes[Any, Any]]] = []
    for sub in kind.__subclasses__():
        found += [sub, *_subclasses(sub)]
    return found


@feature.periodic
async def prune_change_logs(ports: Ports, now: datetime) -> int:
    """Keep the newest :data:`KEEP_CHANGES` rows of each change log; return how many went."""
    del now  # by count, not by age: a follower's cursor is a number
    keep = max(KEEP_CHANGES, 2 * followers_limit())
    async with ports.unit_of_work() as uow:
        pruned = await uow.change_logs.prune(keep)
    if any(pruned.values()):
        log.info("pruned change logs to their newest %d rows: %s", keep, pruned)
    return sum(pruned.values())
