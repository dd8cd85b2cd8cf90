"""``[discord] shards``: the bot runs as discord.py's AutoShardedClient, end to end.

The loopback Discord holds servers on two shards and routes each server's events to its shard
(``(guild_id >> 22) % num_shards``, DMs to shard 0) as Discord does. The bot, started by the
runner as ``--only discord`` does, opens one session per shard; slash commands are answered in
a server of each shard, and the reminders of the members who joined there reach their DMs once.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
import pytest

from adapters.runner import Role, run_platforms
from bot.config import DiscordConfig, Settings, StorageConfig
from storage.database import Database
from storage.models import Event
from storage.statuses import EventAudience
from tests.adapters.discord.conftest import text_of
from tests.fakes.discord import FakeDiscord

REMINDER = "starts in 5 minutes"


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    async with FakeDiscord() as server:
        server.max_concurrency = 16  # a large bot's: both shards identify at once
        yield server
        assert server.violations == [], server.violations


async def _add_event(url: str, lead: timedelta) -> int:
    """An event for all whose 5-minute reminder falls due ``lead`` from now."""
    now = datetime.now(UTC)
    database = Database(url)
    try:
        async with database.unit_of_work() as uow:
            community = await uow.communities.by_slug("champions")
            assert community is not None
            event = await uow.events.add(
                Event(
                    community_id=community.id,
                    title="Budgets that see women",
                    starts_at=now + timedelta(minutes=5) + lead,
                    timezone="UTC",
                    audience=EventAudience.ALL,
                    offsets=[5],
                    created_at=now,
                    updated_at=now,
                )
            )
            return event.id
    finally:
        await database.dispose()


@pytest.mark.parametrize("shards", [2, "auto"])
async def test_two_shards_answer_commands_in_their_servers_and_send_reminders(
    tmp_path: Path, fake: FakeDiscord, shards: int | str
) -> None:
    fake.recommended_shards = 2  # what "auto" gets from GET /gateway/bot
    on_shard = [fake.add_guild(fake.guild_on(shard, 2)) for shard in (0, 1)]
    people = [fake.add_user(name) for name in ("Grace", "Hiro")]
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    settings = Settings(
        storage=StorageConfig(url=url),
        discord=DiscordConfig(
            api_base_url=fake.api_base_url, gateway_url=fake.gateway_url, shards=shards
        ),
    )
    running = asyncio.create_task(
        run_platforms(settings, telegram_token=None, discord_token="fake-token", only=Role.DISCORD)
    )
    try:
        await fake.wait_connected(20, shards=2)
        await fake.wait_for(lambda: fake.commands, 20)  # declared (globally: no guild_id)
        assert sorted(identify["shard"] for identify in fake.identifies) == [[0, 2], [1, 2]]
        for shard, channel in enumerate(on_shard):  # each server is on the shard it should be
            guild = fake.channels[channel]["guild_id"]
            assert fake.sessions[shard].owns(guild) and not fake.sessions[1 - shard].owns(guild)

        event_id = await _add_event(url, lead=timedelta(seconds=4))
        joined = []
        for person, channel in zip(people, on_shard, strict=True):
            interaction = fake.interaction(
                person, 2, fake.command_data("rsvp", options={"id": event_id}), channel_id=channel
            )
            joined.append(await fake.run_interaction(interaction, within=20))
        for interaction in joined:
            assert "You're in for “Budgets that see women”" in text_of(interaction)
        for shard, interaction in enumerate(joined):  # it came on its server's shard
            sent = [e["d"].get("id") for e in fake.sessions[shard].events]
            assert interaction.id in sent

        def reminders() -> list[str]:
            return [s.channel_id for s in fake.sent if REMINDER in s.content]

        await fake.wait_for(lambda: len(reminders()) >= 2, 30)
        assert sorted(reminders()) == sorted(f"9{person[1:]}" for person in people)
        assert not running.done()
    finally:
        running.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await running


@pytest.mark.parametrize("shard", [[2, 2], [0, 0], [-1, 2], [0], "0,1", [True, 2]])
async def test_the_fake_refuses_an_invalid_shard_as_discord_does(
    fake: FakeDiscord, shard: object
) -> None:
    async with aiohttp.ClientSession() as session, session.ws_connect(fake.gateway_url) as ws:
        hello = json.loads((await ws.receive()).data)
        assert hello["op"] == 10
        identify = {"token": "fake-token", "intents": 1, "properties": {}, "shard": shard}
        await ws.send_str(json.dumps({"op": 2, "d": identify}))
        closing = await ws.receive()
        assert closing.type is aiohttp.WSMsgType.CLOSE and closing.data == 4010
    assert fake.invalid_shards == [shard] and fake.sessions == {}


async def test_shards_identify_together_up_to_max_concurrency(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Discord lets ``max_concurrency`` shards identify at once (bucket shard_id %
    max_concurrency, one IDENTIFY per bucket every 5 s): shards 0 and 1 start together, 2 and
    3 wait for the next window, and a re-IDENTIFY waits as discord.py always does."""
    from types import SimpleNamespace

    import discord.client

    from adapters.discord.adapter import ShardedDiscordBot

    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)

    monkeypatch.setattr(discord.client, "asyncio", SimpleNamespace(sleep=sleep))
    bot = object.__new__(ShardedDiscordBot)  # only the hook's own state
    bot._identified = set()
    bot._max_concurrency = None

    async def limits() -> SimpleNamespace:
        return SimpleNamespace(max_concurrency=2)

    # a stand-in for SessionStartLimits: max_concurrency is all the hook reads
    monkeypatch.setattr(bot, "fetch_session_start_limits", limits)
    for shard in range(4):
        await bot.before_identify_hook(shard, initial=shard == 0)
    assert slept == [5.0, 5.0]
    await bot.before_identify_hook(1)
    assert slept == [5.0, 5.0, 5.0]
