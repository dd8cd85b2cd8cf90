"""The outbox through the real discord.py: each chat in order under 429s, 5xx and latency
jitter; a slow answer is settled by the nonce, never shown twice."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from adapters.discord.messenger import DiscordMessenger
from adapters.discord.posting import nonce_of
from bot.config import RemindersConfig
from bot.core.clock import ManualClock
from bot.core.messages import Platform, Recipient, Reply
from bot.delivery.dispatcher import Dispatcher
from storage.repositories.outbox import NewMessage
from tests.adapters.discord.conftest import Starter
from tests.delivery.helpers import DUE, chat_rows, drain, enqueue, statuses
from tests.fakes.discord import FakeDiscord
from tests.sizes import size

QUICK = RemindersConfig(send_rates={"discord": 5000.0}, concurrency=4)
MESSAGES = r"^/channels/\d+/messages$"
PER_CHAT = size(20, 100)
"""Messages to each of the ten channels: 200 meet as many faults as 1,000 (``TEST_SIZE=full``)."""
SCALE = 100 / PER_CHAT
"""The faults' chances grow as the run shrinks: the same number of 5xx and 429s either way."""


def _channels(fake: FakeDiscord, count: int) -> list[str]:
    channels = [fake.new_id() for _ in range(count)]
    for index, channel in enumerate(channels):
        fake.add_channel(channel, f"chat-{index}", 0)
    return channels


def _rows(kind: str, channels: list[str], per_chat: int, label: str = "") -> list[NewMessage]:
    rows = chat_rows(len(channels), per_chat, kind=kind, platform=Platform.DISCORD, label=label)
    return [replace(row, chat_id=channels[int(row.chat_id[1:])]) for row in rows]


def _shown(fake: FakeDiscord, channel: str) -> list[str]:
    return [sent.content for sent in fake.sent if sent.channel_id == channel]


async def test_messages_to_ten_chats_keep_their_order_under_faults(
    fake: FakeDiscord, start_bot: Starter, clock: ManualClock
) -> None:
    channels = _channels(fake, 10)
    running = await start_bot(reminders=QUICK)
    fake.jitter = 0.004
    fake.fail_next("POST", MESSAGES, 503, count=30, chance=0.04 * SCALE)  # the outbox retries
    fake.fail_next("POST", MESSAGES, 500, count=2, chance=0.01 * SCALE)  # discord.py, in place
    fake.rate_limit_randomly("POST", MESSAGES, chance=0.03 * SCALE, count=20, retry_after=0.05)
    await enqueue(running.app, _rows("advice.answer", channels, PER_CHAT))
    clock.set(DUE)
    await drain(Dispatcher(running.app, batch_size=64), clock)
    for index, channel in enumerate(channels):
        assert _shown(fake, channel) == [f"c{index}:{n}" for n in range(PER_CHAT)], index
    assert len(fake.failed) > 10 and len(fake.rate_limited) > 5
    assert (await statuses(running.app)) == {"sent": 10 * PER_CHAT}


async def test_slow_answers_are_settled_by_the_nonce_for_every_kind(
    fake: FakeDiscord, start_bot: Starter, clock: ManualClock
) -> None:
    channels = _channels(fake, 5)
    running = await start_bot(reminders=QUICK)
    messenger = running.app.messengers[Platform.DISCORD]
    assert isinstance(messenger, DiscordMessenger)
    messenger.send_timeout = 0.3
    slow = 10
    fake.slow("POST", MESSAGES, answer_after=0.6, count=slow)
    reminders = _rows("reminder", channels, 3, label="reminder ")
    relays = _rows("advice.answer", channels, 3, label="answer ")
    mixed = [row for pair in zip(reminders, relays, strict=True) for row in pair]
    await enqueue(running.app, mixed)
    clock.set(DUE)
    await drain(Dispatcher(running.app), clock)
    shown = Counter(sent.content for sent in fake.sent)
    assert len(shown) == 30 and set(shown.values()) == {1}  # every message once
    assert fake.deduplicated  # slow ones were tried again under the same nonce: not reposted
    assert fake.slow_left() == 0
    assert (await statuses(running.app)) == {"sent": 30}


async def test_the_same_key_twice_is_one_message_and_a_new_text_is_a_new_one(
    fake: FakeDiscord, start_bot: Starter
) -> None:
    running = await start_bot()
    messenger = running.app.messengers[Platform.DISCORD]
    assert isinstance(messenger, DiscordMessenger)
    general = Recipient(Platform.DISCORD, fake.general)
    first = await messenger.send_once(general, Reply.text("Reminder"), key="rem:1")
    again = await messenger.send_once(general, Reply.text("Reminder"), key="rem:1")
    assert again.message_id == first.message_id and [s.content for s in fake.sent] == ["Reminder"]
    await messenger.send_once(general, Reply.text("Reminder, moved"), key="rem:1")
    await messenger.send(general, Reply.text("Hello"))
    await messenger.send(general, Reply.text("Hello"))  # no key: two messages, as asked
    assert [s.content for s in fake.sent] == ["Reminder", "Reminder, moved", "Hello", "Hello"]
    nonces = [body.get("nonce") for method, _path, body in fake.requests if method == "POST"]
    assert all(isinstance(n, str) and len(n) <= 25 for n in nonces if n is not None)
    assert nonce_of("x" * 200, 12, "y" * 2000) == nonce_of("x" * 200, 12, "y" * 2000)
