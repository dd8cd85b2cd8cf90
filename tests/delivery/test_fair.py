"""Fair, prioritized sending: urgent kinds first, each chat in order; a chat's limit or 429
sets that chat aside, never the workers; a platform-wide 429 pauses the platform; reminders
start early enough to be on time."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import timedelta

from bot.app import BotApp
from bot.config import RemindersConfig
from bot.core.clock import ManualClock
from bot.core.messages import Recipient
from bot.delivery.claiming import ChatQueues
from bot.delivery.dispatcher import Dispatcher
from bot.delivery.pacing import ChatLimits
from bot.delivery.priority import BULK, INTERACTIVE
from storage.models import OutboxMessage
from tests.conftest import make_settings
from tests.delivery.helpers import DUE, chat_rows, enqueue, statuses
from tests.delivery.platforms import EdgePlatform

ONE_WORKER = RemindersConfig(send_rates={"telegram": 5000.0}, concurrency=1, chat_limits={})


async def test_a_relay_leaves_before_a_fan_out_queued_earlier(
    sqlite_url: str, clock: ManualClock
) -> None:
    app = await BotApp.start(make_settings(sqlite_url, reminders=ONE_WORKER), clock=clock)
    platform = EdgePlatform(clock)
    app.add_messenger(platform)
    await enqueue(app, chat_rows(300, 1, kind="announcement", label="news "))
    dispatcher = Dispatcher(app, batch_size=16)
    clock.set(DUE)
    running = asyncio.create_task(dispatcher.run_due())
    while len(platform.arrivals) < 20:  # noqa: ASYNC110
        await asyncio.sleep(0.001)
    relay = chat_rows(1, 1, kind="advice.answer", label="relay ")
    await enqueue(app, [replace(relay[0], chat_id="member")])
    dispatcher.nudge()  # what the scheduler's wake-up does after the commit
    await running
    texts = [arrival.text for arrival in platform.arrivals]
    assert texts.index("relay c0:0") < 20 + 2 * 16  # within the next claims, not after 300
    assert len(texts) == 301
    await app.close()


async def test_an_urgent_row_pulls_the_bulk_rows_ahead_of_it_in_its_chat(
    sqlite_url: str, clock: ManualClock
) -> None:
    """A relay behind two digests in the same chat: the chat keeps its order, and the three
    leave before the other chats' announcements."""
    app = await BotApp.start(make_settings(sqlite_url, reminders=ONE_WORKER), clock=clock)
    platform = EdgePlatform(clock)
    app.add_messenger(platform)
    await enqueue(app, chat_rows(100, 1, kind="announcement", label="news "))
    digests = [replace(row, chat_id="c0") for row in chat_rows(2, 1, kind="digest", label="d ")]
    relay = replace(chat_rows(1, 1, kind="meet.say", label="say ")[0], chat_id="c0")
    await enqueue(app, [*digests, relay])
    async with app.database.unit_of_work() as uow:
        queued = await uow.outbox.with_prefix("digest:")
        assert {row.priority for row in queued} == {INTERACTIVE}  # inherited from the relay
    clock.set(DUE)
    await Dispatcher(app, batch_size=16).run_due()
    assert platform.chat("c0")[-3:] == ["d c0:0", "d c1:0", "say c0:0"]
    texts = [arrival.text for arrival in platform.arrivals]
    assert texts.index("say c0:0") < 10
    await app.close()


async def test_claims_never_take_a_row_before_an_earlier_one_of_another_priority(
    sqlite_url: str, clock: ManualClock
) -> None:
    """Rows written before priorities (the migration gives each its kind's): the urgent row
    waits for the bulk one ahead of it in its chat rather than overtaking it."""
    app = await BotApp.start(make_settings(sqlite_url, reminders=ONE_WORKER), clock=clock)
    await enqueue(app, chat_rows(1, 2, kind="announcement"))
    async with app.database.unit_of_work() as uow:
        rows = await uow.outbox.with_prefix("announcement:")
        rows[0].priority, rows[1].priority = BULK, INTERACTIVE
    async with app.database.unit_of_work() as uow:
        first = await uow.outbox.claim_due(limit=1, worker_id="w", now=DUE)
    assert [row.idempotency_key for row in first] == ["announcement:c0:0"]
    await app.close()


async def test_a_limited_chat_is_set_aside_and_the_others_go_on(
    sqlite_url: str, clock: ManualClock
) -> None:
    """A group allowed 2 messages a minute gets 2; one worker meanwhile sends every private
    message instead of waiting for the group."""
    config = ONE_WORKER.model_copy(update={"chat_limits": {"telegram.group": "2/60"}})
    app = await BotApp.start(make_settings(sqlite_url, reminders=config), clock=clock)
    platform = EdgePlatform(clock)
    app.add_messenger(platform)
    group = [replace(row, chat_id="group") for row in chat_rows(1, 10, label="g ")]
    private = chat_rows(40, 1, kind="advice.notice", private=True, label="p ")
    await enqueue(app, group + private)
    clock.set(DUE)
    running = asyncio.create_task(Dispatcher(app, batch_size=16).run_due())
    for _ in range(500):
        if len(platform.arrivals) >= 42:
            break
        await asyncio.sleep(0.01)
    assert platform.chat("group") == ["g c0:0", "g c0:1"]
    assert sum(1 for a in platform.arrivals if a.text.startswith("p ")) == 40
    running.cancel()  # a graceful stop: the group's other rows go back to the outbox
    await asyncio.gather(running, return_exceptions=True)
    assert (await statuses(app)) == {"sent": 42, "pending": 8}
    await app.close()


async def test_a_429_for_one_chat_pauses_that_chat_only(
    sqlite_url: str, clock: ManualClock
) -> None:
    app = await BotApp.start(make_settings(sqlite_url, reminders=ONE_WORKER), clock=clock)
    limited = {"c0:0"}

    def fault(recipient: Recipient, text: str) -> str | None:
        if text in limited:
            limited.discard(text)
            return "429chat"
        return None

    platform = EdgePlatform(clock, fault=fault, retry_after=2.0)
    app.add_messenger(platform)
    await enqueue(app, chat_rows(20, 2))
    clock.set(DUE)
    report = await Dispatcher(app, batch_size=64).run_due()
    texts = [arrival.text for arrival in platform.arrivals]
    assert platform.chat("c0") == ["c0:0", "c0:1"]  # its order holds
    assert texts[-2:] == ["c0:0", "c0:1"]  # everyone else went first, unpaused
    assert report.rate_limited == 1 and report.retried == 0
    assert (await statuses(app)) == {"sent": 40}
    await app.close()


async def test_a_platform_wide_429_pauses_the_platform(sqlite_url: str, clock: ManualClock) -> None:
    app = await BotApp.start(make_settings(sqlite_url, reminders=ONE_WORKER), clock=clock)
    limited = {"c0:0"}

    def fault(recipient: Recipient, text: str) -> str | None:
        if text in limited:
            limited.discard(text)
            return "429"
        return None

    platform = EdgePlatform(clock, fault=fault, retry_after=0.3)
    app.add_messenger(platform)
    await enqueue(app, chat_rows(20, 1))
    clock.set(DUE)
    loop = asyncio.get_running_loop()
    began = loop.time()
    report = await Dispatcher(app, batch_size=64).run_due()
    assert platform.arrivals[0].text == "c0:0"  # retried in place: nothing else went first
    assert loop.time() - began >= 0.3
    assert report.rate_limited == 1
    await app.close()


def test_429s_from_several_chats_at_once_mean_the_platform() -> None:
    now = [100.0]
    limits = ChatLimits({}, monotonic=lambda: now[0])
    assert not limits.pause("telegram", "a", 1.0)
    assert not limits.pause("telegram", "b", 1.0)
    now[0] += 2  # the first two are old news: still one chat at a time
    assert not limits.pause("telegram", "c", 1.0)
    assert not limits.pause("telegram", "d", 1.0)
    assert limits.pause("telegram", "e", 1.0)  # three chats within a second
    assert limits.wait("telegram", "e", False) == 1.0
    assert limits.wait("telegram", "z", False) == 0.0


def test_a_chat_limit_allows_its_burst_then_its_rate() -> None:
    now = [0.0]
    limits = ChatLimits({"telegram.group": "20/60"}, monotonic=lambda: now[0])
    for _ in range(20):
        assert limits.wait("telegram", "g", False) == 0.0
        limits.sent("telegram", "g", False)
    assert limits.wait("telegram", "g", False) == 3.0  # one more every 3 s
    assert limits.wait("telegram", "p", True) == 0.0  # no limit set for private chats
    now[0] += 3
    assert limits.wait("telegram", "g", False) == 0.0


def test_chat_queues_serve_the_most_urgent_chat_first() -> None:
    def row(n: int, chat: str, priority: int) -> OutboxMessage:
        return OutboxMessage(id=n, chat_id=chat, priority=priority, platform="telegram")

    queues = ChatQueues()
    queues.add(row(1, "bulk", BULK))
    queues.add(row(2, "bulk", BULK))
    queues.add(row(3, "member", INTERACTIVE))
    first = queues.take()
    assert first is not None and first.chat_id == "member"
    second = queues.take()
    assert second is not None and second.id == 1


async def test_a_reminder_fan_out_starts_early_enough_to_be_on_time(
    sqlite_url: str, clock: ManualClock
) -> None:
    """40 reminders and a relay due with them at 40 a second take about 1 s: the reminders
    may leave 1.28 s early (with the margin), not earlier; the relay does not leave early."""
    config = ONE_WORKER.model_copy(update={"send_rates": {"telegram": 40.0}})
    app = await BotApp.start(make_settings(sqlite_url, reminders=config), clock=clock)
    platform = EdgePlatform(clock)
    app.add_messenger(platform)
    await enqueue(app, chat_rows(40, 1, kind="reminder") + chat_rows(1, 1, label="relay "))
    dispatcher = Dispatcher(app)
    clock.set(DUE - timedelta(seconds=5))
    assert (await dispatcher.run_due()).sent == 0
    early = timedelta(seconds=1.25 * 41 / 40)
    assert await dispatcher.next_due_at() == DUE - early
    clock.set(DUE - early)
    report = await dispatcher.run_due()
    assert report.sent == 40 and report.missed == 0
    assert all(arrival.at < DUE for arrival in platform.arrivals)
    assert "relay c0:0" not in [arrival.text for arrival in platform.arrivals]
    clock.set(DUE)
    assert (await dispatcher.run_due()).sent == 1
    await app.close()


async def test_a_retry_due_during_a_long_pass_waits_for_the_next_pass(
    sqlite_url: str, clock: ManualClock
) -> None:
    """Claims take rows due since the pass began; a held chat's retry that comes due then is
    left for the next pass (claiming it would only give it back, again and again)."""
    app = await BotApp.start(make_settings(sqlite_url, reminders=ONE_WORKER), clock=clock)

    failures = {"c0:0"}

    def fault(recipient: Recipient, text: str) -> str | None:
        if text in failures:
            failures.discard(text)
            return "500"
        if text == "c5:0":
            clock.advance(timedelta(minutes=5))  # the retry of c0:0 is due from here on
        return None

    platform = EdgePlatform(clock, fault=fault)
    app.add_messenger(platform)
    await enqueue(app, [*chat_rows(40, 1), replace(chat_rows(1, 2)[1], chat_id="c0")])
    clock.set(DUE)
    dispatcher = Dispatcher(app, batch_size=4)
    report = await asyncio.wait_for(dispatcher.run_due(), 10)
    assert report.retried == 1 and platform.chat("c0") == []
    assert (await dispatcher.run_due()).sent == 2
    assert platform.chat("c0") == ["c0:0", "c0:1"]
    await app.close()


async def test_a_few_reminders_leave_at_their_due_time(sqlite_url: str, clock: ManualClock) -> None:
    """A window under a second is not worth leaving early for."""
    app = await BotApp.start(make_settings(sqlite_url, reminders=ONE_WORKER), clock=clock)
    app.add_messenger(EdgePlatform(clock))
    await enqueue(app, chat_rows(3, 1, kind="reminder"))
    assert await Dispatcher(app).next_due_at() == DUE
    await app.close()
