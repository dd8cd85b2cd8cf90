"""Leases: a live dispatcher keeps its claims, a dead one's are taken over in seconds, a
stalled one stops once its lease was taken over."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import timedelta

from bot.app import BotApp
from bot.config import RemindersConfig
from bot.core.clock import ManualClock, SystemClock
from bot.core.messages import Recipient
from bot.delivery.dispatcher import Dispatcher
from tests.conftest import make_settings
from tests.delivery.helpers import DUE, chat_rows, enqueue, statuses
from tests.delivery.platforms import EdgePlatform

SHORT_LEASE = RemindersConfig(
    send_rates={"telegram": 5000.0}, concurrency=2, lease_seconds=6, stale_minutes=1
)


async def test_a_live_dispatcher_keeps_its_claims_past_the_lease(db_url: str) -> None:
    """A pass longer than the lease renews it: another dispatcher never takes its rows."""
    clock = SystemClock()
    settings = make_settings(db_url, reminders=SHORT_LEASE)
    one = await BotApp.start(settings, clock=clock)
    two = await BotApp.start(settings, clock=clock, migrate=False)
    slow = EdgePlatform(clock, jitter=0.4)  # two chats of 40 rows: about 8 s each
    one.add_messenger(slow)
    rows = [replace(row, due_at=clock.now()) for row in chat_rows(2, 40)]
    async with one.database.unit_of_work() as uow:
        await uow.outbox.enqueue_many(rows, now=clock.now())
    busy = asyncio.create_task(Dispatcher(one, worker_id="busy", batch_size=100).run_due())
    other = Dispatcher(two, worker_id="other")  # it sends nothing (no messenger): it recovers
    taken = 0
    while not busy.done():
        await asyncio.sleep(0.5)
        taken += (await other.run_due()).recovered
    report = await busy
    assert taken == 0 and report.sent == 80 and slow.duplicates() == 0
    await one.close()
    await two.close()


async def test_a_stalled_dispatcher_stops_once_its_lease_was_taken_over(
    sqlite_url: str, clock: ManualClock
) -> None:
    app = await BotApp.start(make_settings(sqlite_url, reminders=SHORT_LEASE), clock=clock)
    stalled = asyncio.Event()

    def fault(recipient: Recipient, text: str) -> str | None:
        if text == "c0:2":
            stalled.set()
        return None

    platform = EdgePlatform(clock, jitter=0.2, fault=fault)
    app.add_messenger(platform)
    await enqueue(app, chat_rows(1, 40))
    clock.set(DUE)
    stalling = Dispatcher(app, worker_id="stalling", batch_size=100)
    running = asyncio.create_task(stalling.run_due())
    await asyncio.wait_for(stalled.wait(), 5)
    # Another process sees a heartbeat older than the lease (a long stall) and takes over.
    async with app.database.unit_of_work() as uow:
        taken = await uow.leases.expire(heartbeat_before=DUE + timedelta(minutes=1))
    assert taken >= 1
    report = await asyncio.wait_for(running, 5)  # its next renewal finds the lease gone
    assert report.sent < 40
    before = len(platform.arrivals)
    await asyncio.sleep(0.3)
    assert len(platform.arrivals) == before  # it sends nothing more
    clock.advance(timedelta(seconds=1))
    await Dispatcher(app, worker_id="taker").run_due()
    texts = platform.chat("c0")
    assert sorted(set(texts), key=texts.index) == [f"c0:{n}" for n in range(40)]
    assert platform.duplicates() <= 1  # at most the row in flight at the takeover
    assert (await statuses(app)) == {"sent": 40}
    await app.close()


async def test_claims_without_a_heartbeat_are_recovered_after_stale_minutes(
    sqlite_url: str, clock: ManualClock
) -> None:
    """Rows claimed by a dispatcher of a version before leases (no heartbeat row)."""
    app = await BotApp.start(make_settings(sqlite_url, reminders=SHORT_LEASE), clock=clock)
    await enqueue(app, chat_rows(1, 2))
    clock.set(DUE)
    async with app.database.unit_of_work() as uow:
        await uow.outbox.claim_due(limit=1, worker_id="old-version", now=DUE)
    platform = EdgePlatform(clock)
    app.add_messenger(platform)
    dispatcher = Dispatcher(app)
    await dispatcher.run_due()
    assert platform.chat("c0") == []  # c0:1 waits behind the claimed c0:0
    assert await dispatcher.next_due_at() == DUE + timedelta(minutes=1, seconds=0.5)
    clock.advance(timedelta(minutes=1, seconds=1))
    assert (await dispatcher.run_due()).recovered == 1
    assert platform.chat("c0") == ["c0:0", "c0:1"]
    await app.close()


async def test_a_dispatcher_alive_between_passes_gives_back_its_leftovers(
    sqlite_url: str, clock: ManualClock
) -> None:
    """A row left 'sending' by this very dispatcher (its record failed) is not renewed for
    ever: the next pass starts from it again."""
    app = await BotApp.start(make_settings(sqlite_url, reminders=SHORT_LEASE), clock=clock)
    await enqueue(app, chat_rows(1, 1))
    clock.set(DUE)
    dispatcher = Dispatcher(app)
    async with app.database.unit_of_work() as uow:
        await uow.outbox.claim_due(limit=1, worker_id=dispatcher.worker_id, now=DUE)
    platform = EdgePlatform(clock)
    app.add_messenger(platform)
    report = await dispatcher.run_due()
    assert report.recovered == 1 and platform.chat("c0") == ["c0:0"]
    await app.close()
