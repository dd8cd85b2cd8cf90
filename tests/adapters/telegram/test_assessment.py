"""The self-assessment on Telegram, through the real python-telegram-bot and the loopback Bot
API: one question per message with an inline keyboard, a restart halfway, the picture at the end."""

from __future__ import annotations

import io
from typing import Any

import pytest
from PIL import Image

from adapters.telegram import TelegramAdapter
from bot.app import BotApp
from bot.core.clock import ManualClock
from bot.core.messages import Attachment, Platform, Recipient, Reply
from bot.core.ports import DeliveryError
from bot.core.richtext import doc
from tests.adapters.telegram.conftest import AMINA, FAST, private_chat, telegram_settings
from tests.adapters.telegram.test_end_to_end import settle, texts
from tests.fakes.telegram_api import FakeTelegram, Sent
from tests.features.assessment.helpers import BUDGETING, champion_with_a_mentor, mentor_requests


async def _start(
    url: str, fake: FakeTelegram, clock: ManualClock
) -> tuple[BotApp, TelegramAdapter]:
    app = await BotApp.start(telegram_settings(url, fake), clock=clock)
    adapter = TelegramAdapter(app, app.settings, fake.token, tuning=FAST)
    await adapter.start()
    return app, adapter


def _question(fake: FakeTelegram) -> Sent:
    return [s for s in fake.sent_to(AMINA["id"]) if s.keyboard][-1]


def _data(sent: Sent, choice: str) -> str:
    found: list[Any] = [
        b["callback_data"]
        for row in sent.keyboard
        for b in row
        if b["callback_data"].endswith(" " + choice)
    ]
    return str(found[0])


async def _answer(fake: FakeTelegram, choice: str) -> Sent:
    question = _question(fake)
    await fake.push(
        fake.callback(AMINA, question, _data(question, choice), chat=private_chat(AMINA))
    )
    await settle(fake)
    return question


async def test_an_assessment_on_telegram_survives_a_restart_halfway(
    fake: FakeTelegram, sqlite_url: str, clock: ManualClock
) -> None:
    chat = private_chat(AMINA)
    app, adapter = await _start(sqlite_url, fake, clock)
    await fake.push(fake.message(chat, AMINA, "/assess start"))
    await settle(fake)
    first = _question(fake)
    assert "Question 1 of 12, about 3 min left" in first.text
    assert [b["text"] for b in first.keyboard[0]] == [
        "0 · Not yet",
        "1 · First steps",
        "2 · Learning",
    ]
    for level in ("1", "2", "2", "1", "0", "3"):
        await _answer(fake, level)
    before_restart = _question(fake)
    assert "Question 7 of 12" in before_restart.text
    await adapter.stop()
    await app.close()

    app, adapter = await _start(sqlite_url, fake, clock)  # the bot restarts
    try:
        await fake.push(fake.message(chat, AMINA, "/assess start"))
        await settle(fake)
        mine = texts(fake.sent_to(AMINA["id"]))
        assert any("You have answered 6 of 12 questions" in t for t in mine)
        assert "Question 7 of 12" in _question(fake).text
        # a button from before the restart still answers question 7
        await fake.push(fake.callback(AMINA, before_restart, _data(before_restart, "4"), chat=chat))
        await settle(fake)
        assert "Question 8 of 12" in _question(fake).text
        for level in ("4", "5", "na", "3", "2"):
            await _answer(fake, level)
        [png] = [s for s in fake.sent_to(AMINA["id"]) if s.method == "sendPhoto"]
        assert png.filename is not None and png.filename.endswith(".png")
        assert png.document is not None
        image = Image.open(io.BytesIO(png.document))
        assert image.format == "PNG" and image.size == (700, 700)
        said = "\n".join(texts(fake.sent_to(AMINA["id"])))
        assert "Your results" in said and "The election journey:" in said
        assert "What may help where you are weakest" in said
    finally:
        await adapter.stop()
        await app.close()


async def test_a_photo_telegram_would_refuse_is_refused_by_the_fake(
    fake: FakeTelegram, telegram: TelegramAdapter
) -> None:
    """A picture too thin for ``sendPhoto`` (ratio over 20) is refused by the loopback server,
    as Telegram refuses it; charts (700x700, 900x400) pass."""
    thin = io.BytesIO()
    Image.new("RGB", (2100, 100)).save(thin, format="PNG")
    picture = Attachment("thin.png", thin.getvalue(), "image/png")
    reply = Reply(doc("A thin picture"), attachments=(picture,))
    with pytest.raises(DeliveryError):
        await telegram.messenger.send(
            Recipient(Platform.TELEGRAM, str(AMINA["id"]), private=True), reply
        )
    assert [c.status for c in fake.calls if c.method == "sendPhoto"] == [400]


async def test_the_mentor_button_of_the_advice_files_a_request_on_telegram(
    fake: FakeTelegram, telegram: TelegramAdapter, bot_app: BotApp
) -> None:
    """A weak criterion with a fitting mentor: the advice names her and its inline button
    (callback data ``mentor request <theme>``) files the request through the real PTB."""
    await champion_with_a_mentor(bot_app, "telegram", str(AMINA["id"]), "Amina")
    chat = private_chat(AMINA)
    await fake.push(fake.message(chat, AMINA, "/assess start"))
    await settle(fake)
    levels = ["4"] * 12
    levels[BUDGETING] = "1"
    for level in levels:
        await _answer(fake, level)
    await fake.wait_for(
        lambda: any("A mentor who offered help" in s.text for s in fake.sent_to(AMINA["id"]))
    )
    advice = next(s for s in fake.sent_to(AMINA["id"]) if "A mentor who offered help" in s.text)
    assert "Hana" in advice.text
    assert advice.keyboard == [
        [
            {
                "text": "Ask for a mentor: Gender-responsive budgeting",
                "callback_data": "mentor request gender_budgeting",
            }
        ]
    ]
    await fake.push(fake.callback(AMINA, advice, "mentor request gender_budgeting", chat=chat))
    await settle(fake)
    assert await mentor_requests(bot_app) == [("Gender-responsive budgeting", ["gender_budgeting"])]
    told = texts(fake.sent_to(AMINA["id"])) + [a.get("text", "") for a in fake.answered_callbacks]
    assert any("Your request is noted" in t for t in told)
