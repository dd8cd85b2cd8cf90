"""What the bot really sends Telegram for the whole registry keeps the Bot API's rules.

Every "/" menu (members and admins, in all four languages) is built by the real adapter code,
checked against the published fields and the prose rules, and published to the fake with the
real python-telegram-bot.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from telegram import Bot

from adapters.telegram.menu import AdminPlaces, menu_commands, publish_menus
from bot.core.i18n import SUPPORTED_LANGUAGES
from bot.core.registry import Audience, Registry
from bot.core.topics import Topic
from bot.features import build_registry
from tests.fakes.botapi_rules import call_breaches
from tests.fakes.botapi_spec import check_call
from tests.fakes.telegram_api import FakeTelegram


@pytest.mark.parametrize("audience", [Audience.CHAMPION, Audience.ADMIN])
@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_every_menu_in_every_language_keeps_the_rules(audience: Audience, language: str) -> None:
    entries = menu_commands(build_registry(), audience, language)
    assert entries
    params = {
        "commands": json.dumps([entry.to_dict() for entry in entries], ensure_ascii=False),
        "language_code": language,
    }
    assert check_call("setMyCommands", params) == []
    assert [str(b) for b in call_breaches("setMyCommands", params)] == []


@pytest.mark.parametrize("audience", [Audience.CHAMPION, Audience.ADMIN])
def test_menus_follow_the_help_topics(audience: Audience) -> None:
    """The "/" menu lists commands topic by topic, in /help's order, examples first."""
    registry = build_registry()
    order = list(Topic)
    words = [entry.command for entry in menu_commands(registry, audience, "fr")]
    topics = [order.index(_topic(registry, word)) for word in words]
    assert topics == sorted(topics)
    assert set(words[:3]) == {"ask", "threads", "search_advice"}
    if audience is Audience.ADMIN:
        assert _topic(registry, words[-1]) is Topic.ADMIN


def _topic(registry: Registry, word: str) -> Topic:
    """The topic a menu entry sits under: its first command's in /help's order."""
    for topic, specs in registry.by_topic(Audience.ADMIN).items():
        if any(spec.path[0] == word for spec in specs):
            return topic
    raise AssertionError(word)


async def test_all_menus_are_published_and_accepted() -> None:
    fake = FakeTelegram()
    await fake.start()
    try:
        async with Bot(fake.token, base_url=fake.base_url) as bot:
            places = AdminPlaces(admin_user_ids=(500,), group_chat_ids=(-1001,))
            calls = await publish_menus(bot, build_registry(), places)
        assert calls == 3 * len(SUPPORTED_LANGUAGES)  # members, admin's chat, admin in group
        assert fake.violations == []
        assert {language for _scope, language in fake.commands} == {"", "fr", "es", "ar"}
    finally:
        await fake.stop()


async def _noop(ctx: Any, **_: Any) -> None:
    return None


def test_a_long_description_is_cut_between_words() -> None:
    registry = Registry()
    long = "Share " + "a very long achievement story " * 12
    registry.command("story", description=long)(_noop)
    [entry] = menu_commands(registry, Audience.CHAMPION, "en")
    assert len(entry.description) <= 256 and entry.description.endswith("…")
    assert long.startswith(entry.description.removesuffix("…"))
    assert long[len(entry.description) - 1] == " "  # the cut falls between two words


def test_button_labels_are_cut_between_words() -> None:
    from adapters.telegram.messenger import keyboard
    from bot.core.messages import Button, Reply
    from bot.core.richtext import doc

    label = "Je participerai à la réunion régionale des championnes en Afrique de l’Ouest"
    markup = keyboard(Reply(body=doc("x"), buttons=((Button(label, "rsvp 12"),),)))
    assert markup is not None
    [[button]] = markup.inline_keyboard
    assert len(button.text) <= 64 and button.text.endswith("…")
    assert label.startswith(button.text.removesuffix("…")) and label[len(button.text) - 1] == " "
