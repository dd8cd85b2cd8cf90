"""The app's health: one log line per change, readiness, holding a request, giving up."""

from __future__ import annotations

import asyncio
import contextlib
import logging

import pytest

from bot.health import Health, OutageNotices
from storage.availability import Availability
from storage.errors import StorageUnavailable

LOST = StorageUnavailable("cannot connect: refused")


def health(**options: float) -> Health:
    settings = {"give_up_after": 60.0, "probe_seconds": 0.05, **options}
    return Health(Availability(), **settings)


async def test_one_line_when_storage_is_lost_and_one_when_it_is_back(
    caplog: pytest.LogCaptureFixture,
) -> None:
    watched = health()
    caplog.set_level(logging.INFO, logger="bot.health")
    assert watched.ready and watched.reason is None
    for _ in range(20):  # twenty failed attempts: one outage
        watched.availability.lost(LOST)
    assert not watched.ready and watched.reason == "storage unavailable: cannot connect: refused"
    for _ in range(20):
        watched.availability.ok()
    assert watched.ready and watched.last_storage_ok is not None
    lines = [r.getMessage() for r in caplog.records]
    assert len(lines) == 2, lines
    assert lines[0].startswith("storage lost: cannot connect: refused")
    assert lines[1].startswith("storage back after")
    assert watched.outages == 1


async def test_a_held_request_is_tried_again_once_storage_is_back() -> None:
    watched = health()
    attempts: list[int] = []
    told: list[StorageUnavailable] = []

    async def work() -> str:
        attempts.append(1)
        if len(attempts) < 4:
            watched.availability.lost(LOST)
            raise LOST
        return "answer"

    async def on_hold(error: StorageUnavailable) -> None:
        told.append(error)

    async def come_back() -> None:
        await asyncio.sleep(0.3)
        watched.availability.ok()

    back = asyncio.create_task(come_back())
    assert await asyncio.wait_for(watched.patiently(work, on_hold=on_hold), 5) == "answer"
    await back
    assert len(attempts) == 4 and told == [LOST]  # told once, whatever the attempts


async def test_a_held_request_gives_up_at_its_deadline() -> None:
    watched = health()

    async def work() -> None:
        raise LOST

    deadline = asyncio.get_running_loop().time() + 0.3
    with pytest.raises(StorageUnavailable):
        await asyncio.wait_for(watched.patiently(work, deadline=deadline), 5)


async def test_the_probe_gives_up_after_the_bound_and_wakes_what_is_held(
    caplog: pytest.LogCaptureFixture,
) -> None:
    watched = health(give_up_after=0.4)
    checks = 0

    async def check() -> None:
        nonlocal checks
        checks += 1
        watched.availability.lost(LOST)
        raise LOST

    async def work() -> None:
        raise LOST

    caplog.set_level(logging.INFO, logger="bot.health")
    probe = asyncio.create_task(watched.watch(check))
    with pytest.raises(StorageUnavailable):
        await asyncio.wait_for(watched.patiently(work), 5)
    await asyncio.wait_for(watched.gave_up.wait(), 5)
    assert not watched.ready and "exiting" in (watched.reason or "")
    lines = [r.getMessage() for r in caplog.records]
    assert len(lines) == 2 and "giving up" in lines[1], lines
    assert checks >= 3  # probed quickly while lost
    await asyncio.wait_for(probe, 5)  # the probe stops once it gave up


async def test_the_probe_notices_storage_back_without_traffic() -> None:
    watched = health()
    up = False

    async def check() -> None:
        if up:
            watched.availability.ok()
        else:
            watched.availability.lost(LOST)
            raise LOST

    probe = asyncio.create_task(watched.watch(check))
    try:
        await asyncio.sleep(0.2)
        assert not watched.ready
        up = True
        for _ in range(100):
            if watched.ready:
                break
            await asyncio.sleep(0.02)
        assert watched.ready
    finally:
        probe.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await probe


async def test_each_person_is_told_once_per_outage() -> None:
    watched = health()
    notices = OutageNotices(watched)
    watched.availability.lost(LOST)
    assert notices.first("amina") and notices.first("karim")
    assert not notices.first("amina")
    watched.availability.ok()
    watched.availability.lost(LOST)  # a new outage: told again
    assert notices.first("amina") and not notices.first("amina")
