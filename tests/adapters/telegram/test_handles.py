"""The real python-telegram-bot against the loopback Bot API: a member is found by the
``@username`` Telegram gave them, which the adapter passes on and the core stores."""

from __future__ import annotations

from adapters.telegram import TelegramAdapter
from tests.adapters.telegram.conftest import AMINA, private_chat
from tests.fakes.telegram_api import FakeTelegram, user

LUCIA = {**user(303, "Lucía", language="es"), "last_name": "Gómez", "username": "lucia_g"}


async def test_a_member_is_found_by_her_telegram_username(
    fake: FakeTelegram, telegram: TelegramAdapter
) -> None:
    await fake.push(fake.message(private_chat(LUCIA), LUCIA, "/start"))
    await fake.wait_for(lambda: bool(fake.sent_to(LUCIA["id"])))
    await fake.push(fake.message(private_chat(AMINA), AMINA, "/profile @Lucia_G"))
    await fake.wait_for(lambda: bool(fake.sent_to(AMINA["id"])))
    answer = fake.sent_to(AMINA["id"])[-1].text
    assert answer.startswith("Lucía Gómez"), answer
    assert "I found no member" not in answer
