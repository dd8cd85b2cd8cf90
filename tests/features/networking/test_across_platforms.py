"""A pair across Telegram and Discord talks through the bot, end to end through the real
python-telegram-bot and discord.py against the loopback servers.

Amina is on Telegram, Grace on Discord. The round introduces them (each card says the other is
on the other platform and how to write); /meet say, or a reply to the card, relays both ways,
signed, never pinging.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from adapters.discord.adapter import DiscordBot, point_at
from adapters.telegram import TelegramAdapter
from bot.app import BotApp
from bot.config import AdminsConfig, DiscordConfig, TelegramConfig
from bot.core.clock import ManualClock
from bot.delivery.dispatcher import Dispatcher
from storage.models import Member
from tests.adapters.discord.hostile import as_read
from tests.adapters.telegram.conftest import FAST
from tests.conftest import make_settings
from tests.fakes.discord import GUILD_ID, FakeDiscord
from tests.fakes.telegram_api import FakeTelegram, private_chat, user
from tests.helpers import say

AMINA = user(101, "Amina", language="en")


@dataclass
class World:
    app: BotApp
    telegram: FakeTelegram
    discord: FakeDiscord
    grace: str

    @property
    def grace_dm(self) -> str:
        return f"9{self.grace[1:]}"

    async def deliver(self) -> None:
        report = await Dispatcher(self.app).run_due()
        assert report.failed == 0 and report.retried == 0, report
        await self.discord.settle(quiet=0.1)

    def to_grace(self) -> list[str]:
        return [as_read(s.content) for s in self.discord.sent if s.channel_id == self.grace_dm]

    def to_amina(self) -> list[str]:
        return [s.text for s in self.telegram.sent_to(AMINA["id"])]

    async def amina_says(self, text: str) -> None:
        before = len(self.to_amina())
        await self.telegram.push(self.telegram.message(private_chat(AMINA), AMINA, text))
        await self.telegram.wait_for(lambda: len(self.to_amina()) > before, within=10)

    async def grace_says(self, text: str) -> None:
        before = len(self.to_grace())
        event = self.discord.message_event(self.grace, self.grace_dm, text, guild=False)
        await self.discord.dispatch("MESSAGE_CREATE", event)
        await self.telegram.wait_for(lambda: len(self.to_grace()) > before, within=10)


@pytest.fixture
async def world(tmp_path: Path, clock: ManualClock) -> AsyncIterator[World]:
    telegram = FakeTelegram()
    await telegram.start()
    async with FakeDiscord() as discord:
        grace = discord.add_user("Grace")
        settings = make_settings(
            f"sqlite+aiosqlite:///{tmp_path / 'meet.db'}",
            admins=AdminsConfig(console=("sofia",)),
            telegram=TelegramConfig(api_base_url=telegram.base_url),
            discord=DiscordConfig(
                guild_id=GUILD_ID,
                api_base_url=discord.api_base_url,
                gateway_url=discord.gateway_url,
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
            yield World(app, telegram, discord, grace)
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


async def _make_champions(app: BotApp) -> None:
    now = app.clock.now()
    async with app.database.unit_of_work() as uow:
        community = await uow.communities.by_slug("champions")
        assert community is not None
        for member in await uow.members.all():
            if member.display_name == "Sofia":
                continue
            await uow.communities.set_role(community, member, "champion", now)
            _profile(member)


def _profile(member: Member) -> None:
    if member.display_name == "Amina":
        member.region, member.timezone, member.languages = "mena", "Africa/Tunis", ["en", "fr"]
        member.expertise = ["legal_quotas"]
    else:
        member.region, member.timezone = "east_southern_africa", "Africa/Lusaka"
        member.languages, member.expertise = ["en"], ["legal_quotas"]


async def test_a_telegram_and_a_discord_champion_meet_through_the_bot(world: World) -> None:
    await world.amina_says("/help")  # first contact creates the members
    await world.grace_says("/help")
    await _make_champions(world.app)
    await world.amina_says("/meet join")
    await world.grace_says("/meet join")

    await say(world.app, "sofia", "/meet round", update_id="round-1")
    await world.deliver()
    [amina_card] = [t for t in world.to_amina() if "conversation partner" in t]
    assert "Grace" in amina_card
    assert "is on Discord: reply to this message, or write /meet say" in amina_card
    assert "you both work on Legal barriers and quotas" in amina_card
    [grace_card] = [t for t in world.to_grace() if "conversation partner" in t]
    assert "Amina" in grace_card
    assert "is on Telegram: reply to this message, or write /meet say" in grace_card
    assert "Africa/Tunis" in grace_card  # Amina's local time, named by her zone

    await world.amina_says("/meet say Hello Grace! @everyone Shall we talk on Thursday?")
    await world.deliver()
    relayed = [t for t in world.to_grace() if "Shall we talk" in t]
    assert relayed == [
        "**Amina (via Telegram):** Hello Grace! @everyone Shall we talk on Thursday?"
    ]
    sent = next(s for s in world.discord.sent if "Shall we talk" in s.content)
    assert sent.body.get("allowed_mentions", {}).get("parse") == []  # never pings

    await world.grace_says("/meet say Thursday 10:00 my time works.")
    await world.deliver()
    relayed = [t for t in world.to_amina() if "Thursday 10:00" in t]
    assert relayed == ["Grace (via Discord): Thursday 10:00 my time works."]


async def test_replying_to_the_introduction_relays_both_ways(world: World) -> None:
    """No command needed: a reply to the intro card, on either platform, reaches the other."""
    await world.amina_says("/help")
    await world.grace_says("/help")
    await _make_champions(world.app)
    await world.amina_says("/meet join")
    await world.grace_says("/meet join")
    await say(world.app, "sofia", "/meet round", update_id="round-1")
    await world.deliver()
    [amina_card] = [
        s for s in world.telegram.sent_to(AMINA["id"]) if "conversation partner" in s.text
    ]
    [grace_card] = [
        s
        for s in world.discord.sent
        if s.channel_id == world.grace_dm and "conversation partner" in as_read(s.content)
    ]

    before = len(world.to_amina())
    reply = world.telegram.message(
        private_chat(AMINA), AMINA, "Hi Grace, Thursday morning?", reply_to=amina_card
    )
    await world.telegram.push(reply)
    await world.telegram.wait_for(lambda: len(world.to_amina()) > before, within=10)
    assert "Passed on to Grace." in world.to_amina()[-1]
    await world.deliver()
    assert "**Amina (via Telegram):** Hi Grace, Thursday morning?" in world.to_grace()

    before_grace = len(world.to_grace())
    event = world.discord.message_event(
        world.grace, world.grace_dm, "Thursday 9:00 suits me.", guild=False,
        reply_to=grace_card.message_id,
    )  # fmt: skip
    await world.discord.dispatch("MESSAGE_CREATE", event)
    await world.telegram.wait_for(lambda: len(world.to_grace()) > before_grace, within=10)
    await world.deliver()
    assert "Grace (via Discord): Thursday 9:00 suits me." in world.to_amina()
