"""Sending through the real PTB: hostile text, long text, files, and faults (429, 500, slow)."""

from __future__ import annotations

import asyncio
import time
from dataclasses import replace

import pytest

from adapters.telegram import TelegramAdapter
from adapters.telegram.render import RLM
from bot.app import BotApp
from bot.core.i18n import Translator
from bot.core.messages import Attachment, Button, Platform, Recipient, Reply
from bot.core.ports import DeliveryError
from bot.core.richtext import bold, doc, line
from tests.adapters.telegram.conftest import AMINA, FAST, FORUM, GROUP, KARIM, TOPIC, private_chat
from tests.adapters.telegram.test_end_to_end import settle, texts
from tests.fakes.telegram_api import FakeTelegram, Fault

HOSTILE = [
    "<b>not bold</b>",
    "Tom & Jerry &amp; &lt;3",
    "unbalanced *stars _under [bracket `tick",
    "النساء في القيادة المحلية",
    "emoji 👩🏽‍💼🌍✨🇹🇳",
    "@everyone </i></code><a href='x'>",
]


@pytest.mark.parametrize("typed", HOSTILE)
async def test_hostile_text_is_sent_and_reads_as_typed(
    fake: FakeTelegram, telegram: TelegramAdapter, typed: str
) -> None:
    chat = private_chat(AMINA)
    await fake.push(fake.message(chat, AMINA, f"/profile {typed}"))  # the core echoes the name
    await fake.push(fake.message(GROUP, AMINA, typed))  # plain text in a group: no answer
    await settle(fake)
    (answer,) = texts(fake.sent_to(101))
    assert answer.startswith(f"I found no member called “{typed}”.")
    assert all(call.status == 200 for call in fake.calls)


async def test_ten_thousand_characters_typed_get_a_polite_answer(
    fake: FakeTelegram, telegram: TelegramAdapter
) -> None:
    await fake.push(fake.message(private_chat(AMINA), AMINA, "/profile set bio " + "ب" * 10_000))
    await settle(fake)
    assert "too long" in texts(fake.sent_to(101))[0]


async def test_ten_thousand_characters_sent_arrive_whole_in_several_messages(
    fake: FakeTelegram, telegram: TelegramAdapter
) -> None:
    typed = "\n".join(f"{n:03d} <&> مرحبا 👋 *_[ " + "z" * 80 for n in range(100))  # ~10,000
    sent = await telegram.messenger.send(
        Recipient(Platform.TELEGRAM, str(FORUM["id"]), str(TOPIC)), Reply.text(typed)
    )
    parts = fake.sent_to(FORUM["id"], TOPIC)
    assert len(parts) == 3 and sent.message_id == str(parts[0].message_id)
    assert "\n".join(p.text for p in parts) == typed


async def test_buttons_and_files_go_to_the_right_place(
    fake: FakeTelegram, telegram: TelegramAdapter
) -> None:
    reply = Reply(
        body=doc(line(bold("Webinar"), " on Friday")),
        buttons=((Button("Going", "rsvp 12 yes"), Button("Not going", "rsvp 12 no")),),
        attachments=(
            Attachment("webinar.ics", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar"),
        ),
    )
    await telegram.messenger.send(Recipient(Platform.TELEGRAM, str(FORUM["id"]), "1"), reply)
    message, document = fake.sent_to(FORUM["id"])  # General topic: no thread id sent
    assert message.text == "Webinar on Friday"
    assert message.keyboard == [
        [
            {"text": "Going", "callback_data": "rsvp 12 yes"},
            {"text": "Not going", "callback_data": "rsvp 12 no"},
        ]
    ]
    assert document.method == "sendDocument" and document.filename == "webinar.ics"
    assert document.document == b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"


async def test_arabic_replies_are_marked_right_to_left(
    fake: FakeTelegram, telegram: TelegramAdapter
) -> None:
    await telegram.messenger.send(
        Recipient(Platform.TELEGRAM, "102", private=True),
        Reply(body=doc("مرحبا", "/help"), rtl=True),
    )
    (sent,) = fake.sent_to(102)
    assert sent.text == f"{RLM}مرحبا\n{RLM}/help"


async def test_blocked_or_unknown_chats_become_delivery_errors(
    fake: FakeTelegram, telegram: TelegramAdapter
) -> None:
    fake.blocked_users.add(KARIM["id"])
    with pytest.raises(DeliveryError) as blocked:
        await telegram.messenger.send(
            Recipient(Platform.TELEGRAM, "102", private=True), Reply.text("hi")
        )
    assert not blocked.value.retryable


async def test_429_and_500_every_message_once_in_order_per_chat(
    fake: FakeTelegram, telegram: TelegramAdapter
) -> None:
    fake.faults = [
        Fault("sendMessage", status=429, retry_after=1),
        Fault("sendMessage", status=500, count=3),
        Fault("sendMessage", status=200, delay=0.3),  # a slow answer, still within the timeout
        Fault("sendMessage", status=502, count=2),
        Fault("sendMessage", status=429, retry_after=1),
    ]
    started = time.monotonic()
    for n in range(8):
        await fake.push(fake.message(private_chat(AMINA), AMINA, f"/nosuch{n}"))
        await fake.push(fake.message(private_chat(KARIM), KARIM, f"/missing{n}"))
    await settle(fake)
    assert all(f.count == 0 for f in fake.faults)
    amina = [t.split("\n")[0] for t in texts(fake.sent_to(101))]
    karim = [t.split("\n")[0] for t in texts(fake.sent_to(102))]
    assert amina == [f"I don't know the command /nosuch{n}." for n in range(8)]
    arabic = Translator("ar")  # Karim's Telegram speaks Arabic
    assert karim == [
        arabic.gettext("I don't know the command /{command}.", command=f"missing{n}")
        for n in range(8)
    ]
    assert time.monotonic() - started >= 2.0  # both retry_after waits were honoured


async def test_server_errors_that_persist_end_in_a_retryable_delivery_error(
    fake: FakeTelegram, telegram: TelegramAdapter
) -> None:
    fake.faults = [Fault("sendMessage", status=500, count=50)]
    with pytest.raises(DeliveryError) as failure:
        await telegram.messenger.send(
            Recipient(Platform.TELEGRAM, "101", private=True), Reply.text("hi")
        )
    assert failure.value.retryable
    attempts = [c for c in fake.calls if c.method == "sendMessage"]
    assert len(attempts) == telegram.tuning.attempts
    assert fake.sent == []


async def test_a_reply_slower_than_the_timeout_is_reported_not_sent_twice(
    fake: FakeTelegram, bot_app: BotApp
) -> None:
    adapter = TelegramAdapter(
        bot_app, bot_app.settings, fake.token, tuning=replace(FAST, read_timeout=0.3)
    )
    await adapter.start()
    try:
        fake.faults = [Fault("sendMessage", status=200, delay=0.6)]
        with pytest.raises(DeliveryError) as slow:
            await adapter.messenger.send(
                Recipient(Platform.TELEGRAM, "101", private=True), Reply.text("hi")
            )
        assert slow.value.retryable
        await fake.wait_sent(1)  # Telegram did deliver it, once
        await asyncio.sleep(0.3)
        assert texts(fake.sent) == ["hi"]
    finally:
        await adapter.stop()
