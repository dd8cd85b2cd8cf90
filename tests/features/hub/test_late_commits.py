"""A change number that commits after a higher one was read still reaches the hub's search.

On PostgreSQL ``hub_changes.id`` comes from a sequence when the row is written, not when its
transaction commits. Two real transactions here: the first edits a resource and stays open
(its change number is taken), the second edits another and commits (a higher number), a
search reads that higher number; then the first commits. Its edit must be in the next search.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from bot.app import BotApp
from bot.core.clock import ManualClock
from bot.features.hub.service import HubService
from storage.models import Resource
from tests.conftest import make_settings, reset_postgres
from tests.helpers import say, texts

ADMIN = "sofia"


@pytest.fixture
async def pg_app(postgres_url: str | None) -> AsyncIterator[BotApp]:
    if postgres_url is None:
        pytest.skip("TEST_DATABASE_URL not set")
    await reset_postgres(postgres_url)
    app = await BotApp.start(make_settings(postgres_url), clock=ManualClock())
    await app.services[HubService].saved()
    yield app
    await app.close()


async def _edit_and_hold(app: BotApp, numbered: asyncio.Event, commit: asyncio.Event) -> int:
    """Retitle resource 5 in a transaction that stays open until ``commit`` is set."""
    async with app.database.unit_of_work() as uow:
        resource = await uow.session.get(Resource, 5)
        assert resource is not None
        resource.title = "Kilimanjaro councillors handbook"
        resource.updated_at = app.clock.now()
        await uow.session.flush()  # the change row is written: its number is taken
        number = await uow.resources.version()
        numbered.set()
        await commit.wait()
    return number


async def test_an_edit_committed_after_a_later_one_reaches_the_next_search(
    pg_app: BotApp,
) -> None:
    app, hub = pg_app, pg_app.services[HubService]
    assert "Resources 1–" in texts(await say(app, "lucia", "/resources quotas"))
    builds = hub.builds
    numbered, commit = asyncio.Event(), asyncio.Event()
    held = asyncio.create_task(_edit_and_hold(app, numbered, commit))
    await asyncio.wait_for(numbered.wait(), timeout=30)
    # A second transaction takes the next number and commits first.
    await say(app, ADMIN, '/resource edit 6 title:"Zanzibar councillors handbook"')
    assert "Zanzibar councillors handbook" in texts(await say(app, "lucia", "/resources zanzibar"))
    assert "Kilimanjaro" not in texts(await say(app, "lucia", "/resources kilimanjaro"))
    late = hub.version  # past the open transaction's number
    commit.set()
    number = await held
    assert number < late
    assert "Kilimanjaro councillors handbook" in texts(
        await say(app, "lucia", "/resources kilimanjaro")
    )
    assert hub.builds == builds  # applied in place, not by a rebuild
    # Once applied, the skipped number is no longer looked for: the next search reads nothing.
    assert hub.version == late
    assert "Kilimanjaro councillors handbook" in texts(
        await say(app, "lucia", "/resources kilimanjaro handbook")
    )
