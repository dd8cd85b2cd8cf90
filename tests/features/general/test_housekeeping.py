"""The change logs the in-memory indexes follow are kept short, and an index left behind the
pruned rows rebuilds instead of missing what was pruned (bot/features/general/housekeeping.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import func, select

from bot.app import BotApp
from bot.core.clock import ManualClock
from bot.features.general.housekeeping import (
    KEEP_CHANGES,
    followers_limit,
    prune_change_logs,
)
from bot.features.networking.directory import Directory
from storage.models_advice_index import AdviceChange
from storage.models_hub import HubChange
from storage.models_networking import DirectoryChange
from storage.repositories.members import EVERYONE
from tests.conftest import make_settings
from tests.features.networking.world import add_champions
from tests.helpers import say, texts


@pytest.fixture
async def app(db_url: str, clock: ManualClock) -> AsyncIterator[BotApp]:
    bot_app = await BotApp.start(make_settings(db_url), clock=clock)
    yield bot_app
    await bot_app.close()


async def _ids(
    app: BotApp, log: type[AdviceChange] | type[DirectoryChange] | type[HubChange]
) -> list[int]:
    async with app.database.unit_of_work() as uow:
        return list(await uow.session.scalars(select(log.id).order_by(log.id)))


async def _fill(app: BotApp, count: int) -> None:
    """``count`` rows in each log, written as their writers write them (ids only)."""
    now = app.clock.now()
    async with app.database.unit_of_work() as uow:
        uow.session.add_all(
            [AdviceChange(community_id=1, question_id=n) for n in range(count)]
            + [DirectoryChange(community_id=1, member_id=n) for n in range(count)]
            + [HubChange(resource_id=n, changed_at=now) for n in range(count)]
        )


async def test_each_log_keeps_its_newest_rows(app: BotApp) -> None:
    await _fill(app, 30)
    before = {log: await _ids(app, log) for log in (AdviceChange, DirectoryChange, HubChange)}
    async with app.database.unit_of_work() as uow:
        pruned = await uow.change_logs.prune(keep=10)
    assert pruned == {
        "advice_changes": len(before[AdviceChange]) - 10,
        "directory_changes": len(before[DirectoryChange]) - 10,
        "hub_changes": len(before[HubChange]) - 10,
    }
    for log, ids in before.items():
        assert await _ids(app, log) == ids[-10:]  # the newest, and the version unchanged
    async with app.database.unit_of_work() as uow:
        assert sum((await uow.change_logs.prune(keep=10)).values()) == 0
        assert sum((await uow.change_logs.prune(keep=1_000)).values()) == 0  # fewer than keep


async def test_the_sweep_keeps_more_than_any_follower_applies_one_by_one(
    app: BotApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert 2 * followers_limit() <= KEEP_CHANGES
    await _fill(app, 5)
    assert await prune_change_logs(app, app.clock.now()) == 0  # 15 rows: nothing to prune
    monkeypatch.setattr(Directory, "incremental_limit", 9_000)  # a follower raised its limit
    assert followers_limit() == 9_000
    monkeypatch.setattr("bot.features.general.housekeeping.KEEP_CHANGES", 3)
    await prune_change_logs(app, app.clock.now())
    async with app.database.unit_of_work() as uow:  # kept 18,000, not 3
        kept = await uow.session.scalar(select(func.count()).select_from(AdviceChange))
    assert kept is not None and kept >= 5


@pytest.mark.parametrize("keep", [6, 2])
async def test_a_follower_behind_the_pruned_rows_rebuilds(
    app: BotApp, monkeypatch: pytest.MonkeyPatch, keep: int
) -> None:
    """The directory applies up to 4 changes one by one here. Pruned to 6 rows, the 7 changes
    after its cursor look like 6, more than it applies: it rebuilds and finds the edit that
    was pruned. Pruned to 2 (fewer than the limit, what the sweep never does) it would apply the
    2 it sees and miss it: the reason the sweep keeps more than any follower's limit."""
    monkeypatch.setattr(Directory, "incremental_limit", 4)
    await add_champions(app, ("grace", "hope", "laila", "omar"))
    directory = app.services[Directory]
    await directory.ready()
    assert "Grace" not in texts(await say(app, "hope", "/find zebra"))  # the index is built
    builds = directory.builds
    async with app.database.unit_of_work() as uow:
        [grace] = await uow.members.by_name("Grace", EVERYONE)
        grace.bio = "Zebra crossings near schools"  # the change that will be pruned
    for n in range(6):  # then six more, elsewhere
        async with app.database.unit_of_work() as uow:
            [laila] = await uow.members.by_name("Laila", EVERYONE)
            laila.bio = f"Budget lines, draft {n}"
    async with app.database.unit_of_work() as uow:
        await uow.change_logs.prune(keep=keep)
    await say(app, "hope", "/find zebra")  # answered from the index it has; catches up
    await directory.ready()  # a rebuild, if one started, runs apart
    found = texts(await say(app, "hope", "/find zebra"))
    if keep > 4:
        assert "Grace" in found
        assert directory.builds == builds + 1
    else:
        assert "Grace" not in found  # the unsafe prune: the edit is lost to this index
        assert directory.builds == builds
