"""Storage unreachable for a while during a stream of interactions, through the real discord.py.

Every interaction is acknowledged within Discord's 3 seconds (the fake refuses a later first
response, as Discord does), each person is told once that the answer is coming, and every one
is answered exactly once after storage is back; a typed command in a DM is held the same way.
A request held past the interaction's life is told that nothing was done. On SQLite and, when
``TEST_DATABASE_URL`` is set, on PostgreSQL.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections import Counter
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest

from adapters.discord.adapter import DiscordBot, point_at
from adapters.discord.interactions import NOT_DONE
from bot.app import BotApp
from bot.config import AdminsConfig, DiscordConfig, Settings, StorageConfig
from bot.core.clock import ManualClock
from bot.core.i18n import Translator
from bot.health import HELD_NOTICE
from tests.adapters.discord.conftest import TOKEN
from tests.fakes.discord import GUILD_ID, FakeDiscord, Interaction
from tests.outage import Outage, add_echo, log_lines, outage_for, outage_settings

NOTICE = Translator("en").gettext(HELD_NOTICE)
ECHO = re.compile(r"^echo (n\d+)$")


@pytest.fixture(params=["sqlite", "postgresql"])
async def outage(
    request: pytest.FixtureRequest, tmp_path: Path, postgres_url: str | None
) -> AsyncIterator[Outage]:
    switch = await outage_for(request.param, tmp_path, postgres_url)
    yield switch
    await switch.close()


class Bot:
    """The app, its storage probe and the real client, started against the fake."""

    def __init__(self, app: BotApp, client: DiscordBot, tasks: list[asyncio.Task[Any]]) -> None:
        self.app = app
        self.client = client
        self.tasks = tasks

    async def stop(self) -> None:
        await self.client.close()
        for task in self.tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        await self.app.close()


@pytest.fixture
async def start(
    fake: FakeDiscord, outage: Outage, clock: ManualClock
) -> AsyncIterator[Callable[..., Any]]:
    started: list[Bot] = []

    async def run(**options: Any) -> Bot:
        settings = Settings(
            storage=StorageConfig(url=outage.url, **outage_settings()),
            admins=AdminsConfig(),
            discord=DiscordConfig(
                guild_id=GUILD_ID, api_base_url=fake.api_base_url, gateway_url=fake.gateway_url
            ),
        )
        point_at(settings)
        app = await BotApp.start(settings, clock=clock)
        add_echo(app)
        outage.attach(app)
        probe = asyncio.create_task(app.health.watch(app.database.check))
        client = DiscordBot(app, settings, guild_ready_timeout=0.05)
        client.interactions.hold_seconds = options.get("hold_seconds", 60.0)
        await client.login(TOKEN)
        connection = asyncio.create_task(client.connect(reconnect=True))
        await fake.wait_connected()
        await asyncio.wait_for(client.wait_until_ready(), 10)
        bot = Bot(app, client, [probe, connection])
        started.append(bot)
        return bot

    yield run
    for bot in started:
        await bot.stop()


def said(fake: FakeDiscord) -> list[str]:
    """Every text the bot put anywhere: responses, edits, follow-ups, channel messages, DMs."""
    return [s.content for s in fake.sent]


async def ask(fake: FakeDiscord, person: str, word: str) -> Interaction:
    interaction = fake.interaction(person, 2, fake.command_data("echo", options={"word": word}))
    await fake.dispatch("INTERACTION_CREATE", interaction.payload)
    return interaction


async def test_every_interaction_of_an_outage_is_answered_once_when_storage_is_back(
    fake: FakeDiscord, outage: Outage, start: Callable[..., Any], caplog: pytest.LogCaptureFixture
) -> None:
    fake.response_window = 3.0  # Discord's rule: acknowledged within 3 seconds, or lost
    people = [fake.add_user(f"Person{i}") for i in range(4)]
    bot = await start()
    with log_lines(caplog) as logged:
        before = [await ask(fake, people[i % 4], f"n{i}") for i in range(8)]
        for interaction in before:
            await asyncio.wait_for(interaction.answered.wait(), 10)

        await outage.cut()
        during = []
        for i in range(8, 20):
            during.append(await ask(fake, people[i % 4], f"n{i}"))
            await asyncio.sleep(0.02)
        dm = f"9{people[0][1:]}"
        typed = fake.message_event(people[0], dm, "/echo n20", guild=False)
        await fake.dispatch("MESSAGE_CREATE", typed)
        for interaction in during:  # acknowledged at once, none answered yet
            await asyncio.wait_for(interaction.answered.wait(), 3)
        await asyncio.sleep(0.5)
        assert not any(ECHO.match(text) and int(text[6:]) >= 8 for text in said(fake))
        assert said(fake).count(NOTICE) == 4  # each person once, whatever they asked

        await outage.restore()
        after = [await ask(fake, people[i % 4], f"n{i}") for i in range(21, 25)]
        wanted = {f"n{i}" for i in range(25)}
        await until(lambda: wanted <= _echoed(fake), 20)
        await fake.settle(quiet=0.3)

    assert Counter(m.group(1) for t in said(fake) if (m := ECHO.match(t))) == Counter(wanted)
    assert said(fake).count(NOTICE) == 4
    assert fake.late == [], "an interaction was acknowledged after 3 seconds"
    for interaction in [*before, *during, *after]:
        assert len(interaction.callbacks) == 1  # one first response each
    assert bot.app.health.ready and bot.app.health.outages == 1
    lines = [r.getMessage() for r in logged]
    assert sum(line.startswith("storage lost") for line in lines) == 1, lines
    assert sum(line.startswith("storage back") for line in lines) == 1, lines
    assert [r for r in logged if r.exc_info] == [], "a traceback was logged"


async def until(condition: Callable[[], bool], within: float) -> None:
    """Wait until ``condition()`` holds, checking every 50 ms, at most ``within`` seconds."""
    for _ in range(int(within / 0.05)):
        if condition():
            return
        await asyncio.sleep(0.05)
    raise TimeoutError


def _echoed(fake: FakeDiscord) -> set[str]:
    return {m.group(1) for t in said(fake) if (m := ECHO.match(t))}


async def test_a_request_held_past_the_interaction_life_is_told_nothing_was_done(
    fake: FakeDiscord, outage: Outage, start: Callable[..., Any]
) -> None:
    person = fake.add_user("Amina")
    bot = await start(hold_seconds=0.6)
    await outage.cut()
    held = await ask(fake, person, "n1")
    await asyncio.wait_for(held.answered.wait(), 3)
    await until(lambda: Translator("en").gettext(NOT_DONE) in said(fake), 10)
    await outage.restore()
    await asyncio.sleep(0.5)
    assert "echo n1" not in said(fake)  # nothing was done, as it said
    async with bot.app.database.unit_of_work() as uow:
        assert not await uow.updates.seen("discord", held.id)
