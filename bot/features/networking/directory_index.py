"""The index ``/find`` searches: one community's findable champions, ranked as the hub ranks.

The ranking is the Knowledge Hub's (:class:`bot.features.hub.index.SearchIndex`: folding,
stemming in four languages, typo correction, the taxonomy's synonyms in every language); a
champion is indexed as a resource would be (expertise as themes, bio as summary). Beside it the
index keeps each champion's folded name, for the alphabetical list a query of filters only
gets. Built from plain rows (:data:`storage.repositories.directory.DirectoryRow`) and updated
one champion at a time (:class:`bot.features.networking.directory.Directory` follows the
database's change log).
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence

from bot.features.hub.docs import Doc, Filters
from bot.features.hub.index import SearchIndex
from storage.repositories.directory import DirectoryRow


def member_doc(row: DirectoryRow) -> Doc:
    """A champion as the hub index sees a resource: expertise as themes, bio as summary."""
    member_id, name, organisation, bio, expertise, region, languages, role = row
    return Doc(
        id=member_id,
        title=" ".join(x for x in (name, organisation or "") if x),
        summary=bio or "",
        url=None,
        type="member",
        themes=tuple(expertise),
        regions=(region,) if region else (),
        languages=tuple(languages),
        publisher=role or "",
        year=None,
    )


def passes(doc: Doc, filters: Filters) -> bool:
    """``doc`` is in the region and speaks the language the query asked for (if it did)."""
    if filters.region and filters.region not in doc.regions:
        return False
    return not (filters.lang and filters.lang not in doc.languages)


class DirectoryIndex:
    """A community's findable champions: searched by words, or listed by name."""

    def __init__(self, rows: Sequence[DirectoryRow]) -> None:
        self.search_index = SearchIndex([member_doc(row) for row in rows])
        self._names = {row[0]: row[1].casefold() for row in rows}

    def upsert(self, row: DirectoryRow) -> None:
        self.search_index.upsert(member_doc(row))
        self._names[row[0]] = row[1].casefold()

    def remove(self, member_id: int, /) -> bool:
        self._names.pop(member_id, None)
        return self.search_index.remove(member_id)

    @property
    def size(self) -> int:
        return self.search_index.size

    @property
    def dead(self) -> int:
        return self.search_index.dead

    def find(self, query: str, filters: Filters, limit: int, excluding: int) -> list[int]:
        """The ids of the best ``limit`` champions for ``query`` (without ``excluding``, the
        one asking); no words: the first by name of those the filters let through."""
        if not query.strip():
            allowed = [
                doc.id
                for doc in self.search_index.live_docs()
                if doc.id != excluding and passes(doc, filters)
            ]
            return heapq.nsmallest(limit, allowed, key=lambda i: (self._names[i], i))
        result = self.search_index.search(query, filters, limit=limit + 1)
        return [hit.doc.id for hit in result.hits if hit.doc.id != excluding][:limit]
