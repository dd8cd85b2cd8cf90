"""``/search_advice``: past questions ranked by the words of a query (typo-tolerant prefixes).

The questions are searched in an in-memory index per community (:mod:`.index`), kept in step
with the database the way the hub's is (docs/hub.md, *A persisted, incremental index*): before
each search the service reads the questions' version (``max(advice_changes.id)``, one index
lookup; triggers append a row for every question or answer added, edited, solved, deleted or
redacted by ``/forget``, from any process) and, when it moved, re-reads only the questions
named by the changes since. A community's index is built once (as the app starts, or at its
first search), in a worker thread, from that community's questions alone.

On PostgreSQL a change row may commit after a later one (its number was taken first), so a
number skipped by a catch-up is looked for again at the next searches for :data:`GAP_SECONDS`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bot.core.background import log_failure
from bot.core.errors import UsageError
from storage.models import Community, Question
from storage.statuses import QuestionStatus

if TYPE_CHECKING:
    from bot.features.advice.index import AdviceIndex, QuestionDoc
    from storage.database import Database
    from storage.repositories.advice import IndexRow
    from storage.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)

INCREMENTAL_LIMIT = 500
"""Changes applied in place, one question each; beyond that a full rebuild is cheaper."""
COMPACT_SHARE = 0.25
"""Rebuild once this share of a community's positions is dead (edited or removed questions)..."""
COMPACT_AT_LEAST = 1000
"""...and at least this many: below it the dead positions cost next to nothing."""
GAP_SECONDS = 60.0
"""How long a skipped change number is looked for (a transaction still open, or rolled back)."""
GAP_WINDOW = 64
"""Change numbers below a fresh build's version checked for ones not yet committed."""
MOST_GAPS = 200


@dataclass
class _Indexed:
    """A community's index, the version it reflects, and change numbers not seen yet."""

    index: AdviceIndex
    version: int
    gaps: dict[int, float] = field(default_factory=dict)
    """Change number → when to stop looking for it (monotonic seconds)."""


def doc_of(row: IndexRow) -> QuestionDoc:
    from bot.features.advice.index import QuestionDoc

    question_id, title, body, themes, status, answers = row
    return QuestionDoc(
        question_id, title, body, tuple(themes), status == QuestionStatus.SOLVED, tuple(answers)
    )


class AdviceSearch:
    """Holds one index per community for one app (``ctx.services[AdviceSearch]``)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._indexed: dict[int, _Indexed] = {}
        self._locks: dict[int, asyncio.Lock] = {}
        self._warming: asyncio.Task[None] | None = None
        self._clock = clock
        self.builds = 0
        """Full builds in this process (tests and the bench count them)."""
        self.applied = 0
        """Questions updated in place in this process."""

    def version(self, community_id: int) -> int | None:
        """The version the community's index reflects (None before it is built)."""
        found = self._indexed.get(community_id)
        return None if found is None else found.version

    def warm_up(self, database: Database) -> None:
        """Build the indexes of the communities that have questions, in the background and in
        a transaction of their own, so a first search rarely waits for a build."""
        self._warming = asyncio.create_task(self._warm_up(database))

    async def _warm_up(self, database: Database) -> None:
        try:
            async with database.unit_of_work() as uow:
                for community_id in await uow.advice.index_communities():
                    await self.index(uow, community_id)
        except Exception as error:  # the first search tries again
            log_failure(log, "prepare the advice index", error)

    async def ready(self) -> None:
        """Wait for the warm-up (tests, the bench)."""
        if self._warming is not None:
            await asyncio.shield(self._warming)

    async def close(self) -> None:
        if self._warming is not None and not self._warming.done():
            self._warming.cancel()
            with contextlib.suppress(BaseException):
                await self._warming

    async def index(self, uow: UnitOfWork, community_id: int) -> AdviceIndex:
        """The community's index, brought up to the database's current version."""
        current = await uow.advice.index_version()
        found = self._indexed.get(community_id)
        if found is not None and found.version >= current and not found.gaps:
            return found.index
        async with self._locks.setdefault(community_id, asyncio.Lock()):
            found = self._indexed.get(community_id)  # another request may have done it
            if found is not None and found.version >= current and not found.gaps:
                return found.index
            if found is None or not await self._catch_up(uow, community_id, found):
                await self._build(uow, community_id, current)
            return self._indexed[community_id].index

    async def _catch_up(self, uow: UnitOfWork, community_id: int, found: _Indexed) -> bool:
        """Apply the changes since ``found.version``; False when a rebuild is due instead."""
        index = found.index
        if index.dead > max(COMPACT_SHARE * len(index.ids), COMPACT_AT_LEAST):
            return False
        now = self._clock()
        gaps = {number: until for number, until in found.gaps.items() if until > now}
        rows = await uow.advice.index_changes(found.version, INCREMENTAL_LIMIT, sorted(gaps))
        if rows is None:
            return False
        seen = {number for number, _c, _q in rows}
        newest = max([found.version, *seen])
        gaps = {n: until for n, until in gaps.items() if n not in seen}
        gaps.update(self._missing(range(found.version + 1, newest + 1), seen, now))
        mine = sorted({question for _n, community, question in rows if community == community_id})
        rows_now = await uow.advice.index_rows(community_id, mine) if mine else []
        fresh = {row[0]: row for row in rows_now}
        for question_id in mine:  # no await below: a search never sees half an update
            row = fresh.get(question_id)
            if row is None:
                index.remove(question_id)
            else:
                index.upsert(doc_of(row))
        self.applied += len(mine)
        found.version, found.gaps = newest, gaps
        return True

    def _missing(self, numbers: range, seen: set[int], now: float) -> dict[int, float]:
        missing = [number for number in numbers if number not in seen][-MOST_GAPS:]
        return {number: now + GAP_SECONDS for number in missing}

    async def _build(self, uow: UnitOfWork, community_id: int, current: int) -> None:
        # The version is read before the rows: a change committed in between is in the rows
        # and applied once more later (an upsert is idempotent), never missed.
        from bot.features.advice.index import build

        recent = await uow.advice.index_changes(max(current - GAP_WINDOW, 0), INCREMENTAL_LIMIT)
        rows = await uow.advice.index_rows(community_id)
        docs = [doc_of(row) for row in rows]
        index = await asyncio.to_thread(build, docs)  # seconds at 10k+: keep the loop answering
        gaps: dict[int, float] = {}
        if recent is not None:
            seen = {number for number, _c, _q in recent}
            gaps = self._missing(range(max(current - GAP_WINDOW, 0) + 1, current + 1), seen,
                                 self._clock())  # fmt: skip
        self._indexed[community_id] = _Indexed(index, current, gaps)
        self.builds += 1

    async def search(
        self, uow: UnitOfWork, community: Community, query: str, limit: int = 5
    ) -> list[tuple[float, Question, int]]:
        """Past questions ranked by the query's words: title counts most, then themes, body,
        answers; each with its number of answers."""
        from bot.features.advice.index import terms

        wanted = set(terms(query))
        if not wanted:
            raise UsageError("Give me a few words to search for.")
        index = await self.index(uow, community.id)
        found = index.search(wanted, limit)
        questions = {
            q.id: q
            for q in await uow.advice.by_ids([question_id for _s, question_id in found])
            if q.community_id == community.id and q.status != QuestionStatus.DELETED
        }
        counts = await uow.advice.answer_counts(list(questions))
        return [(score, questions[i], counts.get(i, 0)) for score, i in found if i in questions]
