"""The hub index persists and follows the catalogue one change at a time (issue 17, point 6).

Each test counts the service's full builds: an edit, an addition, a retirement or another
process's change must reach the next search without one, and a restart must load the persisted
index instead of building.
"""

from __future__ import annotations

import asyncio
import re
import threading
from collections.abc import AsyncIterator, Sequence
from pathlib import Path

import pytest

from bot.app import BotApp
from bot.core.clock import ManualClock
from bot.features.hub import index as hub_index
from bot.features.hub.index import Doc, SearchIndex
from bot.features.hub.service import HubService
from tests.conftest import make_settings
from tests.helpers import say, texts

ADMIN = "sofia"


class SlowIndex(SearchIndex):
    """A build that lasts until the test lets it finish (a big catalogue takes seconds of CPU in
    the building thread): whatever is answered before :attr:`release` is set was answered while
    the build ran, however slow the machine."""

    release = threading.Event()

    def __init__(self, docs: Sequence[Doc]) -> None:
        if not self.release.wait(timeout=60):
            raise TimeoutError("the test never released the build")
        super().__init__(docs)


def hub(app: BotApp) -> HubService:
    return app.services[HubService]


@pytest.fixture
async def app(fresh_sqlite_url: str, clock: ManualClock) -> AsyncIterator[BotApp]:
    """A first start on a new file (not the session's template): these tests count the builds
    and loads from the very first one."""
    bot_app = await BotApp.start(make_settings(fresh_sqlite_url), clock=clock)
    await bot_app.services[HubService].saved()
    yield bot_app
    await bot_app.close()


async def test_edit_add_and_retire_reach_the_next_search_without_a_rebuild(app: BotApp) -> None:
    assert "Resources 1–" in texts(await say(app, "lucia", "/resources quotas"))
    assert hub(app).builds == 1
    await hub(app).saved()
    added = texts(
        await say(
            app,
            ADMIN,
            '/resource add title:"Zanzibar councillors handbook" url:https://example.org/zz '
            "type:guide themes:cuotas languages:en year:2025 publisher:ZALGA",
        )
    )
    assert "Added resource #61" in added
    assert "Zanzibar councillors handbook" in texts(await say(app, "lucia", "/resources zanzibar"))
    await say(app, ADMIN, '/resource edit 61 title:"Pemba councillors handbook"')
    assert "Pemba councillors handbook" in texts(await say(app, "lucia", "/resources pemba"))
    assert "Zanzibar" not in texts(await say(app, "lucia", "/resources zanzibar"))
    assert "Retired resource #61" in texts(await say(app, ADMIN, "/resource retire 61"))
    assert not re.search(r"#61\b", texts(await say(app, "lucia", "/resources pemba handbook")))
    await say(app, ADMIN, "/resource fix 61 https://example.org/pemba")  # back from retirement
    assert re.search(r"#61\b", texts(await say(app, "lucia", "/resources pemba handbook")))
    assert hub(app).builds == 1
    assert hub(app).indexed == 61


async def test_a_restart_loads_the_persisted_index(app: BotApp) -> None:
    first = texts(await say(app, "lucia", "/resources presupuesto"))
    await hub(app).saved()
    again = await BotApp.start(app.settings, clock=ManualClock())
    try:
        assert texts(await say(again, "lucia", "/resources presupuesto")) == first
        assert (hub(again).builds, hub(again).loads) == (0, 1)
        assert hub(again).indexed == 60
    finally:
        await again.close()


class _Planted:
    """What a doctored snapshot would make ``pickle.loads`` call."""

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (print, ("planted code ran",))


async def test_a_doctored_snapshot_runs_nothing_and_is_rebuilt(
    app: BotApp, capsys: pytest.CaptureFixture[str]
) -> None:
    """A snapshot row is database content: loading it may build the index's own types only."""
    import pickle

    from bot.features.hub.service import SNAPSHOT_FORMAT

    first = texts(await say(app, "lucia", "/resources presupuesto"))
    await hub(app).saved()
    async with app.database.unit_of_work() as uow:
        found = await uow.resources.snapshot(SNAPSHOT_FORMAT)
        assert found is not None
        planted = pickle.dumps(_Planted())
        await uow.resources.save_snapshot(found[0], SNAPSHOT_FORMAT, planted, app.clock.now())
    again = await BotApp.start(app.settings, clock=ManualClock())
    try:
        assert texts(await say(again, "lucia", "/resources presupuesto")) == first
        assert (hub(again).loads, hub(again).builds) == (0, 1)  # refused, then rebuilt
        assert "planted code ran" not in capsys.readouterr().out
    finally:
        await again.close()


async def test_a_second_app_on_the_database_sees_the_others_change(app: BotApp) -> None:
    await say(app, "lucia", "/resources quotas")
    await hub(app).saved()
    other = await BotApp.start(app.settings, clock=ManualClock())
    try:
        assert "Zanzibar" not in texts(await say(other, "grace", "/resources zanzibar"))
        await say(
            app,
            ADMIN,
            '/resource add title:"Zanzibar councillors handbook" url:https://example.org/zz '
            "type:guide themes:cuotas year:2025",
        )
        assert "Zanzibar councillors handbook" in texts(
            await say(other, "grace", "/resources zanzibar")
        )
        await say(app, ADMIN, "/resource retire 61")
        assert "Zanzibar" not in texts(await say(other, "grace", "/resources zanzibar"))
        assert hub(other).builds == 0
        await say(app, "lucia", "/resources zanzibar")
        assert hub(other).version == hub(app).version > 60
    finally:
        await other.close()


async def test_a_build_does_not_block_requests(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A fresh deployment builds its index as it starts, apart from any request: /help is
    answered while the build runs (it cannot end before the test releases it, so no clock is
    raced); the first search waits for it."""
    monkeypatch.setattr(hub_index, "SearchIndex", SlowIndex)
    SlowIndex.release.clear()
    app = await BotApp.start(make_settings(f"sqlite+aiosqlite:///{tmp_path / 'b.db'}"),
                             clock=ManualClock())  # fmt: skip
    try:
        for _ in range(20):  # the loop keeps turning: the build is not on it
            await asyncio.sleep(0)
        helped = texts(await asyncio.wait_for(say(app, "grace", "/help"), timeout=30))
        assert "/resources" in helped
        assert hub(app).builds == 0, "the build should still be running"
        search = asyncio.create_task(say(app, "lucia", "/resources quotas"))
        await asyncio.sleep(0.05)
        assert not search.done(), "the first search waits for the index"
        SlowIndex.release.set()
        assert "Resources 1–" in texts(await asyncio.wait_for(search, timeout=30))
        assert hub(app).builds == 1
    finally:
        SlowIndex.release.set()
        await app.close()


async def test_a_search_reads_the_version_not_a_count(app: BotApp) -> None:
    from sqlalchemy import event

    await say(app, "lucia", "/resources quotas")
    statements: list[str] = []

    def seen(conn: object, cursor: object, sql: str, *args: object) -> None:
        statements.append(sql.lower())

    engine = app.database.engine.sync_engine
    event.listen(engine, "before_cursor_execute", seen)
    try:
        await say(app, "lucia", "/resources cuotas")
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert any("max(hub_changes.id)" in s for s in statements)
    assert not any("count(resources.id)" in s for s in statements)
