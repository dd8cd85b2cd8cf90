"""The real python-telegram-bot against the loopback Bot API: commands, places, menus, buttons.

Every call the bot makes is checked against the published API by the fake server (the
``fake`` fixture fails the test on any violation).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from typing import Any

from adapters.telegram import TelegramAdapter, run_telegram
from adapters.telegram.render import RLM
from adapters.telegram.replies import OPEN_CHAT
from bot.app import BotApp
from bot.core.context import CommandContext
from bot.core.i18n import Translator
from bot.core.messages import Reply
from bot.core.registry import Audience, CommandSpec
from storage.statuses import ChatPurpose
from tests.adapters.telegram.conftest import (
    AMINA,
    FAST,
    FORUM,
    GROUP,
    KARIM,
    SOFIA,
    TOPIC,
    private_chat,
)
from tests.fakes.telegram_api import BOT_USERNAME, FakeTelegram, Sent


async def settle(fake: FakeTelegram) -> None:
    """Wait until every update pushed so far is handled, its replies sent: the offset passes
    an update only once it and every update before it were handled
    (``adapters/telegram/polling.py``), and the bot's next getUpdates carries it. Different
    chats run at once, so no one reply would say as much.

    (A watcher's ``/cancel`` pushed after each update, awaited before the offset, doubled the
    updates handled: the every-command walk took 25 s, 13 s without it.)"""
    last = fake.last_pushed
    await fake.wait_for(lambda: max(fake.offsets, default=0) > last)


def texts(sent: list[Sent]) -> list[str]:
    """What readers see, without the right-to-left marks of Arabic-speaking readers' replies."""
    return [s.text.replace(RLM, "") for s in sent]


async def test_start_help_profile_in_a_private_chat(
    fake: FakeTelegram, telegram: TelegramAdapter
) -> None:
    chat = private_chat(AMINA)
    await fake.push(fake.message(chat, AMINA, "/start"))
    await fake.push(fake.message(chat, AMINA, "/help"))
    await fake.push(fake.message(chat, AMINA, "/profile"))
    await settle(fake)
    mine = texts(fake.sent_to(101))
    assert mine[0].startswith("Welcome to Champions Bot, Amina!")
    assert any(t.startswith("What name should the network see?") for t in mine)
    assert any(t.startswith("What I can do for you") and "/help network" in t for t in mine)
    assert any(t.startswith("Amina\nRole: —") for t in mine)
    assert all(s.chat_id == 101 and s.thread_id is None for s in fake.sent)


async def test_group_replies_stay_in_the_group_and_private_ones_go_private(
    fake: FakeTelegram, telegram: TelegramAdapter
) -> None:
    await fake.push(fake.message(GROUP, AMINA, "/threads"))  # shared: the group's questions
    await fake.push(fake.message(GROUP, AMINA, f"/start@{BOT_USERNAME}"))
    await fake.push(fake.message(GROUP, AMINA, "/profile set city Paris"))  # a usage error
    await settle(fake)
    group = texts(fake.sent_to(GROUP["id"]))
    assert group[0].startswith("No questions match")
    assert group[1].startswith("Welcome to Champions Bot, Amina!")
    assert "I sent you a private message" in group[1]
    private = texts(fake.sent_to(101))
    assert private[0] == "Let's set up your profile. It takes a minute."
    assert private[1].startswith("What name should the network see?")
    assert "Usage: /profile set <field> <value>" in private[-1]  # ephemeral: only Amina sees it
    assert len(group) == 2


async def test_forum_topic_replies_land_in_the_topic_never_in_general(
    fake: FakeTelegram, telegram: TelegramAdapter
) -> None:
    await fake.push(fake.message(FORUM, AMINA, "/threads", thread_id=TOPIC))
    general = fake.message(FORUM, AMINA, "/threads")
    await fake.push(general)
    await settle(fake)
    assert texts(fake.sent_to(FORUM["id"], TOPIC))[0].startswith("No questions match")
    assert texts(fake.sent_to(FORUM["id"], None))[0].startswith("No questions match")
    sent_threads = [
        c.params.get("message_thread_id") for c in fake.calls if c.method == "sendMessage"
    ]
    assert "1" not in sent_threads and str(TOPIC) in sent_threads


async def test_every_command_answers_in_every_place(
    fake: FakeTelegram, telegram: TelegramAdapter
) -> None:
    places: list[tuple[dict[str, Any], int | None]] = [
        (private_chat(AMINA), None),
        (GROUP, None),
        (FORUM, TOPIC),
    ]
    commands = [spec.name for spec in telegram.app.registry.all()]
    assert {"start", "help", "profile", "profile set", "cancel"} <= set(commands)
    expected_calls = 0
    for chat, thread in places:
        for name in commands:
            await fake.push(fake.message(chat, AMINA, "/" + name, thread_id=thread))
            await settle(fake)
            answered = [c for c in fake.calls if c.method == "sendMessage"]
            assert len(answered) > expected_calls, f"/{name} got no answer in {chat['type']}"
            new, expected_calls = answered[expected_calls:], len(answered)
            for call in new:
                assert call.status == 200, call
                assert call.params["chat_id"] in ("101", str(chat["id"]))
                if call.params["chat_id"] == str(chat["id"]) and thread:
                    assert call.params["message_thread_id"] == str(thread)


def _admin_only(app: BotApp) -> None:
    async def secret(ctx: CommandContext, **_: Any) -> Reply:
        return ctx.reply("admin things done")

    app.registry.add(CommandSpec(("secretariat",), OPEN_CHAT, secret, audience=Audience.ADMIN))


async def test_menus_members_see_member_commands_admins_see_admin_ones(
    fake: FakeTelegram, bot_app: BotApp
) -> None:
    _admin_only(bot_app)
    async with bot_app.database.unit_of_work() as uow:
        community = await uow.communities.by_slug("champions")
        assert community is not None
        await uow.communities.link_chat(
            community, platform="telegram", chat_id=str(GROUP["id"]), purpose=ChatPurpose.GENERAL
        )
    adapter = TelegramAdapter(bot_app, bot_app.settings, fake.token, tuning=FAST)
    await adapter.start()
    try:
        default = fake.commands[(json.dumps({"type": "default"}), "")]
        names = [c["command"] for c in default]
        assert "help" in names and "profile" in names and "secretariat" not in names
        assert names.count("profile") == 1  # /profile set and /profile edit share one entry
        own = json.dumps({"chat_id": 500, "type": "chat"}, sort_keys=True)
        in_group = json.dumps(
            {"chat_id": GROUP["id"], "type": "chat_member", "user_id": 500}, sort_keys=True
        )
        for scope in (own, in_group):
            assert "secretariat" in [c["command"] for c in fake.commands[(scope, "")]]
        french = {c["command"]: c["description"] for c in fake.commands[(own, "fr")]}
        assert french["secretariat"] != "Open a private chat with me"  # translated
        assert {lang for (_scope, lang) in fake.commands} == {"", "fr", "es", "ar"}
        for entries in fake.commands.values():
            assert all(1 <= len(c["description"]) <= 256 for c in entries)
        # Karim is no admin: the core refuses him; Sofia (config admin) may.
        await fake.push(fake.message(GROUP, KARIM, "/secretariat"))
        await fake.push(fake.message(GROUP, SOFIA, "/secretariat"))
        await settle(fake)
        refusal = Translator("ar").gettext(  # Karim's Telegram speaks Arabic
            "/{command} is for the network's admins. If you need it, ask the secretariat.",
            command="secretariat",
        )
        assert texts(fake.sent_to(102))[0] == refusal
        assert texts(fake.sent_to(GROUP["id"])) == ["admin things done"]
    finally:
        await adapter.stop()


async def test_buttons_answer_questions_and_stale_buttons_answer_politely(
    fake: FakeTelegram, telegram: TelegramAdapter
) -> None:
    chat = private_chat(AMINA)
    await fake.push(fake.message(chat, AMINA, "/start"))
    await settle(fake)
    question = next(s for s in fake.sent_to(101) if s.keyboard)
    assert question.keyboard[-1] == [{"text": "Skip", "callback_data": "=skip"}]
    await fake.push(fake.callback(AMINA, question, "=skip", chat=chat))
    await fake.push(fake.callback(AMINA, question, "rsvp 999", chat=chat))
    await settle(fake)
    assert texts(fake.sent_to(101))[-1].startswith("What is your role?")
    assert len(fake.answered_callbacks) == 2
    assert "There is no event #999" in fake.answered_callbacks[1]["text"]  # a stale RSVP


async def test_member_who_never_opened_a_private_chat_is_told_in_the_group(
    fake: FakeTelegram, telegram: TelegramAdapter
) -> None:
    fake.blocked_users.add(KARIM["id"])
    await fake.push(fake.message(FORUM, KARIM, "/start", thread_id=TOPIC))
    await settle(fake)
    topic = fake.sent_to(FORUM["id"], TOPIC)
    welcome = Translator("ar").gettext("Welcome to Champions Bot, {name}!", name="Karim")
    assert texts(topic)[0].startswith(welcome)
    assert len(topic) == 2  # the welcome, and one notice for the three private replies
    notice = topic[1]
    assert notice.html is not None
    assert f'href="https://t.me/{BOT_USERNAME}?start=welcome"' in notice.html
    assert "Karim" in notice.text
    assert fake.sent_to(KARIM["id"]) == []


async def test_redelivered_update_has_one_effect(
    fake: FakeTelegram, telegram: TelegramAdapter
) -> None:
    update_id = await fake.push(fake.message(private_chat(AMINA), AMINA, "/profile set bio Once"))
    await settle(fake)
    await fake.redeliver(update_id)
    await settle(fake)
    assert texts(fake.sent_to(101)) == ["Saved."]
    async with telegram.app.database.unit_of_work() as uow:
        member = await uow.members.by_account("telegram", "101")
        assert member is not None and member.bio == "Once"


async def test_run_telegram_serves_until_cancelled(fake: FakeTelegram, bot_app: BotApp) -> None:
    task = asyncio.create_task(run_telegram(bot_app, bot_app.settings, fake.token))
    await fake.push(fake.message(private_chat(AMINA), AMINA, "/help"))
    await fake.wait_sent(1)
    assert bot_app.messengers  # background senders can now reach Telegram
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
    assert fake.methods()[-1] == "getUpdates"  # the last poll confirms what was handled
