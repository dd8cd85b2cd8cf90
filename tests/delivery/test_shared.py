"""Several processes on one PostgreSQL database: one send rate per platform for all of them,
and a row queued by one process woken up in another at once (LISTEN/NOTIFY), not at the next
sweep. Two dispatchers with their own apps (engines, pools) stand for two processes;
``bench/scaleout.py`` runs real processes."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from bot.app import BotApp
from bot.config import RemindersConfig
from bot.core.clock import SystemClock
from bot.delivery import outbox
from bot.delivery.dispatcher import Dispatcher, DispatchScheduler
from bot.delivery.pacing import SharedBucket
from tests.conftest import make_settings, reset_postgres
from tests.delivery.helpers import chat_rows
from tests.delivery.platforms import Arrival, EdgePlatform

RATE = 20.0
SHARED = RemindersConfig(send_rates={"telegram": RATE}, concurrency=4, chat_limits={})


@pytest.fixture
async def pg_url(postgres_url: str | None) -> AsyncIterator[str]:
    if postgres_url is None:
        pytest.skip("TEST_DATABASE_URL not set")
    await reset_postgres(postgres_url)
    yield postgres_url


def busiest_second(arrivals: list[Arrival]) -> int:
    """The most sends within any one-second window."""
    times = sorted(arrival.at for arrival in arrivals)
    most, start = 0, 0
    for end, at in enumerate(times):
        while at - times[start] >= timedelta(seconds=1):
            start += 1
        most = max(most, end - start + 1)
    return most


async def test_two_dispatchers_together_keep_to_the_platform_rate(pg_url: str) -> None:
    clock = SystemClock()
    one = await BotApp.start(make_settings(pg_url, reminders=SHARED), clock=clock)
    two = await BotApp.start(make_settings(pg_url, reminders=SHARED), clock=clock, migrate=False)
    first, second = EdgePlatform(clock), EdgePlatform(clock)
    one.add_messenger(first)
    two.add_messenger(second)
    now = clock.now()
    rows = [row.__class__(**{**row.__dict__, "due_at": now}) for row in chat_rows(60, 1)]
    async with one.database.unit_of_work() as uow:
        await uow.outbox.enqueue_many(rows, now=now)
    reports = await asyncio.gather(
        Dispatcher(one, worker_id="one").run_due(), Dispatcher(two, worker_id="two").run_due()
    )
    arrivals = first.arrivals + second.arrivals
    assert len(arrivals) == 60 and all(report.sent > 0 for report in reports)
    assert len({arrival.text for arrival in arrivals}) == 60  # no duplicates
    # Alone, each would send RATE a second: together 2 × RATE. Shared, RATE, give or take a
    # slot or two of timer jitter on a host busy running the suite.
    assert busiest_second(arrivals) <= RATE * 1.1
    await one.close()
    await two.close()


async def test_a_row_queued_in_one_process_is_sent_by_another_without_a_sweep(
    pg_url: str,
) -> None:
    clock = SystemClock()
    quiet = SHARED.model_copy(update={"sweep_seconds": 3600})
    sender = await BotApp.start(make_settings(pg_url, reminders=quiet), clock=clock)
    writer = await BotApp.start(make_settings(pg_url, reminders=quiet), clock=clock, migrate=False)
    platform = EdgePlatform(clock)
    sender.add_messenger(platform)
    scheduler = DispatchScheduler(Dispatcher(sender))
    scheduler.start()
    assert scheduler.listener is not None
    await asyncio.wait_for(scheduler.listener.listening.wait(), 10)
    await asyncio.sleep(0.5)  # the first sweep (at start) has nothing to do
    row = chat_rows(1, 1, label="from afar ")[0]
    queued_at = clock.now()
    async with writer.database.unit_of_work() as uow:  # the writer has no dispatcher at all
        await outbox.enqueue(uow, [row.__class__(**{**row.__dict__, "due_at": queued_at})],
                             now=queued_at, wake=[])  # fmt: skip
    for _ in range(300):
        if platform.arrivals:
            break
        await asyncio.sleep(0.01)
    assert [arrival.text for arrival in platform.arrivals] == ["from afar c0:0"]
    waited: timedelta = platform.arrivals[0].at - queued_at
    assert waited < timedelta(seconds=3)  # the sweep would come in an hour
    await scheduler.aclose()
    await sender.close()
    await writer.close()


async def test_a_platform_pause_reaches_the_other_process(pg_url: str) -> None:
    """A platform-wide 429 met by one process moves the shared bucket: the other process's
    next slot comes after the pause."""
    clock = SystemClock()
    one = await BotApp.start(make_settings(pg_url, reminders=SHARED), clock=clock)
    two = await BotApp.start(make_settings(pg_url, reminders=SHARED), clock=clock, migrate=False)
    bucket_one = Dispatcher(one).pacing.bucket("telegram")
    assert isinstance(bucket_one, SharedBucket)
    bucket_two = Dispatcher(two).pacing.bucket("telegram")
    await bucket_one.acquire()
    began = asyncio.get_running_loop().time()
    bucket_one.pause(1.0)
    await bucket_one.shared()  # written in the background; however slow, it counts from then
    await bucket_two.acquire()
    assert asyncio.get_running_loop().time() - began >= 0.9
    await one.close()
    await two.close()
