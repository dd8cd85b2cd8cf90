"""Peer advice across Telegram and Discord, end to end through both loopback platform servers.

The real python-telegram-bot and discord.py run at once on one BotApp; a Dispatcher (driven with
``run_due()``) sends what the core queued. The community's advice places are a Telegram forum
supergroup and a Discord forum channel with a "Solved" tag. Both fakes check every call against
the published APIs (a violation fails the test).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from adapters.discord.adapter import DiscordBot, point_at
from adapters.telegram import TelegramAdapter
from bot.app import BotApp
from bot.config import (
    AdminsConfig,
    AdviceConfig,
    ChatLink,
    CommunityConfig,
    DiscordConfig,
    TelegramConfig,
)
from bot.core.clock import ManualClock
from bot.delivery.dispatcher import Dispatcher
from storage.models import Answer, Question
from tests.adapters.discord.hostile import as_read
from tests.adapters.telegram.conftest import FAST
from tests.conftest import make_settings
from tests.fakes.discord import GUILD_ID, FakeDiscord
from tests.fakes.telegram_api import FakeTelegram, group_chat, private_chat, user
from tests.helpers import say

AMINA = user(101, "Amina", language="en")
"""Asks anonymously on Telegram: her name must reach nobody."""
KARIM = user(102, "Karim", language="en")
WATCHER = user(999, "Watcher")
TG_FORUM = group_chat(-100900, "Champions advice", forum=True)
TG_FORUM_ID = -100900

QUESTION = (
    "anonymous How do other councils protect women candidates from online harassment? "
    "We see a wave of abuse before the municipal elections. #gbv"
)
ANSWER = "We ran a reporting hotline with the national electoral body; it worked."


@dataclass
class World:
    app: BotApp
    dispatcher: Dispatcher
    telegram: FakeTelegram
    discord: FakeDiscord
    forum: str
    """The Discord forum channel."""
    solved_tag: str
    grace: str
    """Grace's Discord user id (Zambia: East and Southern Africa)."""

    async def question_count(self) -> tuple[int, int]:
        async with self.app.database.unit_of_work() as uow:
            questions = await uow.session.scalar(select(func.count()).select_from(Question))
            answers = await uow.session.scalar(select(func.count()).select_from(Answer))
        return int(questions or 0), int(answers or 0)

    async def settle(self) -> None:
        """Both bots have handled everything pushed so far (Telegram updates run in order)."""
        before = len(self.telegram.sent_to(WATCHER["id"]))
        await self.telegram.push(self.telegram.message(private_chat(WATCHER), WATCHER, "/cancel"))
        await self.telegram.wait_for(lambda: len(self.telegram.sent_to(WATCHER["id"])) > before)
        await self.discord.settle(quiet=0.1)

    async def deliver(self) -> None:
        """Send what the core queued, then let the platforms' events come back."""
        report = await self.dispatcher.run_due()
        assert report.failed == 0 and report.retried == 0, report
        await self.discord.settle(quiet=0.1)

    def posts(self) -> list[dict[str, Any]]:
        return [c for c in self.discord.channels.values() if c.get("parent_id") == self.forum]

    async def wait(self, what: Callable[[], bool]) -> None:
        await self.telegram.wait_for(what, within=10)


@pytest.fixture
async def world(tmp_path: Path, clock: ManualClock) -> AsyncIterator[World]:
    telegram = FakeTelegram()
    await telegram.start()
    telegram.forums[TG_FORUM_ID] = True  # the bot is an admin with "Manage topics"
    async with FakeDiscord() as discord:
        forum = discord.new_id()
        discord.add_channel(forum, "advice", 15)
        solved_tag = discord.add_tag(forum, "Solved")
        grace = discord.add_user("Grace")
        settings = make_settings(
            f"sqlite+aiosqlite:///{tmp_path / 'bridge.db'}",
            admins=AdminsConfig(console=("sofia",)),
            community=CommunityConfig(
                chats=(
                    ChatLink(platform="telegram", chat_id=str(TG_FORUM_ID), purpose="advice"),
                    ChatLink(platform="discord", chat_id=forum, purpose="advice"),
                )
            ),
            advice=AdviceConfig(daily_notice_cap=3),
            telegram=TelegramConfig(api_base_url=telegram.base_url),
            discord=DiscordConfig(
                guild_id=GUILD_ID,
                api_base_url=discord.api_base_url,
                gateway_url=discord.gateway_url,
                read_thread_replies=True,  # to read plain answers in forum posts
            ),
        )
        point_at(settings)
        app = await BotApp.start(settings, clock=clock)
        tg = TelegramAdapter(app, settings, telegram.token, tuning=FAST)
        await tg.start()
        bot = DiscordBot(app, settings, guild_ready_timeout=0.05)
        await bot.login("fake-token")
        task = asyncio.create_task(bot.connect(reconnect=True))
        await discord.wait_connected()
        await asyncio.wait_for(bot.wait_until_ready(), 10)
        try:
            yield World(app, Dispatcher(app), telegram, discord, forum, solved_tag, grace)
        finally:
            await bot.close()
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
            await tg.stop()
            await app.close()
            await telegram.stop()
        assert discord.violations == [], discord.violations
    assert telegram.violations == [], telegram.violations


def topic_texts(fake: FakeTelegram, thread_id: int) -> list[str]:
    return [s.text for s in fake.sent_to(TG_FORUM_ID, thread_id)]


def in_channel(fake: FakeDiscord, channel_id: str) -> list[str]:
    """What readers of a Discord channel or post see (markdown escapes resolved)."""
    return [as_read(s.content) for s in fake.sent if s.channel_id == channel_id]


async def test_a_question_travels_between_telegram_and_discord(world: World) -> None:
    tg, dc = world.telegram, world.discord
    dm = f"9{world.grace[1:]}"
    profile = "/profile set country Zambia"
    await dc.dispatch("MESSAGE_CREATE", dc.message_event(world.grace, dm, profile, guild=False))

    # Amina asks anonymously in her private chat on Telegram.
    asked = await tg.push(tg.message(private_chat(AMINA), AMINA, "/ask " + QUESTION))
    await world.wait(lambda: any("Your question Q1 is posted." in s.text for s in tg.sent))
    await tg.redeliver(asked)  # Telegram thinks the bot missed it
    await world.settle()
    assert await world.question_count() == (1, 0)
    await world.deliver()

    # A new topic in the Telegram forum, a new post in the Discord forum.
    [topic] = tg.topics.values()
    assert topic.name.startswith("Q1 · How do other councils protect women candidates")
    [card] = topic_texts(tg, topic.thread_id)
    assert "Asked by a member (anonymous)" in card
    assert card.endswith("your answer reaches every advice group, on Telegram and on Discord.")
    [post] = world.posts()
    title = post["name"]
    assert title == topic.name
    [opening] = in_channel(dc, post["id"])
    assert "How do other councils protect" in opening and "a member (anonymous)" in opening

    # Grace answers with a plain message in the Discord post; the gateway delivers it twice.
    message = dc.message_event(world.grace, post["id"], ANSWER)
    await dc.dispatch("MESSAGE_CREATE", message)
    await dc.dispatch("MESSAGE_CREATE", message)
    await world.settle()
    assert await world.question_count() == (1, 1)
    await world.deliver()
    relayed = [t for t in topic_texts(tg, topic.thread_id) if "hotline" in t]
    assert relayed == [f"Grace (East and Southern Africa, via Discord): {ANSWER}"]
    told = [s.text for s in tg.sent_to(AMINA["id"]) if "has its first answer" in s.text]
    assert len(told) == 1 and "Your question Q1 has its first answer." in told[0]
    assert "Grace (East and Southern Africa, via Discord)" in told[0]
    assert not [t for t in in_channel(dc, post["id"]) if "hotline" in t]  # no echo

    # Karim answers in the Telegram topic: it reaches the Discord post, signed.
    await tg.push(
        tg.message(TG_FORUM, KARIM, "Train staff to document abuse.", thread_id=topic.thread_id)
    )
    await world.settle()
    await world.deliver()
    assert [t for t in in_channel(dc, post["id"]) if "document abuse" in t] == [
        "**Karim (via Telegram): **Train staff to document abuse."
    ]

    # Amina marks it solved in her private Telegram chat: both sides show it.
    await tg.push(tg.message(private_chat(AMINA), AMINA, "/solved Q1 1"))
    await world.settle()
    await world.deliver()
    assert topic.name == "✅ " + topic.names[0] and topic.closed
    assert "✅ Q1 is solved." in topic_texts(tg, topic.thread_id)[-1]
    assert dc.renames[post["id"]] == [("✅ " + title)[:100]]
    assert dc.channels[post["id"]]["applied_tags"] == [world.solved_tag]
    assert "✅ Q1 is solved." in in_channel(dc, post["id"])[-1]
    assert "Best answer:" in in_channel(dc, post["id"])[-1]

    # Grace asks on Discord with the slash command and its form; the submission is retried.
    opened = await dc.run_interaction(dc.interaction(world.grace, 2, dc.command_data("ask")))
    [modal] = [c["data"] for c in opened.callbacks if c["type"] == 9]
    field = {"type": 4, "custom_id": "text", "value": "Which quota laws helped women mayors?"}
    form = {"custom_id": modal["custom_id"], "components": [{"type": 1, "components": [field]}]}
    submitted = await dc.run_interaction(dc.interaction(world.grace, 5, form))
    await dc.dispatch("INTERACTION_CREATE", submitted.payload)
    await world.settle()
    assert await world.question_count() == (2, 2)
    await world.deliver()
    second = [t for t in tg.topics.values() if t.name.startswith("Q2")]
    assert len(second) == 1
    assert (
        "Grace (East and Southern Africa, via Discord)" in topic_texts(tg, second[0].thread_id)[0]
    )
    [post2] = [p for p in world.posts() if p["id"] != post["id"]]

    # She marks it solved with the slash command, from her post: Telegram shows it too.
    done = dc.interaction(
        world.grace,
        2,
        dc.command_data("solved", options={"question": "Q2"}),
        channel_id=post2["id"],
    )
    await dc.run_interaction(done)
    await world.settle()
    await world.deliver()
    assert second[0].name.startswith("✅ Q2 · Which quota laws") and second[0].closed
    assert dc.renames[post2["id"]][-1].startswith("✅ Q2 · Which quota laws")
    assert dc.channels[post2["id"]]["applied_tags"] == [world.solved_tag]

    # Anonymous means anonymous: nothing either platform received names Amina.
    received = json.dumps([c.params for c in tg.calls], default=str)
    received += json.dumps([body for _m, _p, body in dc.requests], default=str)
    received += json.dumps(list(tg.topics.values()), default=str)
    received += json.dumps(dc.renames)
    assert "Amina" not in received
    assert "a member (anonymous)" in received  # the scan does see the question cards

    # A moderator deletes Q2: the Telegram topic and the Discord post are removed.
    await say(world.app, "sofia", "/thread delete Q2")
    await world.deliver()
    assert not [t for t in tg.topics.values() if "Q2" in t.name]
    assert post2["id"] in dc.deleted_channels and post["id"] not in dc.deleted_channels


async def test_without_topic_rights_questions_go_to_the_chat_and_answers_are_replies(
    world: World,
) -> None:
    """A topic the bot may no longer rename is left as it is (logged), the message delivered;
    without "Manage topics" a question is posted in the chat and answers reply to it."""
    tg = world.telegram
    await tg.push(tg.message(private_chat(KARIM), KARIM, "/ask Who has a model code of conduct?"))
    await world.settle()
    await world.deliver()
    [topic] = tg.topics.values()
    tg.forums[TG_FORUM_ID] = False  # an admin took the bot's "Manage topics" right away
    await tg.push(tg.message(private_chat(KARIM), KARIM, "/solved Q1"))
    await tg.push(tg.message(private_chat(KARIM), KARIM, "/ask Who trains women candidates?"))
    await world.settle()
    await world.deliver()
    assert not topic.closed and topic.names == [topic.name]
    assert "✅ Q1 is solved." in topic_texts(tg, topic.thread_id)[-1]
    assert len(tg.topics) == 1
    [card] = [s for s in tg.sent_to(TG_FORUM_ID) if "Who trains women candidates?" in s.text]

    reply = tg.message(TG_FORUM, AMINA, "Our academy does, I will share it.", reply_to=card)
    await tg.push(reply)
    await world.settle()
    await world.deliver()
    post = next(p for p in world.posts() if p["name"].startswith("Q2"))
    assert [t for t in in_channel(world.discord, post["id"]) if "academy" in t] == [
        "**Amina (via Telegram): **Our academy does, I will share it."
    ]
    await tg.push(tg.message(private_chat(KARIM), KARIM, "/solved Q2"))
    await world.settle()
    await world.deliver()
    [call] = [
        c for c in tg.calls if c.method == "sendMessage" and "Q2 is solved" in c.params["text"]
    ]
    assert "message_thread_id" not in call.params
    assert json.loads(call.params["reply_parameters"])["message_id"] == card.message_id
