"""`run_discord` runs the adapter until cancelled; core suggestion sources are extendable."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from pathlib import Path

import pytest

from adapters.discord import run_discord
from bot.app import BotApp
from bot.core.clock import ManualClock
from bot.core.i18n import Translator
from bot.core.messages import Actor, Platform
from bot.core.suggestions import Suggestion, SuggestionQuery, suggest
from tests.adapters.discord.conftest import discord_settings
from tests.fakes.discord import FakeDiscord


async def test_run_discord_logs_in_syncs_and_stops_when_cancelled(
    fake: FakeDiscord, tmp_path: Path, clock: ManualClock
) -> None:
    settings = discord_settings(f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}", fake)
    app = await BotApp.start(settings, clock=clock)
    task = asyncio.create_task(run_discord(app, settings, "fake-token"))
    try:
        await fake.wait_connected()
        assert fake.identifies[0]["token"] == "fake-token"
        assert len(fake.command_puts) == 1
        assert Platform.DISCORD in app.messengers
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await app.close()
    assert task.done()


async def test_features_can_add_suggestion_sources(app: BotApp) -> None:
    @app.registry.suggestion_source("test-fruits")
    async def fruits(query: SuggestionQuery) -> list[Suggestion]:
        names = [f"fruit {i}" for i in range(40)]
        return [Suggestion(n, n) for n in names if n.startswith(query.prefix)]

    query = SuggestionQuery(app, Actor(Platform.DISCORD, "1", "A"), "fruit", Translator("en"))
    assert len(await suggest(query, "test-fruits")) == 25
    assert await suggest(query, "no-such-source") == []
    zones = await suggest(
        SuggestionQuery(app, Actor(Platform.DISCORD, "1", "A"), "bogo", Translator("en")),
        "timezones",
    )
    assert zones[0] == Suggestion("America/Bogota (UTC-05:00)", "America/Bogota")


async def test_no_voice_warning_for_a_bot_that_uses_no_voice(
    app: BotApp,
    fake: FakeDiscord,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    import discord

    from adapters.discord.adapter import DiscordBot

    monkeypatch.setattr(discord.VoiceClient, "warn_nacl", True)  # as in a fresh process
    monkeypatch.setattr(discord.VoiceClient, "warn_dave", True)
    with caplog.at_level(logging.WARNING, logger="discord"):
        bot = DiscordBot(app, discord_settings("sqlite+aiosqlite://", fake))
    await bot.close()
    assert [r.getMessage() for r in caplog.records if "voice" in r.getMessage()] == []
