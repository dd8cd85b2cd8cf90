"""The persisted hub index is stored and read in slices (issue 17: restart memory at 100k)."""

from __future__ import annotations

import pickle

import numpy as np
import pytest
from sqlalchemy import func, select

from bot.app import BotApp
from bot.core.clock import ManualClock
from bot.features.hub import snapshot
from bot.features.hub.service import HubService
from storage.models_hub import HubIndexSnapshot
from tests.conftest import make_settings
from tests.helpers import say, texts


def test_slices_read_back_into_the_same_object_one_at_a_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(snapshot, "PART_SIZE", 1000)
    value = {"ids": np.arange(4000, dtype=np.int32), "words": ["quota" * 300, {1, 2}]}
    parts = snapshot.dump_parts(value)
    assert len(parts) > 10 and all(len(part) <= 1000 for part in parts)
    assert b"".join(parts) == pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
    asked: list[int] = []

    def fetch(number: int) -> bytes | None:
        asked.append(number)
        return parts[number] if number < len(parts) else None

    found = snapshot.load_parts(fetch)
    assert (found["ids"] == value["ids"]).all() and found["words"] == value["words"]
    assert asked == sorted(asked) and len(set(asked)) == len(asked)  # each slice fetched once


def test_a_slice_reader_refuses_what_an_index_never_holds() -> None:
    planted = pickle.dumps(print)
    with pytest.raises(pickle.UnpicklingError):
        snapshot.load_bytes(planted)


async def test_a_restart_loads_an_index_saved_in_many_rows(
    db_url: str, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(snapshot, "PART_SIZE", 4096)
    app = await BotApp.start(make_settings(db_url), clock=clock)
    try:
        await _restart_reads_the_rows(app)
    finally:
        await app.close()


async def _restart_reads_the_rows(app: BotApp) -> None:
    await app.services[HubService].saved()
    first = texts(await say(app, "lucia", "/resources presupuesto"))
    await app.services[HubService].saved()
    async with app.database.session() as session:
        rows = await session.scalar(select(func.count()).select_from(HubIndexSnapshot))
    assert rows is not None and rows > 5
    again = await BotApp.start(app.settings, clock=ManualClock())
    try:
        assert texts(await say(again, "lucia", "/resources presupuesto")) == first
        service = again.services[HubService]
        assert (service.builds, service.loads) == (0, 1)
        assert service.indexed == 60
    finally:
        await again.close()
