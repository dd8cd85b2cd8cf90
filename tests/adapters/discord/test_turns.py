"""One request at a time per person; shutdown waits for requests being handled."""

from __future__ import annotations

import asyncio

from adapters.discord.turns import Turns


async def test_one_person_waits_for_their_earlier_request_others_do_not() -> None:
    turns = Turns()
    order: list[str] = []

    async def work(name: str, pause: float) -> str:
        order.append(f"{name} starts")
        await asyncio.sleep(pause)
        order.append(f"{name} ends")
        return name

    first = asyncio.create_task(turns.run("amina", work("a1", 0.05)))
    await asyncio.sleep(0)
    second = asyncio.create_task(turns.run("amina", work("a2", 0)))
    other = asyncio.create_task(turns.run("grace", work("g1", 0)))
    assert await asyncio.gather(first, second, other) == ["a1", "a2", "g1"]
    assert order.index("a1 ends") < order.index("a2 starts")  # Amina's answers stay in order
    assert order.index("g1 ends") < order.index("a1 ends")  # Grace does not wait for Amina


async def test_drain_waits_for_work_in_flight() -> None:
    turns = Turns()
    finished: list[str] = []

    async def slow() -> None:
        await asyncio.sleep(0.05)
        finished.append("done")

    task = asyncio.create_task(turns.run("amina", slow()))
    await asyncio.sleep(0)
    await turns.drain(5)
    assert finished == ["done"] and task.done()
