"""Replies in groups on the real python-telegram-bot: the group reads a pointer, the member the
answer (``bot/core/personal.py``); a member who never opened a private chat learns how to."""

from __future__ import annotations

from adapters.telegram import TelegramAdapter
from adapters.telegram.replies import NOT_STARTED
from bot.core.i18n import Translator
from bot.core.personal import POINTER_TEXT
from tests.adapters.telegram.conftest import AMINA, FORUM, GROUP, KARIM, TOPIC, private_chat
from tests.adapters.telegram.test_end_to_end import settle, texts
from tests.fakes.telegram_api import BOT_USERNAME, FakeTelegram
from tests.helpers import say

POINTER = POINTER_TEXT.format(name="Amina")


async def test_webinars_in_a_group_go_to_the_member_and_the_group_reads_only_a_pointer(
    fake: FakeTelegram, telegram: TelegramAdapter
) -> None:
    added = await say(
        telegram.app,
        "sofia",  # a console admin schedules it; Amina reads it on Telegram
        '/webinar add "Night owls" 2026-12-03 01:00 Europe/London 60m',
        admin=True,
    )
    assert "Scheduled event #1" in added[0].body.plain()
    await fake.push(fake.message(private_chat(AMINA), AMINA, "/timezone Africa/Lusaka"))
    await fake.push(fake.message(GROUP, AMINA, "/webinars"))
    await fake.push(fake.message(GROUP, AMINA, "/help"))
    await settle(fake)
    assert texts(fake.sent_to(GROUP["id"])) == [POINTER, POINTER]
    mine = "\n".join(texts(fake.sent_to(AMINA["id"])))
    assert "Africa/Lusaka" in mine and "that is at night for you" in mine
    assert "Night owls" in mine and "What I can do for you" in mine


async def test_a_pointer_stays_in_its_forum_topic(
    fake: FakeTelegram, telegram: TelegramAdapter
) -> None:
    await fake.push(fake.message(FORUM, AMINA, "/mydata", thread_id=TOPIC))
    await settle(fake)
    assert texts(fake.sent_to(FORUM["id"], TOPIC)) == [POINTER]
    assert fake.sent_to(FORUM["id"], None) == []
    [note, data] = fake.sent_to(AMINA["id"])
    assert note.text == "Here is everything I store about you."
    assert data.filename is not None and data.filename.endswith(".json")


async def test_a_member_without_a_private_chat_is_shown_how_to_open_one_not_the_pointer(
    fake: FakeTelegram, telegram: TelegramAdapter
) -> None:
    fake.blocked_users.add(KARIM["id"])
    await fake.push(fake.message(GROUP, KARIM, "/help"))
    await settle(fake)
    [notice] = fake.sent_to(GROUP["id"])
    arabic = Translator("ar")  # Karim's Telegram speaks Arabic
    assert arabic.gettext(NOT_STARTED, name="Karim") in notice.text
    assert notice.html is not None and f"https://t.me/{BOT_USERNAME}?start=" in notice.html
    assert arabic.gettext(POINTER_TEXT, name="Karim") not in notice.text
    assert fake.sent_to(KARIM["id"]) == []
