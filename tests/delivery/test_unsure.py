"""Sends that may have arrived: repeated, looked for, or left, by kind and platform."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import timedelta

import pytest

from bot.app import BotApp
from bot.config import RemindersConfig
from bot.core.clock import ManualClock
from bot.core.messages import Recipient
from bot.delivery.dispatcher import Dispatcher
from tests.conftest import make_settings
from tests.delivery.helpers import DUE, chat_rows, drain, enqueue, statuses
from tests.delivery.platforms import Arrival, EdgePlatform, LookingPlatform

SETTINGS = RemindersConfig(send_rates={"telegram": 5000.0, "discord": 5000.0}, concurrency=1)


class Crash(BaseException):
    """The process dies in the middle of a send: nothing of ours runs after it."""


def lose_answer_of(*texts: str) -> Callable[[Recipient, str], str | None]:
    """A fault script: these messages arrive once, their answers are lost."""
    pending = set(texts)

    def fault(recipient: Recipient, text: str) -> str | None:
        if text in pending:
            pending.discard(text)
            return "lost"
        return None

    return fault


@pytest.fixture
async def app(sqlite_url: str, clock: ManualClock) -> AsyncIterator[BotApp]:
    bot_app = await BotApp.start(make_settings(sqlite_url, reminders=SETTINGS), clock=clock)
    yield bot_app
    await bot_app.close()


async def test_a_relay_that_may_have_arrived_is_not_repeated_where_the_chat_cannot_be_read(
    app: BotApp, clock: ManualClock
) -> None:
    platform = EdgePlatform(clock, fault=lose_answer_of("c0:0"))
    app.add_messenger(platform)
    await enqueue(app, chat_rows(1, 3, kind="advice.answer"))
    clock.set(DUE)
    report = await Dispatcher(app).run_due()
    assert platform.chat("c0") == ["c0:0", "c0:1", "c0:2"]  # once each, in order
    assert (report.maybe_delivered, report.unconfirmed) == (1, 1)
    assert (await statuses(app)) == {"sent": 2, "unconfirmed": 1}


async def test_a_reminder_that_may_have_arrived_is_repeated_where_the_chat_cannot_be_read(
    app: BotApp, clock: ManualClock
) -> None:
    platform = EdgePlatform(clock, fault=lose_answer_of("c0:0"))
    app.add_messenger(platform)
    await enqueue(app, chat_rows(1, 3, kind="reminder", private=True))
    clock.set(DUE)
    dispatcher = Dispatcher(app)
    report = await dispatcher.run_due()
    assert platform.chat("c0") == ["c0:0"]  # the later reminders wait behind the unsure one
    assert (report.maybe_delivered, report.retried) == (1, 1)
    await drain(dispatcher, clock)
    assert platform.chat("c0") == ["c0:0", "c0:0", "c0:1", "c0:2"]  # a repeat, never a loss
    assert (await statuses(app)) == {"sent": 3}


async def test_a_reminder_is_repeated_once_at_most(app: BotApp, clock: ManualClock) -> None:
    lost = ["lost", "lost"]

    def fault(recipient: Recipient, text: str) -> str | None:
        return lost.pop() if lost else None

    platform = EdgePlatform(clock, fault=fault)
    app.add_messenger(platform)
    await enqueue(app, chat_rows(1, 2, kind="reminder", private=True))
    clock.set(DUE)
    await drain(Dispatcher(app), clock)
    assert platform.chat("c0") == ["c0:0", "c0:0", "c0:1"]  # the repeat went unanswered too
    assert (await statuses(app)) == {"unconfirmed": 1, "sent": 1}


@pytest.mark.parametrize("kind", ["advice.answer", "reminder"])
async def test_where_the_chat_can_be_read_the_next_attempt_finds_the_message(
    app: BotApp, clock: ManualClock, kind: str
) -> None:
    platform = LookingPlatform(clock, fault=lose_answer_of("c0:0"))
    app.add_messenger(platform)
    await enqueue(app, chat_rows(1, 3, kind=kind, platform=platform.platform))
    clock.set(DUE)
    dispatcher = Dispatcher(app)
    await drain(dispatcher, clock)
    assert platform.chat("c0") == ["c0:0", "c0:1", "c0:2"]
    assert platform.looked == 1
    async with app.database.unit_of_work() as uow:
        found = await uow.outbox.get(f"{kind}:c0:0")
    assert found is not None and (found.status, found.sent_message_id) == ("sent", "1")


async def test_a_server_error_is_not_taken_for_a_message_that_may_have_arrived(
    app: BotApp, clock: ManualClock
) -> None:
    failures = ["500"]

    def fault(recipient: Recipient, text: str) -> str | None:
        return failures.pop() if failures else None

    platform = EdgePlatform(clock, fault=fault)
    app.add_messenger(platform)
    await enqueue(app, chat_rows(1, 1, kind="advice.answer"))
    clock.set(DUE)
    dispatcher = Dispatcher(app)
    await drain(dispatcher, clock)
    assert platform.chat("c0") == ["c0:0"]  # retried and sent, not left unconfirmed
    assert (await statuses(app)) == {"sent": 1}


@pytest.mark.parametrize("looking", [False, True])
async def test_a_crash_during_a_relay_leaves_the_knowledge_that_it_may_have_arrived(
    sqlite_url: str, clock: ManualClock, looking: bool
) -> None:
    settings = make_settings(sqlite_url, reminders=SETTINGS)
    app = await BotApp.start(settings, clock=clock)
    kind = LookingPlatform if looking else EdgePlatform
    crashing = kind(clock)
    original = crashing._arrive

    def arrive_then_crash(recipient: Recipient, text: str) -> Arrival:
        arrival = original(recipient, text)
        if text == "c0:1":
            raise Crash  # the message is in the chat; the process dies before the answer
        return arrival

    crashing._arrive = arrive_then_crash
    app.add_messenger(crashing)
    await enqueue(app, chat_rows(1, 3, kind="advice.answer", platform=crashing.platform))
    clock.set(DUE)
    with pytest.raises(Crash):
        await Dispatcher(app).run_due()
    await app.close()

    clock.advance(timedelta(seconds=16))  # the dead process's lease has run out
    restarted = await BotApp.start(settings, clock=clock)
    platform = kind(clock, arrivals=crashing.arrivals)
    restarted.add_messenger(platform)
    report = await Dispatcher(restarted).run_due()
    assert report.recovered >= 1
    assert platform.chat("c0") == ["c0:0", "c0:1", "c0:2"]  # c0:1 never twice
    expected = {"sent": 3} if looking else {"sent": 2, "unconfirmed": 1}
    assert (await statuses(restarted)) == expected
    await restarted.close()
