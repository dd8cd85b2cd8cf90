"""The hub search service: one in-memory index per running app, kept in step with the database.

The database stays the source of truth. Before each search the service asks the database for
a cheap fingerprint of the catalogue (row count, newest change, highest id); when it differs
from the one the index was built from, the index is rebuilt. Changes made through this process
also drop the index at once, so an admin sees their edit in the very next search.

The hub feature declares :class:`HubService` as a service (``feature.service(HubService)``), so
each app holds one, reached as ``ctx.services[HubService]`` (``ports.services`` in a job).
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select

from bot.core.errors import UsageError
from bot.core.i18n import N_
from bot.features.hub import taxonomy
from bot.features.hub.index import Doc, Filters, Result, SearchIndex
from bot.features.hub.text import is_stopword, words
from storage.models import Resource

if TYPE_CHECKING:
    from bot.core.ports import Ports
    from storage.unit_of_work import UnitOfWork

MAX_QUERY_LENGTH = 300
SUGGESTIONS = 25
"""Discord shows at most 25 autocomplete choices."""
FILTER_KEYS: dict[str, str] = {
    "theme": "theme", "themes": "theme", "thème": "theme", "theme_": "theme", "tema": "theme",
    "موضوع": "theme",
    "type": "type", "tipo": "type", "نوع": "type",
    "region": "region", "région": "region", "región": "region", "منطقة": "region",
    "lang": "lang", "language": "lang", "langue": "lang", "idioma": "lang", "لغة": "lang",
}  # fmt: skip
_FILTER = re.compile(r"(?<!\S)([^\W\d_]+):(\"[^\"]*\"|'[^']*'|\S+)")


@dataclass(frozen=True)
class ParsedQuery:
    text: str
    filters: Filters


def parse_query(raw: str) -> ParsedQuery:
    """Split ``theme:quotas type:guide`` filters from the words; unknown values are refused."""
    if len(raw) > MAX_QUERY_LENGTH:
        raise UsageError(
            N_("Your search is too long: {length} characters, at most {limit}."),
            length=len(raw),
            limit=MAX_QUERY_LENGTH,
        )
    chosen: dict[str, str] = {}
    kept: list[str] = []
    position = 0
    for match in _FILTER.finditer(raw):
        key = FILTER_KEYS.get(match.group(1).casefold())
        if key is None:
            continue
        kept.append(raw[position : match.start()])
        position = match.end()
        value = match.group(2).strip("\"'").replace("_", " ")
        codes = taxonomy.resolve(key, value) or taxonomy.resolve(key, match.group(2))
        if not codes:
            raise UsageError(
                N_("I don't know the {kind} “{value}”. Try one of: {allowed}."),
                kind=key,
                value=value[:60],
                allowed=", ".join(t.code for t in taxonomy.terms(key)),
            )
        chosen[key] = codes[0]
    kept.append(raw[position:])
    text = " ".join(" ".join(kept).split())
    return ParsedQuery(text, Filters(**chosen))


def doc_from(resource: Resource) -> Doc:
    return Doc(
        id=resource.id,
        title=resource.title,
        summary=resource.summary or "",
        url=resource.url,
        type=resource.type,
        themes=tuple(resource.themes or ()),
        regions=tuple(resource.regions or ()),
        languages=tuple(resource.languages or ()),
        publisher=resource.publisher or "",
        year=resource.year,
    )


class HubService:
    """Holds the index of one app; every method takes the request's unit of work."""

    def __init__(self) -> None:
        self._index: SearchIndex | None = None
        self._fingerprint: tuple[Any, ...] | None = None
        self._lock = asyncio.Lock()

    @property
    def indexed(self) -> int:
        """Resources in the index built in this process (0 before the first search)."""
        return len(self._index.docs) if self._index is not None else 0

    def invalidate(self) -> None:
        """The catalogue changed in this process: rebuild before the next search."""
        self._index = None
        self._fingerprint = None

    @staticmethod
    async def fingerprint(uow: UnitOfWork) -> tuple[Any, ...]:
        row = (
            await uow.session.execute(
                select(
                    func.count(Resource.id), func.max(Resource.updated_at), func.max(Resource.id)
                )
            )
        ).one()
        return tuple(row)

    async def index(self, uow: UnitOfWork) -> SearchIndex:
        current = await self.fingerprint(uow)
        if self._index is not None and current == self._fingerprint:
            return self._index
        async with self._lock:
            if self._index is None or current != self._fingerprint:
                resources = await uow.resources.all()
                docs = [doc_from(r) for r in resources]
                # Building takes seconds at 10k+ resources: keep the event loop answering.
                self._index = await asyncio.to_thread(SearchIndex, docs)
                self._fingerprint = current
            return self._index

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
        return index.search(parsed.text, filters, limit=limit, offset=offset, prefix=prefix)


async def _suggested_docs(ports: Ports, prefix: str) -> list[Doc]:
    text = prefix.strip()
    async with ports.unit_of_work() as uow:
        service = ports.services[HubService]
        if not text:
            index = await service.index(uow)
            return sorted(index.docs, key=lambda d: (-(d.year or 0), d.id))[:SUGGESTIONS]
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


async def related_resources(
    ports: Ports, uow: UnitOfWork, text: str, limit: int = 3
) -> list[Doc]:
    """The resources most related to a question's text (for advice threads).

    Filter syntax in the question is ignored: a question mentioning ``region:`` is prose.
    """
    words = " ".join(text.split())[:MAX_QUERY_LENGTH]
    if not words:
        return []
    index = await ports.services[HubService].index(uow)
    return [hit.doc for hit in index.search(words, limit=limit).hits]
