"""The hub search service: one live index per running app, searched with members' votes.

The index itself, kept in step with the database, is :class:`~bot.features.hub.live_index.
LiveIndex`; the query syntax is :mod:`bot.features.hub.query`. Here: the search (query, vote
weights, index), autocomplete and the resources related to a question.

The hub feature declares :class:`HubService` as a service (``feature.service(HubService)``), so
each app holds one, reached as ``ctx.services[HubService]`` (``ports.services`` in a job).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from bot.core.errors import UsageError
from bot.core.i18n import N_
from bot.features.hub.docs import Doc, Filters, Result
from bot.features.hub.live_index import INCREMENTAL_LIMIT as INCREMENTAL_LIMIT  # read from here
from bot.features.hub.live_index import SNAPSHOT_FORMAT as SNAPSHOT_FORMAT  # read from here too
from bot.features.hub.live_index import LiveIndex
from bot.features.hub.live_index import doc_from as doc_from  # read from here too
from bot.features.hub.query import FILTER_KEYS as FILTER_KEYS  # read from here too
from bot.features.hub.query import MAX_QUERY_LENGTH, parse_query
from bot.features.hub.text import is_stopword, words

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    from bot.core.ports import Ports
    from bot.features.hub.index import SearchIndex
    from storage.unit_of_work import UnitOfWork


VOTE_WEIGHT = 0.15
"""How much members' votes may move a score, at most (±15 %)."""
VOTE_PRIOR = 5
"""Votes count against this many neutral ones: a single vote moves a score by 2.5 %."""
SUGGESTIONS = 25
"""Discord shows at most 25 autocomplete choices."""


def vote_weight(helpful: int, not_helpful: int) -> float:
    """The factor a resource's score is multiplied by: ``1 + 0.15 × (up − down) / (up + down
    + 5)``, so between 0.85 and 1.15, and near 1 until many members agree. Relevance stays
    first: votes only reorder resources that match about as well."""
    total = helpful + not_helpful + VOTE_PRIOR
    return 1.0 + VOTE_WEIGHT * (helpful - not_helpful) / total


class HubService(LiveIndex):
    """Searches the hub for one app; every method takes the request's unit of work."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(clock)
        self._weights: NDArray[np.float64] | None = None
        self._weights_key: tuple[Any, ...] | None = None

    async def search(
        self,
        uow: UnitOfWork,
        raw: str,
        *,
        limit: int = 5,
        offset: int = 0,
        prefix: bool = False,
        extra: Filters | None = None,
    ) -> Result:
        parsed = parse_query(raw)
        filters = parsed.filters
        if extra is not None:
            filters = Filters(**{**dict(extra.items()), **dict(parsed.filters.items())})
        meaningful = [w for w in words(parsed.text) if not is_stopword(w)]
        if not meaningful and not filters.items():
            raise UsageError(
                N_("Tell me what to look for, for example: /resources gender budgeting")
            )
        index = await self.index(uow)
        weights = await self.weights(uow, index)
        return index.search(
            parsed.text, filters, limit=limit, offset=offset, prefix=prefix, weights=weights
        )

    async def weights(self, uow: UnitOfWork, index: SearchIndex) -> NDArray[np.float64] | None:
        """Each indexed resource's :func:`vote_weight` (None while nobody has voted), kept
        until the votes or the index change."""
        import numpy as np

        key = (id(index), index.generation, len(index.docs),
               *await uow.curation.votes_fingerprint())  # fmt: skip
        if key != self._weights_key:
            tallies = await uow.curation.tallies()
            weights = np.ones(len(index.docs)) if tallies else None
            for resource_id, (up, down) in tallies.items():
                position = index.by_id.get(resource_id)
                if weights is not None and position is not None:
                    weights[position] = vote_weight(up, down)
            self._weights, self._weights_key = weights, key
        return self._weights


async def _suggested_docs(ports: Ports, prefix: str) -> list[Doc]:
    text = prefix.strip()
    async with ports.unit_of_work() as uow:
        service = ports.services[HubService]
        if not text:
            index = await service.index(uow)
            return sorted(index.live_docs(), key=lambda d: (-(d.year or 0), d.id))[:SUGGESTIONS]
        try:
            result = await service.search(uow, text, limit=SUGGESTIONS, prefix=True)
        except UsageError:
            return []
    return [hit.doc for hit in result.hits]


async def suggest_resources(ports: Ports, prefix: str) -> list[tuple[str, str]]:
    """Autocomplete for resource arguments (``/resource edit``): (label, resource id)."""
    return [(_choice_label(doc), str(doc.id)) for doc in await _suggested_docs(ports, prefix)]


async def suggest_resource_titles(ports: Ports, prefix: str) -> list[tuple[str, str]]:
    """Autocomplete for the search box (``/resources``): the value is the title itself, so
    picking a suggestion searches for that very resource."""
    return [(_choice_label(doc), doc.title[:100]) for doc in await _suggested_docs(ports, prefix)]


def _choice_label(doc: Doc) -> str:
    year = f" ({doc.year})" if doc.year else ""
    label = doc.title + year
    return label if len(label) <= 100 else doc.title[: 99 - len(year)] + "…" + year


async def related_resources(ports: Ports, uow: UnitOfWork, text: str, limit: int = 3) -> list[Doc]:
    """The resources most related to a question's text (for advice threads).

    Filter syntax in the question is ignored: a question mentioning ``region:`` is prose.
    """
    words = " ".join(text.split())[:MAX_QUERY_LENGTH]
    if not words:
        return []
    index = await ports.services[HubService].index(uow)
    return [hit.doc for hit in index.search(words, limit=limit).hits]
