"""Two Discord champions paired in a round meet in a private thread the bot opens for them in
the configured channel, end to end through the real discord.py against the loopback Discord;
without the channel (or the permission) they are told to write privately, as before.

The fake refuses what Discord refuses here: a private thread outside a text channel, without
Create Private Threads, a name over 100 characters, a member added to an archived thread.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from adapters.discord.adapter import DiscordBot, point_at
from bot.app import BotApp
from bot.config import AdminsConfig, DiscordConfig
from bot.core.clock import ManualClock
from bot.delivery.dispatcher import Dispatcher
from tests.adapters.discord.hostile import as_read
from tests.conftest import make_settings
from tests.fakes.discord import BOT_ID, GUILD_ID, FakeDiscord
from tests.fakes.discord_rules import CREATE_PRIVATE_THREADS, PRIVATE_THREAD
from tests.helpers import say


@dataclass
class World:
    app: BotApp
    discord: FakeDiscord
    grace: str
    hope: str
    channel: str

    def dm(self, user_id: str) -> str:
        return f"9{user_id[1:]}"

    def to(self, user_id: str) -> list[str]:
        return [as_read(s.content) for s in self.discord.sent if s.channel_id == self.dm(user_id)]

    async def says(self, user_id: str, text: str) -> None:
        before = len(self.to(user_id))
        event = self.discord.message_event(user_id, self.dm(user_id), text, guild=False)
        await self.discord.dispatch("MESSAGE_CREATE", event)
        await self.discord.wait_for(lambda: len(self.to(user_id)) > before, within=10)

    def threads(self) -> list[dict[str, Any]]:
        return [
            c
            for c in self.discord.channels.values()
            if c["type"] == PRIVATE_THREAD and c["parent_id"] == self.channel
        ]


Setup = Callable[[FakeDiscord, str], None]


@contextlib.asynccontextmanager
async def running(
    tmp_path: Path, clock: ManualClock, *, configured: bool = True, setup: Setup | None = None
) -> AsyncIterator[World]:
    async with FakeDiscord() as discord:
        grace, hope = discord.add_user("Grace"), discord.add_user("Hope")
        channel = discord.new_id()
        discord.add_channel(channel, "networking", 0)
        discord.bot_permissions |= CREATE_PRIVATE_THREADS
        if setup is not None:
            setup(discord, channel)
        settings = make_settings(
            f"sqlite+aiosqlite:///{tmp_path / 'threads.db'}",
            admins=AdminsConfig(console=("sofia",)),
            discord=DiscordConfig(
                guild_id=GUILD_ID,
                api_base_url=discord.api_base_url,
                gateway_url=discord.gateway_url,
                networking_channel_id=channel if configured else None,
            ),
        )
        point_at(settings)
        app = await BotApp.start(settings, clock=clock)
        bot = DiscordBot(app, settings, guild_ready_timeout=0.05)
        await bot.login("fake-token")
        task = asyncio.create_task(bot.connect(reconnect=True))
        await discord.wait_connected()
        await asyncio.wait_for(bot.wait_until_ready(), 10)
        try:
            world = World(app, discord, grace, hope, channel)
            await _pair(world)
            yield world
        finally:
            await bot.close()
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
            await app.close()
        assert discord.violations == [], discord.violations


async def _pair(world: World) -> None:
    """Grace and Hope write to the bot, become champions, join; a round pairs them."""
    await world.says(world.grace, "/help")
    await world.says(world.hope, "/help")
    now = world.app.clock.now()
    async with world.app.database.unit_of_work() as uow:
        community = await uow.communities.by_slug("champions")
        assert community is not None
        for member in await uow.members.all():
            if member.display_name in ("Grace", "Hope"):
                await uow.communities.set_role(community, member, "champion", now)
                member.languages = ["en"]
    await world.says(world.grace, "/meet join")
    await world.says(world.hope, "/meet join")
    await say(world.app, "sofia", "/meet round", update_id="round-1")


async def test_a_discord_pair_gets_a_private_thread_with_both_in_it(
    tmp_path: Path, clock: ManualClock
) -> None:
    async with running(tmp_path, clock) as world:
        report = await Dispatcher(world.app).run_due()
        assert report.failed == 0, report
        await world.discord.settle(quiet=0.1)
        [thread] = world.threads()
        assert thread["name"] in ("🤝 Grace & Hope · 1", "🤝 Hope & Grace · 1")
        assert thread["thread_metadata"]["invitable"] is False  # nobody else is brought in
        assert world.discord.thread_members[thread["id"]] == [BOT_ID, *sorted(
            (world.grace, world.hope), key=lambda u: thread["name"].index(
                "Grace" if u == world.grace else "Hope"))]  # fmt: skip
        [welcome] = [s for s in world.discord.sent if s.channel_id == thread["id"]]
        assert "Welcome, " in as_read(welcome.content) and "until" in as_read(welcome.content)
        for user_id in (world.grace, world.hope):
            [card] = [t for t in world.to(user_id) if "conversation partner" in t]
            assert f"private thread “{thread['name']}”" in card
        assert not any(t for t in world.to(world.grace) if "Welcome, " in t)  # not in the DMs

        await Dispatcher(world.app).run_due()  # a second pass opens nothing more
        await world.discord.settle(quiet=0.1)
        assert len(world.threads()) == 1
        opening = ("POST", f"/channels/{world.channel}/threads")
        creations = [r for r in world.discord.requests if r[:2] == opening]
        assert len(creations) == 1


async def test_without_the_channel_they_write_privately_as_before(
    tmp_path: Path, clock: ManualClock
) -> None:
    async with running(tmp_path, clock, configured=False) as world:
        await Dispatcher(world.app).run_due()
        await world.discord.settle(quiet=0.1)
        assert world.threads() == []
        [card] = [t for t in world.to(world.grace) if "conversation partner" in t]
        assert "send them a private message there" in card and "private thread" not in card


async def test_without_the_permission_discord_refuses_and_the_cards_still_go(
    tmp_path: Path, clock: ManualClock
) -> None:
    def no_private_threads(fake: FakeDiscord, channel: str) -> None:
        fake.deny(channel, CREATE_PRIVATE_THREADS)

    async with running(tmp_path, clock, setup=no_private_threads) as world:
        await Dispatcher(world.app).run_due()
        await world.discord.settle(quiet=0.1)
        assert world.threads() == []
        assert any("no permission to open a type 12 thread" in r for r in world.discord.refused)
        assert [t for t in world.to(world.hope) if "conversation partner" in t]
        assert not [s for s in world.discord.sent if s.channel_id == world.channel]  # never open


async def _call(fake: FakeDiscord, method: str, path: str, body: Any = None) -> tuple[int, Any]:
    async with (
        aiohttp.ClientSession() as session,
        session.request(method, fake.api_base_url + path, json=body) as response,
    ):
        return response.status, (await response.json() if response.status != 204 else None)


@pytest.mark.parametrize("private_allowed", [True, False])
async def test_the_fake_enforces_discords_thread_rules(private_allowed: bool) -> None:
    async with FakeDiscord() as fake:
        text, forum = fake.new_id(), fake.new_id()
        fake.add_channel(text, "networking", 0)
        fake.add_channel(forum, "advice", 15)
        if private_allowed:
            fake.bot_permissions |= CREATE_PRIVATE_THREADS
        user_id = fake.add_user("Grace")
        body = {"name": "🤝 Grace & Hope · 1", "type": PRIVATE_THREAD, "invitable": False}
        status, answer = await _call(fake, "POST", f"/channels/{text}/threads", body)
        if not private_allowed:
            assert (status, answer["code"]) == (403, 50013)
            return
        assert status == 200 and answer["type"] == PRIVATE_THREAD
        thread = answer["id"]
        status, answer = await _call(fake, "POST", f"/channels/{fake.general}/threads",
                                     {**body, "name": "x" * 101})  # fmt: skip
        assert status == 400 and answer["code"] == 50035  # the name has 1-100 characters
        fake.violations.clear()
        voice = fake.new_id()
        fake.add_channel(voice, "voice", 2)
        status, answer = await _call(fake, "POST", f"/channels/{voice}/threads", body)
        assert (status, answer["code"]) == (400, 50024)  # private threads: text channels only
        status, _ = await _call(fake, "PUT", f"/channels/{thread}/thread-members/{user_id}")
        assert status == 204 and fake.thread_members[thread] == [BOT_ID, user_id]
        status, answer = await _call(fake, "PUT", f"/channels/{thread}/thread-members/42")
        assert (status, answer["code"]) == (404, 10013)
        fake.channels[thread]["thread_metadata"]["archived"] = True
        status, answer = await _call(fake, "PUT", f"/channels/{thread}/thread-members/{user_id}")
        assert (status, answer["code"]) == (400, 50083)
