"""``/search_advice``: past questions ranked by the words of a query (typo-tolerant prefixes).

The questions are searched in an in-memory index per community (:mod:`.index`), kept in step
with the database the way the hub's is (docs/hub.md, *A persisted, incremental index*): before
each search the service reads the questions' version (``max(advice_changes.id)``, one index
lookup; triggers append a row for every question or answer added, edited, solved, deleted or
redacted by ``/forget``, from any process) and, when it moved, re-reads only the questions
named by the changes since. A change number that commits after a higher one was read is looked
for again at the next searches (:class:`bot.core.changelog.ChangeCursor`).

How the indexes follow the database, and why a member never waits for a whole build (seconds
at 10k questions), is :mod:`bot.core.followed`'s; ``/find`` follows its champions the same way.
A result found while a build is under way says it may be incomplete.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.changelog import GAP_SECONDS
from bot.core.errors import UsageError
from bot.core.followed import FollowedIndexes
from storage.models import Community, Question
from storage.repositories.advice import AdviceRepository
from storage.statuses import QuestionStatus

if TYPE_CHECKING:
    from bot.features.advice.index import AdviceIndex, QuestionDoc
    from storage.repositories.advice import IndexRow
    from storage.unit_of_work import UnitOfWork

__all__ = ["GAP_SECONDS", "AdviceSearch", "Found"]


class Found(NamedTuple):
    """A search's results, best first, and whether every question was searched (False while
    the community's index is being built or rebuilt)."""

    hits: list[tuple[float, Question, int]]
    complete: bool


def doc_of(row: IndexRow) -> QuestionDoc:
    from bot.features.advice.index import QuestionDoc

    question_id, title, body, themes, status, answers = row
    return QuestionDoc(
        question_id, title, body, tuple(themes), status == QuestionStatus.SOLVED, tuple(answers)
    )


class AdviceSearch(FollowedIndexes["AdviceIndex", "IndexRow"]):
    """Holds one index per community for one app (``ctx.services[AdviceSearch]``)."""

    what = "advice index"

    def log(self, uow: UnitOfWork) -> AdviceRepository:
        return uow.advice

    @contextlib.asynccontextmanager
    async def reading(self, engine: Any) -> AsyncIterator[AdviceRepository]:
        async with AsyncSession(engine) as session, session.begin():
            yield AdviceRepository(session)

    def build(self, rows: Sequence[IndexRow], *, whole: bool) -> AdviceIndex:
        from bot.features.advice import index as advice_index

        docs = [doc_of(row) for row in rows]
        return advice_index.build(docs) if whole else advice_index.AdviceIndex(docs)

    def upsert(self, index: AdviceIndex, row: IndexRow) -> None:
        index.upsert(doc_of(row))

    def key(self, row: IndexRow) -> int:
        return row[0]

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
