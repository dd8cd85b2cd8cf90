"""``/search_advice``: past questions ranked by the words of a query (typo-tolerant prefixes).

The questions are searched in an in-memory index per community (:mod:`.index`), kept in step
with the database the way the hub's is (docs/hub.md, *A persisted, incremental index*): before
each search the service reads the questions' version (``max(advice_changes.id)``, one index
lookup; triggers append a row for every question or answer added, edited, solved, deleted or
redacted by ``/forget``, from any process) and, when it moved, re-reads only the questions
named by the changes since. A change number that commits after a higher one was read is looked
for again at the next searches (:class:`bot.core.changelog.ChangeCursor`).

A member never waits for a whole build (seconds at 10k questions):

* **A bulk import** (over :data:`INCREMENTAL_LIMIT` changes), or too many dead positions,
  rebuilds the community's index in the background, one build at a time per community, while
  the index it has keeps answering; the search that saw the import says its results may be
  incomplete, and the first search after the build sees everything.
* **No index yet** (before the warm-up reached the community): a community of at most
  :data:`STAND_IN` questions is indexed right there (a build that small is a fraction of a
  second); a bigger one is answered from an index of its :data:`STAND_IN` newest questions,
  built in a worker thread, kept in step like any other, and replaced by the whole index once
  the background build is done. Its results say they may be incomplete until then.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.background import log_failure
from bot.core.changelog import GAP_SECONDS, ChangeCursor, window_start
from bot.core.errors import UsageError
from storage.models import Community, Question
from storage.repositories.advice import AdviceRepository
from storage.statuses import QuestionStatus

if TYPE_CHECKING:
    from bot.features.advice.index import AdviceIndex, QuestionDoc
    from storage.database import Database
    from storage.repositories.advice import IndexRow
    from storage.unit_of_work import UnitOfWork

__all__ = ["GAP_SECONDS", "AdviceSearch", "Found"]

log = logging.getLogger(__name__)

INCREMENTAL_LIMIT = 500
"""Changes applied in place, one question each; beyond that a full rebuild is cheaper."""
COMPACT_SHARE = 0.25
"""Rebuild once this share of a community's positions is dead (edited or removed questions)..."""
COMPACT_AT_LEAST = 1000
"""...and at least this many: below it the dead positions cost next to nothing."""
STAND_IN = 500
"""Questions indexed inside a search when a community has no index yet: its newest ones (all of
them in a community this small). Reading and indexing 500 questions with their answers takes
a fraction of a second (docs/performance.md)."""


class Found(NamedTuple):
    """A search's results, best first, and whether every question was searched (False while
    the community's index is being built or rebuilt)."""

    hits: list[tuple[float, Question, int]]
    complete: bool


@dataclass
class _Indexed:
    """A community's index and where it stands in the change log."""

    index: AdviceIndex
    cursor: ChangeCursor
    partial: bool = False
    """Holds only the newest questions (and those changed since): the whole build is under way."""
    overflowed: bool = False
    """The last catch-up found too many changes: a rebuild is due, this index is behind."""

    @property
    def complete(self) -> bool:
        return not self.partial and not self.overflowed


def doc_of(row: IndexRow) -> QuestionDoc:
    from bot.features.advice.index import QuestionDoc

    question_id, title, body, themes, status, answers = row
    return QuestionDoc(
        question_id, title, body, tuple(themes), status == QuestionStatus.SOLVED, tuple(answers)
    )


def _docs(rows: Sequence[IndexRow]) -> list[QuestionDoc]:
    return [doc_of(row) for row in rows]


@contextlib.asynccontextmanager
async def _reading(engine: Any) -> AsyncIterator[AdviceRepository]:
    """A read transaction of its own (a background build outlives the request that asked)."""
    async with AsyncSession(engine) as session, session.begin():
        yield AdviceRepository(session)


class AdviceSearch:
    """Holds one index per community for one app (``ctx.services[AdviceSearch]``)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._indexed: dict[int, _Indexed] = {}
        self._locks: dict[int, asyncio.Lock] = {}
        self._building: dict[int, asyncio.Task[None]] = {}
        self._warming: asyncio.Task[None] | None = None
        self._clock = clock
        self.builds = 0
        """Full builds in this process (tests and the bench count them)."""
        self.stand_ins = 0
        """Indexes of a big community's newest questions made while its build ran."""
        self.applied = 0
        """Questions updated in place in this process."""

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
        """Build the indexes of the communities that have questions, in the background and in
        transactions of their own, so a first search rarely meets a community without one."""
        self._warming = asyncio.create_task(self._warm_up(database.engine))

    async def _warm_up(self, engine: Any) -> None:
        try:
            async with _reading(engine) as advice:
                communities = await advice.index_communities()
            for community_id in communities:
                found = self._indexed.get(community_id)
                if found is None or not found.complete:
                    await asyncio.shield(self._rebuild(engine, community_id))
        except Exception as error:  # the first search tries again
            log_failure(log, "prepare the advice index", error)

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
        from bot.features.advice import index as advice_index

        try:
            async with _reading(engine) as advice:
                current = await advice.index_version()
                window = await advice.index_changes(window_start(current), INCREMENTAL_LIMIT)
                rows = await advice.index_rows(community_id)
            # Seconds at 10k+ questions, outside any transaction: keep the loop answering.
            index = await asyncio.to_thread(lambda: advice_index.build(_docs(rows)))
            self._install(community_id, index, current, window, partial=False)
            self.builds += 1
        except Exception as error:  # the index it has keeps answering; a later search retries
            log_failure(log, "build the advice index", error)

    def _install(
        self,
        community_id: int,
        index: AdviceIndex,
        current: int,
        window: list[tuple[int, int, int]] | None,
        *,
        partial: bool,
    ) -> _Indexed:
        numbers = None if window is None else [number for number, _c, _q in window]
        cursor = ChangeCursor.built(current, numbers, self._clock)
        replaced = self._indexed.get(community_id)
        if replaced is not None:
            cursor.inherit(replaced.cursor)
        self._indexed[community_id] = found = _Indexed(index, cursor, partial=partial)
        return found

    async def ready(self) -> None:
        """Wait for the warm-up and every build under way (tests, the bench)."""
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

    async def index(self, uow: UnitOfWork, community_id: int) -> tuple[AdviceIndex, bool]:
        """The community's index brought up to the database's current version when that is
        cheap, and whether it holds every question (False while a build is under way)."""
        current = await uow.advice.index_version()
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

    async def _first(self, uow: UnitOfWork, community_id: int, current: int) -> _Indexed:
        """No index yet: index a small community here; answer a big one from its newest
        questions while its whole index is built in the background."""
        from bot.features.advice import index as advice_index

        window = await uow.advice.index_changes(window_start(current), INCREMENTAL_LIMIT)
        rows = await uow.advice.index_latest(community_id, STAND_IN + 1)
        engine = uow.session.bind
        if len(rows) <= STAND_IN:
            if self.building(community_id):  # the warm-up is at it, and it is small: wait
                await asyncio.shield(self._building[community_id])
                if community_id in self._indexed:
                    return self._indexed[community_id]
            index = await asyncio.to_thread(lambda: advice_index.build(_docs(rows)))
            self.builds += 1
            return self._install(community_id, index, current, window, partial=False)
        stand_in = await asyncio.to_thread(lambda: advice_index.AdviceIndex(_docs(rows)))
        self.stand_ins += 1
        found = self._install(community_id, stand_in, current, window, partial=True)
        self._rebuild(engine, community_id)
        return found

    async def _catch_up(self, uow: UnitOfWork, community_id: int, found: _Indexed) -> None:
        """Apply the changes since the index's version in place; too many: rebuild apart."""
        cursor = found.cursor
        rows = await uow.advice.index_changes(cursor.version, INCREMENTAL_LIMIT, cursor.pending())
        if rows is None:  # a bulk import: this index answers until the rebuild is done
            found.overflowed = True
            self._rebuild(uow.session.bind, community_id)
            return
        mine = sorted({question for _n, community, question in rows if community == community_id})
        rows_now = await uow.advice.index_rows(community_id, mine) if mine else []
        if self._indexed.get(community_id) is not found:
            return  # a build landed meanwhile: the next search follows from its version
        fresh = {row[0]: row for row in rows_now}
        index = found.index
        for question_id in mine:  # no await below: a search never sees half an update
            row = fresh.get(question_id)
            if row is None:
                index.remove(question_id)
            else:
                index.upsert(doc_of(row))
        self.applied += len(mine)
        cursor.advance(number for number, _c, _q in rows)
        if index.dead > max(COMPACT_SHARE * len(index.ids), COMPACT_AT_LEAST):
            self._rebuild(uow.session.bind, community_id)  # compact, apart; nothing is missing

    async def search(
        self, uow: UnitOfWork, community: Community, query: str, limit: int = 5
    ) -> Found:
        """Past questions ranked by the query's words: title counts most, then themes, body,
        answers; each with its number of answers."""
        from bot.features.advice.index import terms

        wanted = set(terms(query))
        if not wanted:
            raise UsageError("Give me a few words to search for.")
        index, complete = await self.index(uow, community.id)
        found = index.search(wanted, limit)
        questions = {
            q.id: q
            for q in await uow.advice.by_ids([question_id for _s, question_id in found])
            if q.community_id == community.id and q.status != QuestionStatus.DELETED
        }
        counts = await uow.advice.answer_counts(list(questions))
        hits = [(score, questions[i], counts.get(i, 0)) for score, i in found if i in questions]
        return Found(hits, complete)
