"""First in, first out per chat: different chats in parallel, each chat's messages in order,
through latency jitter, 429s and failures retried with backoff."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from bot.app import BotApp
from bot.config import RemindersConfig
from bot.core.clock import ManualClock
from bot.core.messages import Recipient, Reply, SentMessage
from bot.delivery.dispatcher import Dispatcher
from storage.repositories.outbox import retry_delay
from tests.conftest import make_settings
from tests.delivery.helpers import DUE, chat_rows, drain, enqueue, statuses
from tests.delivery.platforms import EdgePlatform

FAST = RemindersConfig(send_rates={"telegram": 5000.0, "discord": 5000.0}, concurrency=4)


async def test_each_chat_keeps_its_order_under_jitter_429s_and_retries(
    sqlite_url: str, clock: ManualClock
) -> None:
    app = await BotApp.start(make_settings(sqlite_url, reminders=FAST), clock=clock)
    platform = EdgePlatform(clock, jitter=0.004, rate_limited=0.05, failing=0.05)
    app.add_messenger(platform)
    await enqueue(app, chat_rows(10, 100))
    clock.set(DUE)
    dispatcher = Dispatcher(app, batch_size=64)
    await drain(dispatcher, clock)
    for c in range(10):
        assert platform.chat(f"c{c}") == [f"c{c}:{n}" for n in range(100)]
    assert platform.most_in_flight > 1  # chats went out in parallel
    assert (await statuses(app)) == {"sent": 1000}
    await app.close()


async def test_a_failed_row_holds_its_chat_until_it_is_sent(
    sqlite_url: str, clock: ManualClock
) -> None:
    app = await BotApp.start(make_settings(sqlite_url, reminders=FAST), clock=clock)
    failures = {"c0:0": 2}

    def fault(recipient: Recipient, text: str) -> str | None:
        if failures.get(text, 0) > 0:
            failures[text] -= 1
            return "500"
        return None

    platform = EdgePlatform(clock, fault=fault)
    app.add_messenger(platform)
    await enqueue(app, chat_rows(2, 3))
    clock.set(DUE)
    dispatcher = Dispatcher(app)
    report = await dispatcher.run_due()
    assert platform.chat("c1") == ["c1:0", "c1:1", "c1:2"]  # the other chat goes on
    assert platform.chat("c0") == []  # c0:1 and c0:2 wait behind c0:0
    assert report.retried == 1
    assert await dispatcher.next_due_at() == DUE + retry_delay(1)
    await drain(dispatcher, clock)
    assert platform.chat("c0") == ["c0:0", "c0:1", "c0:2"]
    await app.close()


async def test_a_row_given_up_lets_its_chat_go_on(sqlite_url: str, clock: ManualClock) -> None:
    app = await BotApp.start(make_settings(sqlite_url, reminders=FAST), clock=clock)

    def fault(recipient: Recipient, text: str) -> str | None:
        return "refused" if text == "c0:0" else None

    platform = EdgePlatform(clock, fault=fault)
    app.add_messenger(platform)
    await enqueue(app, chat_rows(1, 3))
    clock.set(DUE)
    report = await Dispatcher(app).run_due()
    assert report.failed == 1
    assert platform.chat("c0") == ["c0:1", "c0:2"]
    await app.close()


async def test_two_dispatchers_keep_each_chat_in_order(db_url: str, clock: ManualClock) -> None:
    """Two processes over the same chats: a chat is with one of them at a time."""
    settings = make_settings(db_url, reminders=FAST)
    one = await BotApp.start(settings, clock=clock)
    two = await BotApp.start(settings, clock=clock, migrate=False)
    platform = EdgePlatform(clock, jitter=0.003)
    one.add_messenger(platform)
    two.add_messenger(platform)
    await enqueue(one, chat_rows(10, 30))
    clock.set(DUE)
    first = Dispatcher(one, worker_id="one", batch_size=8)
    second = Dispatcher(two, worker_id="two", batch_size=8)
    for _ in range(50):
        await asyncio.gather(first.run_due(), second.run_due())
        if await first.next_due_at() is None:
            break
    for c in range(10):
        assert platform.chat(f"c{c}") == [f"c{c}:{n}" for n in range(30)]
    assert (await statuses(one)) == {"sent": 300}
    await one.close()
    await two.close()


@dataclass
class _HangingPlatform(EdgePlatform):
    """After ``hang_after`` sends, sends never return: a platform that stopped answering."""

    hang_after: int = 0

    async def send(self, recipient: Recipient, reply: Reply) -> SentMessage:
        self.hang_after -= 1
        if self.hang_after < 0:
            await asyncio.sleep(3600)
        return await super().send(recipient, reply)


async def test_a_cancelled_pass_stops_within_stop_timeout_although_sends_hang(
    sqlite_url: str, clock: ManualClock
) -> None:
    """A process told to stop (the pass's task cancelled) must not wait for sends that hang:
    it gives the unstarted rows back and stops; the hanging rows wait for the lease."""
    app = await BotApp.start(make_settings(sqlite_url, reminders=FAST), clock=clock)
    platform = _HangingPlatform(clock, hang_after=2)
    app.add_messenger(platform)
    await enqueue(app, chat_rows(8, 3))
    clock.set(DUE)
    run = asyncio.create_task(Dispatcher(app, stop_timeout=0.05).run_due())
    for _ in range(200):
        if platform.hang_after < -FAST.concurrency + 1:
            break
        await asyncio.sleep(0.01)
    assert platform.hang_after <= -FAST.concurrency + 1  # every worker is in a hanging send
    run.cancel()
    done, _ = await asyncio.wait([run], timeout=5)
    assert done, "the pass did not stop"
    counts = await statuses(app)
    assert counts["sending"] == FAST.concurrency  # the hanging sends keep their claim
    assert counts["sent"] == 2 and counts["pending"] == 24 - 2 - FAST.concurrency
    await app.close()
