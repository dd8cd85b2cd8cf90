"""A question whose change number commits after a higher one still reaches ``/search_advice``
(PostgreSQL, two real transactions; the SQLite test of ``test_search_index.py`` forges the
numbers instead)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from bot.app import BotApp
from bot.features.advice.search import AdviceSearch
from storage.models import Question
from tests.helpers import say, texts

NOW = datetime(2026, 11, 28, 3, tzinfo=UTC)


async def _ask_and_hold(app: BotApp, numbered: asyncio.Event, commit: asyncio.Event) -> int:
    community_id = await _community_id(app)
    async with app.database.unit_of_work() as uow:
        question = Question(
            community_id=community_id, title="Kilimanjaro women councillors caucus", body="",
            themes=[], asked_platform="console", created_at=NOW,
        )  # fmt: skip
        await uow.advice.add(question)  # the trigger's change row takes its number now
        number = await uow.advice.index_version()
        numbered.set()
        await commit.wait()
    return number


async def test_a_question_committed_after_a_later_change_reaches_the_next_search(
    pg_app: BotApp,
) -> None:
    app, service = pg_app, pg_app.services[AdviceSearch]
    await say(app, "amina", "/ask Which quotas worked for municipal councils?")
    assert "Q1" in texts(await say(app, "lucia", "/search_advice quotas"))
    builds = service.builds
    numbered, commit = asyncio.Event(), asyncio.Event()
    held = asyncio.create_task(_ask_and_hold(app, numbered, commit))
    await asyncio.wait_for(numbered.wait(), timeout=30)
    await say(app, "grace", "/answer Q1 Zanzibar reserved seats")  # a higher number, committed
    assert "Q1" in texts(await say(app, "lucia", "/search_advice zanzibar"))
    assert "Kilimanjaro" not in texts(await say(app, "lucia", "/search_advice kilimanjaro"))
    commit.set()
    number = await held
    community = await _community_id(app)
    assert number < (service.version(community) or 0)
    assert "Kilimanjaro" in texts(await say(app, "lucia", "/search_advice kilimanjaro"))
    assert service.builds == builds


async def _community_id(app: BotApp) -> int:
    """The community of Q1 (the configured one)."""
    async with app.database.session() as session:
        found = await session.get(Question, 1)
        assert found is not None
        return int(found.community_id)
