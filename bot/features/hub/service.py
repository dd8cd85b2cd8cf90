"""The hub search service: one in-memory index per running app, kept in step with the database.

The database stays the source of truth. Before each search the service reads the catalogue's
version (one indexed ``max``); when it moved, the resources changed since are re-read and
updated in the index one by one, so an admin (in any process) sees their edit in the very next
search. The index is persisted with its version, so a restart loads it instead of rebuilding.

The hub feature declares :class:`HubService` as a service (``feature.service(HubService)``), so
each app holds one, reached as ``ctx.services[HubService]`` (``ports.services`` in a job).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.background import log_failure
from bot.core.changelog import ChangeCursor, window_start
from bot.core.errors import UsageError
from bot.core.i18n import N_, Plural
from bot.features.hub import taxonomy
from bot.features.hub.docs import Doc, Filters, Result
from bot.features.hub.snapshot import dump_parts, load_parts
from bot.features.hub.text import is_stopword, words
from storage.models import Resource
from storage.repositories.resources import ResourceRepository

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    from bot.features.hub.index import SearchIndex


if TYPE_CHECKING:
    from bot.core.ports import Ports
    from storage.database import Database
    from storage.unit_of_work import UnitOfWork


log = logging.getLogger(__name__)

MAX_QUERY_LENGTH = 300
VOTE_WEIGHT = 0.15
"""How much members' votes may move a score, at most (±15 %)."""
VOTE_PRIOR = 5
"""Votes count against this many neutral ones: a single vote moves a score by 2.5 %."""
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
_HASHTAG = re.compile(r"(?<!\S)#([^\W\d][\w\-]*)")
"""``#quotas``, as ``/ask`` taught: a theme filter when it names one, else a searched word."""


def _hashtag(match: re.Match[str]) -> str:
    tag = match.group(1)
    known = taxonomy.resolve("theme", tag.replace("_", " ").replace("-", " "))
    return f"theme:{tag}" if known else tag


@dataclass(frozen=True)
class ParsedQuery:
    text: str
    filters: Filters


def parse_query(raw: str) -> ParsedQuery:
    """Split ``theme:quotas type:guide`` filters from the words; unknown values are refused."""
    if len(raw) > MAX_QUERY_LENGTH:
        raise UsageError(
            Plural(
                "Your search is too long: {count} character, at most {limit}.",
                "Your search is too long: {count} characters, at most {limit}.",
                len(raw),
            ),
            limit=MAX_QUERY_LENGTH,
        )
    raw = _HASHTAG.sub(_hashtag, raw)
    chosen: dict[str, str] = {}
    kept: list[str] = []
    position = 0
    for match in _FILTER.finditer(raw):
        key = FILTER_KEYS.get(match.group(1).casefold())
        if key is None:
            continue
        kept.append(raw[position : match.start()])
        position = match.end()
        codes = taxonomy.resolve_typed(key, match.group(2).strip("\"'"))
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


def vote_weight(helpful: int, not_helpful: int) -> float:
    """The factor a resource's score is multiplied by: ``1 + 0.15 × (up − down) / (up + down
    + 5)``, so between 0.85 and 1.15, and near 1 until many members agree. Relevance stays
    first: votes only reorder resources that match about as well."""
    total = helpful + not_helpful + VOTE_PRIOR
    return 1.0 + VOTE_WEIGHT * (helpful - not_helpful) / total


SNAPSHOT_FORMAT = 2
"""The layout of a persisted index (bump when :class:`SearchIndex` changes shape)."""
INCREMENTAL_LIMIT = 500
"""Changes applied in place, one doc each; beyond that a full rebuild (in a thread) is cheaper."""
COMPACT_SHARE = 0.25
"""Rebuild once this share of positions is dead (removed or replaced docs)."""
SNAPSHOT_EVERY = 200
"""Persist the index again after this many versions applied in place, so a restart replays
few changes."""


class HubService:
    """Holds the index of one app; every method takes the request's unit of work.

    The catalogue's version (``max(hub_changes.id)``, bumped in the same transaction as any
    change to a resource) is read before each search: when it moved, only the resources named
    by the changes since are re-read and upserted or removed. The first search of a process
    loads the persisted index (``hub_index_snapshots``) and replays the changes after it; only
    when there is none, or too much changed, is the index built in full, in a worker thread,
    and then persisted in the background.

    On PostgreSQL a change number may commit after a higher one was read: the
    :class:`ChangeCursor` remembers the numbers skipped and has them read again at the next
    searches (for a minute), so a late-committed edit is still applied.
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._index: SearchIndex | None = None
        self._clock = clock
        self._cursor = ChangeCursor(0, clock)
        self._saved_version = 0
        self._lock = asyncio.Lock()
        self._saving: asyncio.Task[None] | None = None
        self._weights: NDArray[np.float64] | None = None
        self._weights_key: tuple[Any, ...] | None = None
        self._database: Database | None = None
        self._warming: asyncio.Task[None] | None = None
        self._rebuilding: asyncio.Task[None] | None = None
        self.builds = 0
        """Full builds in this process (tests and the bench count them)."""
        self.loads = 0
        """Persisted indexes loaded in this process."""

    @property
    def indexed(self) -> int:
        """Resources in the index of this process (0 before the first search)."""
        return self._index.size if self._index is not None else 0

    @property
    def version(self) -> int:
        """The catalogue version the index reflects."""
        return self._cursor.version

    def invalidate(self) -> None:
        """Nothing to do: a change bumps the catalogue's version in its own transaction, and
        the next search (in any process) applies it. Kept for the callers' readability."""

    def warm_up(self, database: Database) -> None:
        """Load (or build) the index in the background as the app starts, in its own read
        transaction: a request never holds its transaction (and, on SQLite, the write lock)
        while the index is built; only a search arriving before the index is ready waits."""
        self._database = database
        self._warming = asyncio.create_task(self._warm_up(database))

    async def _warm_up(self, database: Database) -> None:
        try:
            async with database.unit_of_work() as uow:
                await self.index(uow)
        except Exception as error:  # the first search tries again
            log_failure(log, "prepare the hub index", error)

    async def close(self) -> None:
        """Stop background work (the app is closing)."""
        for task in (self._warming, self._rebuilding, self._saving):
            if task is not None and not task.done():
                task.cancel()
                with contextlib.suppress(BaseException):
                    await task

    async def index(self, uow: UnitOfWork) -> SearchIndex:
        current = await uow.resources.version()
        if self._index is not None and (self._cursor.settled(current) or self._lock.locked()):
            return self._index  # while another request updates, the last index still answers
        async with self._lock:
            if self._index is None:
                await self._load(uow)
            if self._index is None or not self._cursor.settled(current):
                await self._catch_up(uow, current)
            assert self._index is not None
            return self._index

    async def _load(self, uow: UnitOfWork) -> None:
        from bot.features.hub.index import SearchIndex

        version = await uow.resources.snapshot_version(SNAPSHOT_FORMAT)
        if version is None:
            return
        loop = asyncio.get_running_loop()

        def fetch(part: int) -> bytes | None:  # in the worker thread: one slice from the loop
            read = uow.resources.snapshot_part(version, SNAPSHOT_FORMAT, part)
            return asyncio.run_coroutine_threadsafe(read, loop).result()

        try:
            # Slice by slice: the whole blob is never in memory next to the index it becomes.
            index = await asyncio.to_thread(load_parts, fetch)
        except Exception as error:  # a damaged snapshot is rebuilt, never fatal
            log_failure(log, "read the hub index snapshot (rebuilding it)", error)
            return
        if isinstance(index, SearchIndex):
            # Changes just below the snapshot's version may have committed after it was built
            # (their numbers taken earlier): replay them, a few idempotent upserts.
            self._index, self._saved_version = index, version
            self._cursor = ChangeCursor(window_start(version), self._clock)
            self.loads += 1

    async def _catch_up(self, uow: UnitOfWork, current: int) -> None:
        index, cursor = self._index, self._cursor
        changes = None
        if index is not None and index.dead <= COMPACT_SHARE * max(len(index.docs), 1):
            changes = await uow.resources.change_rows(
                cursor.version, INCREMENTAL_LIMIT, cursor.pending()
            )
        if index is not None and changes is None and self._database is not None:
            # Too much changed: rebuild in the background; the last index answers meanwhile.
            if self._rebuilding is None or self._rebuilding.done():
                self._rebuilding = asyncio.create_task(self._rebuild_apart(self._database))
            return
        if index is None or changes is None:
            await self._rebuild(uow, current)
            return
        ids = {resource_id for _number, resource_id in changes}
        resources = {r.id: r for r in await uow.resources.by_ids(sorted(ids))}
        retired = await uow.curation.retired_ids()
        if self._index is not index:
            return  # a background rebuild replaced it meanwhile; its version is the one kept
        for resource_id in sorted(ids):  # no await below: searches never see half an update
            resource = resources.get(resource_id)
            if resource is None or resource_id in retired:
                index.remove(resource_id)
                continue
            doc = doc_from(resource)
            position = index.by_id.get(resource_id)
            if position is None or index.docs[position] != doc:  # a replay changes nothing
                index.upsert(doc)
        cursor.advance(number for number, _resource_id in changes)
        if cursor.version - self._saved_version >= SNAPSHOT_EVERY:
            self._persist(uow, index, cursor.version)

    async def _rebuild_apart(self, database: Database) -> None:
        try:
            async with database.unit_of_work() as uow:
                await self._rebuild(uow, await uow.resources.version())
        except Exception as error:
            log_failure(log, "rebuild the hub index", error)

    async def _rebuild(self, uow: UnitOfWork, current: int) -> None:
        # The version is read before the rows: a change committed in between is in the rows
        # and replayed once more later (an upsert is idempotent), never missed.
        from bot.features.hub.index import SearchIndex

        listed = await uow.resources.change_rows(window_start(current), INCREMENTAL_LIMIT)
        retired = await uow.curation.retired_ids()
        resources = [r for r in await uow.resources.all() if r.id not in retired]
        docs = [doc_from(r) for r in resources]
        # Building takes seconds at 10k+ resources: keep the event loop answering.
        self._index = await asyncio.to_thread(SearchIndex, docs)
        window = None if listed is None else [number for number, _resource_id in listed]
        cursor = ChangeCursor.built(current, window, self._clock)
        cursor.inherit(self._cursor)
        self._cursor = cursor
        self.builds += 1
        self._persist(uow, self._index, current)

    def _persist(self, uow: UnitOfWork, index: SearchIndex, version: int) -> None:
        """Save the index in the background, in its own transaction (the request's may be
        rolled back, and must not wait for it)."""
        if self._saving is not None and not self._saving.done():
            return
        self._saved_version = version
        self._saving = asyncio.create_task(self._save(uow.session.bind, index, version))

    async def _save(self, engine: Any, index: SearchIndex, version: int) -> None:
        try:
            data = await asyncio.to_thread(dump_parts, index)
            async with AsyncSession(engine) as session, session.begin():
                await ResourceRepository(session).save_snapshot(
                    version, SNAPSHOT_FORMAT, data, datetime.now(UTC)
                )
        except Exception as error:  # the next build tries again; searches go on
            log_failure(log, "persist the hub index", error)
            self._saved_version = 0

    async def saved(self) -> None:
        """Wait for the background work (warm-up, rebuild, save) to finish: tests, shutdown."""
        for name in ("_warming", "_rebuilding", "_saving"):
            task = getattr(self, name)
            if task is not None:
                await asyncio.shield(task)

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
