"""The hub index of one app, kept in step with the database: loaded, caught up, rebuilt, saved.

The database stays the source of truth. Before each search the index reads the catalogue's
version (one indexed ``max``); when it moved, the resources changed since are re-read and
updated in the index one by one, so an admin (in any process) sees their edit in the very next
search. The index is persisted with its version, so a restart loads it instead of rebuilding.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.background import log_failure
from bot.core.changelog import ChangeCursor, window_start
from bot.features.hub.docs import Doc
from bot.features.hub.snapshot import dump_parts, load_parts
from storage.models import Resource
from storage.repositories.resources import ResourceRepository

if TYPE_CHECKING:
    from bot.features.hub.index import SearchIndex
    from storage.database import Database
    from storage.unit_of_work import UnitOfWork


log = logging.getLogger(__name__)


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


SNAPSHOT_FORMAT = 2
"""The layout of a persisted index (bump when :class:`SearchIndex` changes shape)."""
INCREMENTAL_LIMIT = 500
"""Changes applied in place, one doc each; beyond that a full rebuild (in a thread) is cheaper."""
COMPACT_SHARE = 0.25
"""Rebuild once this share of positions is dead (removed or replaced docs)."""
SNAPSHOT_EVERY = 200
"""Persist the index again after this many versions applied in place, so a restart replays
few changes."""


class LiveIndex:
    """Holds the search index of one app; every method takes the request's unit of work.

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
