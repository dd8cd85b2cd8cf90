"""Lanes: each key's work in arrival order, different keys at once, released on any outcome."""

from __future__ import annotations

import asyncio

import pytest

from adapters.lanes import Lanes, keys_of


async def test_work_waits_only_for_earlier_work_sharing_a_key() -> None:
    lanes = Lanes()
    order: list[str] = []

    async def work(name: str, keys: tuple[str, ...], pause: float) -> None:
        async with lanes.turn(keys):
            order.append(f"{name} starts")
            await asyncio.sleep(pause)
            order.append(f"{name} ends")

    amina_group = keys_of(-1, 101)
    tasks = [
        asyncio.create_task(work("a-group", amina_group, 0.05)),
        asyncio.create_task(work("a-private", keys_of(101, 101), 0)),  # same person
        asyncio.create_task(work("k-group", keys_of(-1, 102), 0)),  # same chat
        asyncio.create_task(work("s-private", keys_of(500, 500), 0)),  # neither
        asyncio.create_task(work("s-inline", keys_of(None, 500), 0)),  # after her private one
    ]
    await asyncio.gather(*tasks)
    assert order.index("a-private starts") > order.index("a-group ends")
    assert order.index("k-group starts") > order.index("a-group ends")
    assert order.index("s-private ends") < order.index("a-group ends")  # did not wait
    assert order.index("s-inline starts") > order.index("s-private ends")
    assert lanes.busy == 0


async def test_a_failed_or_cancelled_turn_releases_its_lanes() -> None:
    lanes = Lanes()

    async def broken() -> None:
        async with lanes.turn(["chat:1"]):
            raise RuntimeError("bug")

    with pytest.raises(RuntimeError):
        await broken()
    stuck = asyncio.Event()

    async def hangs() -> None:
        async with lanes.turn(["chat:1"]):
            await stuck.wait()

    task = asyncio.create_task(hangs())
    await asyncio.sleep(0)
    waiting = asyncio.create_task(_enter(lanes, ["chat:1"]))
    await asyncio.sleep(0.01)
    assert not waiting.done()
    task.cancel()
    await asyncio.wait_for(waiting, 1)
    assert lanes.busy == 0


async def _enter(lanes: Lanes, keys: list[str]) -> None:
    async with lanes.turn(keys):
        pass


async def test_drain_waits_for_the_work_in_the_lanes_up_to_its_bound() -> None:
    lanes = Lanes()
    done: list[str] = []

    async def slow(pause: float, name: str) -> None:
        async with lanes.turn([name]):
            await asyncio.sleep(pause)
            done.append(name)

    quick = asyncio.create_task(slow(0.05, "quick"))
    endless = asyncio.create_task(slow(60, "endless"))
    await asyncio.sleep(0)
    await asyncio.wait_for(lanes.drain(0.3), 2)
    assert done == ["quick"] and quick.done() and not endless.done()
    endless.cancel()
