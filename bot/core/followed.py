"""In-memory search indexes, one per community, kept in step with a change log in the database.

``/search_advice`` (questions) and ``/find`` (champions who may be found) both search an index
that takes seconds to build at tens of thousands of rows and a millisecond to update by one.
Database triggers append a numbered row to a change log for every write that matters, from any
process; before each search the service reads the log's newest number (one index lookup) and,
when it moved, re-reads only the rows named by the changes since. A number that commits after a
higher one was read is looked for again at the next searches (:class:`.changelog.ChangeCursor`).

A member never waits for a whole build:

* **A bulk change** (over :attr:`FollowedIndexes.incremental_limit` log rows), or too many dead
  positions, rebuilds the community's index in the background, one build at a time per
  community, while the index it has keeps answering; the search that saw the change says its
  results may be incomplete, and the first search after the build sees everything.
* **No index yet** (before the warm-up reached the community): a community of at most
  :attr:`FollowedIndexes.stand_in` rows is indexed right there (a fraction of a second); a
  bigger one is answered from an index of its newest rows, built in a worker thread, kept in
  step like any other, and replaced by the whole index once the background build is done.

A subclass says where its log and rows are (:meth:`FollowedIndexes.log`,
:meth:`FollowedIndexes.reading`) and how its index is built and updated; this module holds no
SQL (the core never imports SQLAlchemy), only the following.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

from bot.core.background import log_failure
from bot.core.changelog import ChangeCursor, window_start

if TYPE_CHECKING:
    from storage.database import Database
    from storage.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)

RowT = TypeVar("RowT")
Change = tuple[int, int, int]
"""(number, community, row id): one row of a change log."""


class ChangeLog(Protocol[RowT]):
    """What a follower reads: a repository over one session (storage/repositories)."""

    async def index_version(self) -> int:
        """The log's newest number."""
        ...

    async def index_changes(
        self, after: int, limit: int, ids: Sequence[int] = ()
    ) -> list[Change] | None:
        """The changes after ``after`` and those numbered ``ids``, oldest first; None when
        more than ``limit``."""
        ...

    async def index_communities(self) -> list[int]:
        """The communities worth indexing at start."""
        ...

    async def index_rows(self, community_id: int, ids: Sequence[int] | None = None) -> list[RowT]:
        """The community's indexable rows (all, or those of ``ids`` that still are)."""
        ...

    async def index_latest(self, community_id: int, limit: int) -> list[RowT]:
        """The community's ``limit`` newest indexable rows."""
        ...


class Followable(Protocol):
    """What a follower needs of an index: dropping a row, and its live and dead positions."""

    def remove(self, key: int, /) -> bool: ...

    @property
    def size(self) -> int: ...

    @property
    def dead(self) -> int: ...


IndexT = TypeVar("IndexT", bound=Followable)


@dataclass
class Indexed(Generic[IndexT]):
    """A community's index and where it stands in the change log."""

    index: IndexT
    cursor: ChangeCursor
    partial: bool = False
    """Holds only the newest rows (and those changed since): the whole build is under way."""
    overflowed: bool = False
    """The last catch-up found too many changes: a rebuild is due, this index is behind."""

    @property
    def complete(self) -> bool:
        return not self.partial and not self.overflowed


class FollowedIndexes(Generic[IndexT, RowT]):
    """One index per community for one app, followed through a change log."""

    what = "index"
    """What is built, for log lines ("could not build the <what>")."""
    incremental_limit = 500
    """Changes applied in place, one row each; beyond that a full rebuild is cheaper."""
    compact_share = 0.25
    """Rebuild once this share of a community's positions is dead (edited or removed rows)..."""
    compact_at_least = 1000
    """...and at least this many: below it the dead positions cost next to nothing."""
    stand_in = 500
    """Rows indexed inside a search when a community has no index yet: its newest ones."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._indexed: dict[int, Indexed[IndexT]] = {}
        self._locks: dict[int, asyncio.Lock] = {}
        self._building: dict[int, asyncio.Task[None]] = {}
        self._warming: asyncio.Task[None] | None = None
        self._clock = clock
        self.builds = 0
        """Full builds in this process (tests and the benches count them)."""
        self.stand_ins = 0
        """Indexes of a big community's newest rows made while its build ran."""
        self.applied = 0
        """Rows updated in place in this process."""

    # what a subclass provides ----------------------------------------------------------

    def log(self, uow: UnitOfWork) -> ChangeLog[RowT]:
        """The change log and rows, read in the request's transaction."""
        raise NotImplementedError

    def reading(self, engine: Any) -> AbstractAsyncContextManager[ChangeLog[RowT]]:
        """The same in a read transaction of its own (a background build outlives the
        request that asked for it)."""
        raise NotImplementedError

    def build(self, rows: Sequence[RowT], *, whole: bool) -> IndexT:
        """An index of ``rows``, in a worker thread (``whole``: every row of the community,
        else a stand-in of the newest)."""
        raise NotImplementedError

    def upsert(self, index: IndexT, row: RowT) -> None:
        """Put ``row`` in ``index`` in place of the row with its key."""
        raise NotImplementedError

    def key(self, row: RowT) -> int:
        """The id a change log row names."""
        raise NotImplementedError

    # state -----------------------------------------------------------------------------

    def version(self, community_id: int) -> int | None:
        """The version the community's index reflects (None before it is built)."""
        found = self._indexed.get(community_id)
        return None if found is None else found.cursor.version

    def building(self, community_id: int) -> bool:
        """A full build of the community's index is under way."""
        task = self._building.get(community_id)
        return task is not None and not task.done()

    # background work -------------------------------------------------------------------

    def warm_up(self, database: Database) -> None:
        """Build the indexes of the communities worth it, in the background and in
        transactions of their own, so a first search rarely meets a community without one."""
        self._warming = asyncio.create_task(self._warm_up(database.engine))

    async def _warm_up(self, engine: Any) -> None:
        try:
            async with self.reading(engine) as changes:
                communities = await changes.index_communities()
            for community_id in communities:
                found = self._indexed.get(community_id)
                if found is None or not found.complete:
                    await asyncio.shield(self._rebuild(engine, community_id))
        except Exception as error:  # the first search tries again
            log_failure(log, f"prepare the {self.what}", error)

    def _rebuild(self, engine: Any, community_id: int) -> asyncio.Task[None]:
        """The community's build under way, or a new one: one at a time per community."""
        task = self._building.get(community_id)
        if task is None or task.done():
            task = asyncio.create_task(self._build_apart(engine, community_id))
            self._building[community_id] = task
        return task

    async def _build_apart(self, engine: Any, community_id: int) -> None:
        """Build the community's whole index from a transaction of its own; the index it
        replaces answers until then. The version is read before the rows: a change committed
        in between is in the rows and applied once more later (idempotent), never missed."""
        try:
            async with self.reading(engine) as changes:
                current = await changes.index_version()
                window = await changes.index_changes(window_start(current), self.incremental_limit)
                rows = await changes.index_rows(community_id)
            # Seconds at 10k+ rows, outside any transaction: keep the loop answering.
            index = await asyncio.to_thread(self.build, rows, whole=True)
            self._install(community_id, index, current, window, partial=False)
            self.builds += 1
        except Exception as error:  # the index it has keeps answering; a later search retries
            log_failure(log, f"build the {self.what}", error)

    def _install(
        self,
        community_id: int,
        index: IndexT,
        current: int,
        window: list[Change] | None,
        *,
        partial: bool,
    ) -> Indexed[IndexT]:
        numbers = None if window is None else [number for number, _c, _k in window]
        cursor = ChangeCursor.built(current, numbers, self._clock)
        replaced = self._indexed.get(community_id)
        if replaced is not None:
            cursor.inherit(replaced.cursor)
        self._indexed[community_id] = found = Indexed(index, cursor, partial=partial)
        return found

    async def ready(self) -> None:
        """Wait for the warm-up and every build under way (tests, the benches)."""
        if self._warming is not None:
            await asyncio.shield(self._warming)
        while running := [task for task in self._building.values() if not task.done()]:
            await asyncio.wait(running)

    async def close(self) -> None:
        for task in (self._warming, *self._building.values()):
            if task is not None and not task.done():
                task.cancel()
                with contextlib.suppress(BaseException):
                    await task

    # following the database ------------------------------------------------------------

    async def index(self, uow: UnitOfWork, community_id: int) -> tuple[IndexT, bool]:
        """The community's index brought up to the database's current version when that is
        cheap, and whether it holds every row (False while a build is under way)."""
        current = await self.log(uow).index_version()
        found = self._indexed.get(community_id)
        if found is not None and (
            found.cursor.settled(current) or (found.overflowed and self.building(community_id))
        ):
            if found.partial and not self.building(community_id):  # its build failed: again
                self._rebuild(uow.session.bind, community_id)
            return found.index, found.complete
        async with self._locks.setdefault(community_id, asyncio.Lock()):
            found = self._indexed.get(community_id)  # another request may have done it
            if found is None:
                found = await self._first(uow, community_id, current)
            elif not found.cursor.settled(current):
                await self._catch_up(uow, community_id, found)
            found = self._indexed[community_id]
            return found.index, found.complete

    async def _first(self, uow: UnitOfWork, community_id: int, current: int) -> Indexed[IndexT]:
        """No index yet: index a small community here; answer a big one from its newest
        rows while its whole index is built in the background."""
        changes = self.log(uow)
        window = await changes.index_changes(window_start(current), self.incremental_limit)
        rows = await changes.index_latest(community_id, self.stand_in + 1)
        engine = uow.session.bind
        if len(rows) <= self.stand_in:
            if self.building(community_id):  # the warm-up is at it, and it is small: wait
                await asyncio.shield(self._building[community_id])
                if community_id in self._indexed:
                    return self._indexed[community_id]
            index = await asyncio.to_thread(self.build, rows, whole=True)
            self.builds += 1
            return self._install(community_id, index, current, window, partial=False)
        stand_in = await asyncio.to_thread(self.build, rows, whole=False)
        self.stand_ins += 1
        found = self._install(community_id, stand_in, current, window, partial=True)
        self._rebuild(engine, community_id)
        return found

    async def _catch_up(self, uow: UnitOfWork, community_id: int, found: Indexed[IndexT]) -> None:
        """Apply the changes since the index's version in place; too many: rebuild apart."""
        changes, cursor = self.log(uow), found.cursor
        rows = await changes.index_changes(cursor.version, self.incremental_limit, cursor.pending())
        if rows is None:  # a bulk change: this index answers until the rebuild is done
            found.overflowed = True
            self._rebuild(uow.session.bind, community_id)
            return
        mine = sorted({key for _n, community, key in rows if community == community_id})
        rows_now = await changes.index_rows(community_id, mine) if mine else []
        if self._indexed.get(community_id) is not found:
            return  # a build landed meanwhile: the next search follows from its version
        fresh = {self.key(row): row for row in rows_now}
        index = found.index
        for key in mine:  # no await below: a search never sees half an update
            row = fresh.get(key)
            if row is None:
                index.remove(key)
            else:
                self.upsert(index, row)
        self.applied += len(mine)
        cursor.advance(number for number, _c, _k in rows)
        positions = index.size + index.dead
        if index.dead > max(self.compact_share * positions, self.compact_at_least):
            self._rebuild(uow.session.bind, community_id)  # compact, apart; nothing is missing
