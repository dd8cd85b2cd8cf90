"""Durable delivery: a restart mid fan-out, two dispatchers on one database, failures."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from bot.app import BotApp
from bot.config import RemindersConfig
from bot.core.clock import ManualClock
from bot.core.messages import Platform, Recipient, Reply, SentMessage
from bot.core.ports import DeliveryError, RateLimitedError
from bot.delivery import outbox
from bot.delivery.dispatcher import Dispatcher
from storage.repositories.outbox import NewMessage
from tests.conftest import make_settings
from tests.features.events.fakes import RecordingMessenger, wire
from tests.helpers import say

DUE = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


class Crash(BaseException):
    """The process dies: nothing of ours runs after it (no cleanup, no release)."""


def _rows(count: int, due: datetime = DUE) -> list[NewMessage]:
    return [
        outbox.message(
            f"test:{n}",
            "reminder",
            Recipient(Platform.CONSOLE, f"member{n}", private=True),
            Reply.text(f"Reminder {n}"),
            due,
        )
        for n in range(count)
    ]


async def _fill(app: BotApp, count: int) -> None:
    async with app.database.unit_of_work() as uow:
        await uow.outbox.enqueue_many(_rows(count), now=app.clock.now())


async def _statuses(app: BotApp) -> Counter[str]:
    async with app.database.unit_of_work() as uow:
        return Counter(await uow.outbox.counts())


def _exactly_once(messenger: RecordingMessenger, count: int) -> None:
    per_chat = Counter(d.recipient.chat_id for d in messenger.sent)
    assert set(per_chat) == {f"member{n}" for n in range(count)}
    assert set(per_chat.values()) == {1}


async def test_restart_mid_fan_out_after_rsvps_sends_each_reminder_once(
    sqlite_url: str, clock: ManualClock
) -> None:
    """Stop the bot during the 1 h fan-out (graceful stop), start a new one on the same file."""
    app = await BotApp.start(make_settings(sqlite_url), clock=clock)
    names = [f"champion{n}" for n in range(12)]
    await say(app, "sofia", '/webinar add "Budgets" 2026-11-26 13:00 UTC 60m https://x.org 1h')
    for name in names:
        await say(app, name, "/rsvp 1")
    stopped = asyncio.Event()
    first = RecordingMessenger(clock)

    async def stop_after_five(count: int) -> None:
        if count >= 5:
            stopped.set()
            await asyncio.sleep(0.05)  # sends in flight when the stop comes

    first.before = stop_after_five
    app.add_messenger(first)
    clock.set(DUE)
    run = asyncio.create_task(Dispatcher(app).run_due())
    await asyncio.wait_for(stopped.wait(), 5)
    run.cancel()
    with pytest.raises(asyncio.CancelledError):
        await run
    await app.close()
    assert 5 <= len(first.sent) < len(names)
    assert len(first.sent) > 5  # the sends in flight at the stop finished and were recorded

    restarted = await BotApp.start(make_settings(sqlite_url), clock=clock)
    second = RecordingMessenger(clock, sent=list(first.sent))
    restarted.add_messenger(second)
    report = await Dispatcher(restarted).run_due()
    assert report.sent == len(names) - len(first.sent)
    per_member = Counter(d.recipient.chat_id for d in second.sent)
    assert per_member == dict.fromkeys(names, 1)
    assert (await _statuses(restarted))["sent"] == len(names)
    await restarted.close()


async def test_crash_mid_fan_out_recovers_once_the_lease_runs_out(
    sqlite_url: str, clock: ManualClock
) -> None:
    """A hard crash leaves claimed rows 'sending'; a new process sends them once, when the
    dead one's lease (15 s) has run out."""
    settings = make_settings(sqlite_url, reminders=RemindersConfig(concurrency=1))
    app = await BotApp.start(settings, clock=clock)
    await _fill(app, 40)
    crashing = RecordingMessenger(clock)

    async def crash_after_seven(count: int) -> None:
        if count == 7:
            raise Crash

    crashing.before = crash_after_seven
    app.add_messenger(crashing)
    clock.set(DUE)
    with pytest.raises(Crash):
        await Dispatcher(app).run_due()
    await app.close()
    assert len(crashing.sent) == 7

    clock.advance(timedelta(seconds=5))
    restarted = await BotApp.start(settings, clock=clock)
    second = RecordingMessenger(clock, sent=list(crashing.sent))
    restarted.add_messenger(second)
    dispatcher = Dispatcher(restarted)
    first_pass = await dispatcher.run_due()
    assert first_pass.recovered == 0  # the crashed claims' lease still runs: not touched
    assert (await _statuses(restarted))["sending"] > 0
    assert await dispatcher.next_due_at() == DUE + timedelta(seconds=15.5)  # when it runs out
    clock.advance(timedelta(seconds=15))
    second_pass = await dispatcher.run_due()
    assert second_pass.recovered > 0
    _exactly_once(second, 40)
    assert (await _statuses(restarted)) == {"sent": 40}
    await restarted.close()


async def test_a_send_hanging_at_the_stop_is_retried_after_the_stale_timeout(
    sqlite_url: str, clock: ManualClock
) -> None:
    app = await BotApp.start(make_settings(sqlite_url), clock=clock)
    await _fill(app, 20)
    stopped = asyncio.Event()
    hanging = RecordingMessenger(clock)

    async def hang_after_three(count: int) -> None:
        if count >= 3:
            stopped.set()
            await asyncio.sleep(3600)  # the platform never answers: no delivery happened

    hanging.before = hang_after_three
    app.add_messenger(hanging)
    clock.set(DUE)
    run = asyncio.create_task(Dispatcher(app, stop_timeout=0.05).run_due())
    await asyncio.wait_for(stopped.wait(), 5)
    run.cancel()
    with pytest.raises(asyncio.CancelledError):
        await run
    await app.close()
    restarted = await BotApp.start(make_settings(sqlite_url), clock=clock)
    second = RecordingMessenger(clock, sent=list(hanging.sent))
    restarted.add_messenger(second)
    dispatcher = Dispatcher(restarted)
    await dispatcher.run_due()  # everything but the hanging sends goes at once
    stuck = (await _statuses(restarted))["sending"]
    assert 1 <= stuck <= 4  # at most one per worker: the rest were given back at the stop
    assert len(second.sent) == 20 - stuck
    clock.advance(timedelta(minutes=6))
    assert (await dispatcher.run_due()).recovered == stuck
    _exactly_once(second, 20)
    await restarted.close()


async def test_two_dispatchers_on_one_database_send_everything_once(
    db_url: str, clock: ManualClock
) -> None:
    """Two processes (two engines, two connection pools) over the same due rows."""
    count = 300
    settings = make_settings(db_url, reminders=RemindersConfig(concurrency=4))
    one = await BotApp.start(settings, clock=clock)
    two = await BotApp.start(settings, clock=clock, migrate=False)
    await _fill(one, count)
    clock.set(DUE)
    shared: list = []
    first = RecordingMessenger(clock, sent=shared, latency=0.001)
    second = RecordingMessenger(clock, sent=shared, latency=0.001)
    one.add_messenger(first)
    two.add_messenger(second)
    a, b = await asyncio.gather(
        Dispatcher(one, worker_id="one", batch_size=10).run_due(),
        Dispatcher(two, worker_id="two", batch_size=10).run_due(),
    )
    assert a.sent + b.sent == count
    assert a.sent > 0 and b.sent > 0, (a.sent, b.sent)
    _exactly_once(first, count)
    assert (await _statuses(one)) == {"sent": count}
    await one.close()
    await two.close()


async def test_failures_retry_with_backoff_then_fail(app: BotApp, clock: ManualClock) -> None:
    calls: list[int] = []

    class Flaky(RecordingMessenger):
        async def send(self, recipient: Recipient, reply: Reply) -> SentMessage:
            calls.append(1)
            if recipient.chat_id == "member0":
                raise DeliveryError("timeout", retryable=True)
            if recipient.chat_id == "member1":
                raise DeliveryError("bot blocked", retryable=False)
            if recipient.chat_id == "member2" and len(calls) < 5:
                raise RateLimitedError("429", retry_after=0.01)
            return await super().send(recipient, reply)

    messenger = Flaky(clock)
    app.add_messenger(messenger)
    dispatcher = Dispatcher(app)
    await _fill(app, 3)
    clock.set(DUE)
    report = await dispatcher.run_due()
    assert (report.sent, report.failed, report.retried) == (1, 1, 1)
    assert report.rate_limited >= 1
    async with app.database.unit_of_work() as uow:
        retry = await uow.outbox.get("test:0")
        assert retry is not None and retry.status == "pending"
        assert retry.due_at == DUE + timedelta(seconds=30)
        blocked = await uow.outbox.get("test:1")
        assert blocked is not None and blocked.status == "failed"
    for _ in range(6):  # the retries come back later, with growing delays, then stop
        due = await dispatcher.next_due_at()
        if due is None:
            break
        clock.set(due)
        await dispatcher.run_due()
    assert (await _statuses(app)) == {"sent": 1, "failed": 2}


async def test_duplicate_enqueue_is_ignored_and_wakes_after_commit(app: BotApp) -> None:
    woken: list[str] = []
    app.on_enqueue.append(lambda: woken.append("wake"))
    async with app.database.unit_of_work() as uow:
        added = await outbox.enqueue(uow, _rows(3), now=app.clock.now(), wake=app.on_enqueue)
        assert added == 3 and woken == []  # not before the commit
    assert woken == ["wake"]
    async with app.database.unit_of_work() as uow:
        assert await outbox.enqueue(uow, _rows(3), now=app.clock.now(), wake=app.on_enqueue) == 0
    assert woken == ["wake"]
    dispatcher, _ = wire(app)
    assert await dispatcher.next_due_at() == DUE


async def test_closing_the_scheduler_mid_fan_out_gives_unsent_rows_back(
    sqlite_url: str, clock: ManualClock
) -> None:
    """What a SIGTERM does in production: DispatchScheduler.aclose() during a fan-out."""
    from bot.delivery.dispatcher import DispatchScheduler

    app = await BotApp.start(make_settings(sqlite_url), clock=clock)
    clock.set(datetime.now(UTC))
    async with app.database.unit_of_work() as uow:
        await uow.outbox.enqueue_many(_rows(30, due=clock.now()), now=clock.now())
    messenger = RecordingMessenger(clock, latency=0.01)
    app.add_messenger(messenger)
    service = DispatchScheduler(Dispatcher(app))
    service.start()
    for _ in range(200):
        if len(messenger.sent) >= 5:
            break
        await asyncio.sleep(0.01)
    await service.aclose()
    statuses = await _statuses(app)
    assert statuses["sent"] == len(messenger.sent) >= 5
    assert statuses["pending"] == 30 - len(messenger.sent)
    assert "sending" not in statuses
    await app.close()

    restarted = await BotApp.start(make_settings(sqlite_url), clock=clock)
    second = RecordingMessenger(clock, sent=list(messenger.sent))
    restarted.add_messenger(second)
    await Dispatcher(restarted).run_due()
    _exactly_once(second, 30)
    await restarted.close()
