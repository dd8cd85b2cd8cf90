"""A member's ``/search_advice`` never waits for a whole index build (issue 17).

Each build here is held on a :class:`threading.Event` the test releases itself: whatever is
answered before the release was answered while the build ran, however slow the machine. The
limits are lowered so that a handful of questions stands for a bulk import.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime

import pytest
from sqlalchemy import insert, select

from bot.app import BotApp
from bot.features.advice import index as advice_index
from bot.features.advice.index import AdviceIndex, QuestionDoc
from bot.features.advice.search import AdviceSearch
from storage.models import Community, Question
from tests.helpers import eventually, say, texts

NOW = datetime(2026, 11, 28, 3, tzinfo=UTC)
NOTE = "still being indexed"


class HeldBuilds:
    """Replaces :func:`advice_index.build`: each build waits for :attr:`release`."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.started = 0
        self._real = advice_index.build

    def __call__(self, docs: Sequence[QuestionDoc]) -> AdviceIndex:
        self.started += 1
        if not self.release.wait(timeout=60):
            raise TimeoutError("the test never released the build")
        return self._real(docs)


@pytest.fixture
def held(monkeypatch: pytest.MonkeyPatch) -> Iterator[HeldBuilds]:
    builds = HeldBuilds()
    monkeypatch.setattr(advice_index, "build", builds)
    yield builds
    builds.release.set()


async def _community_id(app: BotApp) -> int:
    async with app.database.session() as session:
        found = await session.scalar(select(Community.id).order_by(Community.id))
    assert found is not None
    return int(found)


async def _import(app: BotApp, titles: Sequence[str]) -> None:
    """A bulk import: rows written straight to the table, as a script would (the triggers
    still log every one)."""
    community = await _community_id(app)
    rows = [
        {"community_id": community, "title": title, "body": "", "themes": [],
         "asked_platform": "console", "created_at": NOW}
        for title in titles
    ]  # fmt: skip
    async with app.database.unit_of_work() as uow:
        await uow.session.execute(insert(Question), rows)


async def _answered(app: BotApp, text: str) -> str:
    """The reply, which must come while a build is held (a runaway bound, not a race)."""
    return texts(await asyncio.wait_for(say(app, "lucia", text), timeout=30))


async def test_a_bulk_import_is_indexed_apart_while_the_last_index_answers(
    app: BotApp, held: HeldBuilds, monkeypatch: pytest.MonkeyPatch
) -> None:
    service = app.services[AdviceSearch]
    await service.ready()
    await say(app, "amina", "/ask Which quotas worked for municipal councils?")
    held.release.set()  # the first, small build is not the point here
    assert "Q1" in await _answered(app, "/search_advice quotas")
    assert service.builds == 1
    held.release.clear()
    monkeypatch.setattr(AdviceSearch, "incremental_limit", 3)
    await _import(app, [f"Zebra list for ward {n}" for n in range(1, 6)])
    # The search that meets the import is answered from the index it has, and says so.
    first = await _answered(app, "/search_advice quotas zebra")
    assert "Q1" in first and "Zebra" not in first and NOTE in first
    community = await _community_id(app)
    assert service.building(community)
    await eventually(lambda: held.started == 2)
    # Searches meanwhile are answered too, without a second build.
    assert NOTE in await _answered(app, "/search_advice zebra")
    assert held.started == 2 and service.builds == 1
    held.release.set()
    await service.ready()
    assert service.builds == 2
    after = await _answered(app, "/search_advice zebra")
    assert all(f"ward {n}" in after for n in range(1, 6)) and NOTE not in after
    assert service.builds == 2


async def test_a_big_community_without_an_index_answers_from_its_newest_questions(
    app: BotApp, held: HeldBuilds, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(AdviceSearch, "stand_in", 3)
    await app.services[AdviceSearch].ready()
    fresh = AdviceSearch()  # as before the warm-up reached the community
    app.services.provide(AdviceSearch, fresh)
    names = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot"]
    await _import(app, [f"Budget hearing {name}" for name in names])
    first = await _answered(app, "/search_advice alpha foxtrot")
    assert NOTE in first
    assert "foxtrot" in first and "alpha" not in first  # the newest, not every one
    community = await _community_id(app)
    assert fresh.building(community) and (fresh.stand_ins, fresh.builds) == (1, 0)
    # A question asked meanwhile reaches the stand-in index at once.
    await say(app, "amina", "/ask Is a budget hearing open to the press?")
    assert "press" in await _answered(app, "/search_advice budget hearing press")
    held.release.set()
    await fresh.ready()
    assert (fresh.stand_ins, fresh.builds, held.started) == (1, 1, 1)
    after = await _answered(app, "/search_advice alpha foxtrot")
    assert "alpha" in after and "foxtrot" in after and NOTE not in after


async def test_a_small_community_without_an_index_is_indexed_in_the_search(
    app: BotApp, held: HeldBuilds
) -> None:
    await app.services[AdviceSearch].ready()
    fresh = AdviceSearch()
    app.services.provide(AdviceSearch, fresh)
    await _import(app, ["Budget hearing for small towns"])
    held.release.set()
    found = await _answered(app, "/search_advice budget hearing")
    assert "small towns" in found and NOTE not in found
    assert (fresh.stand_ins, fresh.builds) == (0, 1) and not fresh.building(
        await _community_id(app)
    )
