"""The outbox through the real PTB: each chat in order under 429s, 5xx and latency jitter; a
slow answer repeats a reminder at most once and never a relay."""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import replace

import pytest

from adapters.telegram import TelegramAdapter
from bot.app import BotApp
from bot.config import RemindersConfig, TelegramConfig
from bot.core.clock import ManualClock
from bot.delivery.dispatcher import Dispatcher
from storage.repositories.outbox import NewMessage
from tests.adapters.telegram.conftest import FAST
from tests.conftest import make_settings
from tests.delivery.helpers import DUE, chat_rows, drain, enqueue, statuses
from tests.fakes.telegram_api import FakeTelegram, Fault
from tests.sizes import size

UNLIMITED = replace(FAST, overall_per_second=5000, group_per_minute=600_000)
"""PTB's own rate limiter out of the way: the fake's faults are the platform here."""
QUICK = RemindersConfig(send_rates={"telegram": 5000.0}, concurrency=4)

PRIVATE = [2001, 2002, 2003, 2004, 2005]
GROUPS = [-3001, -3002, -3003, -3004, -3005]
PER_CHAT = size(20, 100)
"""Messages to each of the ten chats: 200 meet as many faults as 1,000 (``TEST_SIZE=full``)."""
SCALE = 100 / PER_CHAT
"""The faults' chances grow as the run shrinks: the same number of 5xx and 429s either way."""


@pytest.fixture
async def running(
    sqlite_url: str, fake: FakeTelegram, clock: ManualClock
) -> AsyncIterator[tuple[BotApp, TelegramAdapter]]:
    settings = make_settings(
        sqlite_url, telegram=TelegramConfig(api_base_url=fake.base_url), reminders=QUICK
    )
    app = await BotApp.start(settings, clock=clock)
    adapter = TelegramAdapter(app, settings, fake.token, tuning=UNLIMITED)
    await adapter.start()
    yield app, adapter
    await adapter.stop()
    await app.close()


def _rows(kind: str, chats: list[int], per_chat: int, label: str = "") -> list[NewMessage]:
    """``per_chat`` messages to each chat (private ones for positive ids), interleaved."""
    rows = []
    for row in chat_rows(len(chats), per_chat, kind=kind, label=label):
        chat = chats[int(row.chat_id[1:])]
        rows.append(replace(row, chat_id=str(chat), private=chat > 0))
    return rows


def _shown(fake: FakeTelegram, chat: int) -> list[str]:
    return [sent.text for sent in fake.sent_to(chat)]


async def test_messages_to_ten_chats_keep_their_order_under_faults(
    fake: FakeTelegram, running: tuple[BotApp, TelegramAdapter], clock: ManualClock
) -> None:
    app, _adapter = running
    fake.jitter = 0.004
    fake.faults = [
        Fault("sendMessage", status=500, count=FAST.attempts),  # outlasts the in-place retries
        Fault("sendMessage", status=429, retry_after=1, count=2, chance=0.01 * SCALE),
        Fault("sendMessage", status=500, count=40, chance=0.05 * SCALE),
        Fault("sendMessage", status=502, count=20, chance=0.03 * SCALE),
    ]
    chats = PRIVATE + GROUPS
    await enqueue(app, _rows("advice.answer", chats, PER_CHAT))
    clock.set(DUE)
    dispatcher = Dispatcher(app, batch_size=64)
    await drain(dispatcher, clock)
    for index, chat in enumerate(chats):
        assert _shown(fake, chat) == [f"c{index}:{n}" for n in range(PER_CHAT)], chat
    assert all(f.count == 0 for f in fake.faults[:1])  # the outbox retry path was taken
    assert sum(1 for c in fake.calls if c.status >= 500) > 20
    assert any(c.status == 429 for c in fake.calls)
    assert (await statuses(app)) == {"sent": 10 * PER_CHAT}


async def test_slow_answers_repeat_a_reminder_once_at_most_and_never_a_relay(
    sqlite_url: str, fake: FakeTelegram, clock: ManualClock
) -> None:
    settings = make_settings(
        sqlite_url, telegram=TelegramConfig(api_base_url=fake.base_url), reminders=QUICK
    )
    app = await BotApp.start(settings, clock=clock)
    adapter = TelegramAdapter(
        app, settings, fake.token, tuning=replace(UNLIMITED, read_timeout=0.3)
    )
    await adapter.start()
    try:
        # Relays (priority 0) leave before reminders (priority 1): the first 20 slow answers
        # meet the 20 relays, the next ones meet reminders.
        slow = 30
        fake.faults = [Fault("sendMessage", status=200, answer_delay=0.6, count=slow)]
        reminders = _rows("reminder", PRIVATE, 4, label="reminder ")  # reminders go privately,
        relays = _rows("advice.answer", GROUPS, 4, label="answer ")  # answers to the groups
        await enqueue(app, [row for pair in zip(reminders, relays, strict=True) for row in pair])
        clock.set(DUE)
        await drain(Dispatcher(app), clock)
        shown = Counter(s.text for s in fake.sent)
        assert len(shown) == 40  # nothing lost, not even a relay that may not have arrived
        repeats = {text: n - 1 for text, n in shown.items() if n > 1}
        assert set(repeats.values()) <= {1}  # a reminder is repeated once at most
        assert repeats and all(text.startswith("reminder ") for text in repeats)
        done = await statuses(app)
        assert done["unconfirmed"] >= 1 and done["unconfirmed"] + sum(repeats.values()) == slow
        assert done["sent"] + done["unconfirmed"] == 40
    finally:
        await adapter.stop()
        await app.close()
