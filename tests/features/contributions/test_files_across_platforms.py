"""A champion shares a PDF on Telegram; an admin approves it on Discord; the bot's web server
serves the same bytes at the catalogue's address and /resources finds it. The same share from
Discord's slash command with its attachment option. Refusals (too big, not a document, the
same file again) change nothing.

End to end through the real python-telegram-bot and discord.py against the loopback servers:
PTB calls ``getFile`` and downloads ``/file/bot<token>/<file_path>`` from the fake Bot API;
discord.py reads the attachment's URL from the fake's CDN.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import TypedDict, Unpack
from urllib.parse import urlsplit

import aiohttp
import pytest
from sqlalchemy import func, select

from adapters.discord.adapter import DiscordBot, point_at
from adapters.telegram import TelegramAdapter
from bot.app import BotApp
from bot.config import AdminsConfig, ContributionsConfig, DiscordConfig, HttpConfig, TelegramConfig
from bot.core.clock import ManualClock
from bot.web import WebServer
from storage.models_contributions import Contribution, SharedFile
from storage.statuses import ContributionStatus
from tests.adapters.discord.conftest import answers
from tests.adapters.discord.hostile import as_read
from tests.adapters.telegram.conftest import FAST
from tests.conftest import make_settings
from tests.fakes.discord import GUILD_ID, FakeDiscord
from tests.fakes.telegram_api import FakeTelegram, private_chat
from tests.features.contributions.test_across_platforms import AMINA, World
from tests.helpers import say

PDF = b"%PDF-1.7\n" + b"Participatory budgeting for gender equality. " * 300 + b"\n%%EOF\n"
TITLE = "Participatory budgeting for gender equality"
PUBLIC = "https://hub-bot.example.org"


class DocumentOptions(TypedDict, total=False):
    """The fake Telegram document's optional fields, passed through by amina_sends."""

    mime_type: str
    size: int | None


class FileWorld(World):
    web: str = ""

    async def amina_sends(
        self, filename: str, data: bytes, caption: str | None, **kw: Unpack[DocumentOptions]
    ) -> str:
        before = len(self.to_amina())
        update = self.telegram.document(
            private_chat(AMINA),
            AMINA,
            filename,
            data,
            caption=caption,
            **kw,
        )
        await self.telegram.push(update)
        await self.telegram.wait_for(lambda: len(self.to_amina()) > before, within=10)
        return self.to_amina()[-1]

    async def fetch(self, url: str) -> tuple[int, bytes, str]:
        async with (
            aiohttp.ClientSession() as session,
            session.get(self.web + urlsplit(url).path) as response,
        ):
            return response.status, await response.read(), response.headers.get("Content-Type", "")


@pytest.fixture
async def world(tmp_path: Path, clock: ManualClock) -> AsyncIterator[FileWorld]:
    telegram = FakeTelegram()
    await telegram.start()
    async with FakeDiscord() as discord:
        grace = discord.add_user("Grace")
        settings = make_settings(
            f"sqlite+aiosqlite:///{tmp_path / 'files.db'}",
            admins=AdminsConfig(console=("sofia",)),
            telegram=TelegramConfig(api_base_url=telegram.base_url),
            discord=DiscordConfig(
                guild_id=GUILD_ID,
                api_base_url=discord.api_base_url,
                gateway_url=discord.gateway_url,
            ),
            http=HttpConfig(public_url=PUBLIC, port=0),
            contributions=ContributionsConfig(max_file_mb=1),
        )
        point_at(settings)
        app = await BotApp.start(settings, clock=clock)
        assert settings.http is not None
        server = WebServer(app, settings.http)
        await server.start()
        tg = TelegramAdapter(app, settings, telegram.token, tuning=FAST)
        await tg.start()
        bot = DiscordBot(app, settings, guild_ready_timeout=0.05)
        await bot.login("fake-token")
        task = asyncio.create_task(bot.connect(reconnect=True))
        await discord.wait_connected()
        await asyncio.wait_for(bot.wait_until_ready(), 10)
        found = FileWorld(app, telegram, discord, grace)
        found.web = f"http://127.0.0.1:{server.port}"
        try:
            yield found
        finally:
            await bot.close()
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
            await tg.stop()
            await server.stop()
            await app.close()
            await telegram.stop()
        assert discord.violations == [], discord.violations
    assert telegram.violations == [], telegram.violations


async def _rows(app: BotApp, model: type) -> int:
    async with app.database.unit_of_work() as uow:
        return int(await uow.session.scalar(select(func.count()).select_from(model)) or 0)


async def _contributions(app: BotApp) -> list[Contribution]:
    async with app.database.unit_of_work() as uow:
        return list((await uow.session.scalars(select(Contribution))).all())


async def _grace_is_admin_amina_champion(world: World) -> None:
    await world.amina_says("/language fr")
    await world.grace_says("/help")
    await say(world.app, "sofia", "/admin add Grace")
    await world.grace_says("/champion approve Amina")


async def test_pdf_shared_on_telegram_approved_on_discord_served_and_found(
    world: FileWorld,
) -> None:
    await _grace_is_admin_amina_champion(world)

    said = await world.amina_sends("budget-participatif.pdf", PDF, f"/share {TITLE} lang:en")
    assert "Merci ! Votre ressource #1 est dans la file de relecture." in said
    assert "Fichier : budget-participatif.pdf (13 KB)" in said
    assert (
        world.telegram.downloads and [c.method for c in world.telegram.calls].count("getFile") == 1
    )
    [queued] = await _contributions(world.app)
    status, _, _ = await world.fetch(queued.url or "")
    assert status == 404  # not before approval

    # Refusals: too big (not even fetched), not a document, the same file again.
    fetched = len(world.telegram.downloads)
    too_big = await world.amina_sends("big.pdf", b"%PDF-" + b"0" * 1_100_000, "/share Gros")
    assert "est trop volumineux (1.1 MB)" in too_big
    program = await world.amina_sends("guide.pdf", b"MZ\x90\x00" + b"\x00" * 64, "/share Guide")
    assert "je n'accepte que des documents" in program
    again = await world.amina_sends("copie.pdf", PDF, "/share Une copie")
    assert "quelqu'un l'a déjà partagée" in again
    assert len(world.telegram.downloads) == fetched + 2  # the big one was never downloaded
    assert await _rows(world.app, SharedFile) == 1 and len(await _contributions(world.app)) == 1

    # Grace reviews on Discord: the card says it is a file and carries it.
    [card] = await world.grace_runs("review", "show")
    content = as_read(card["content"])
    assert TITLE in content and "**File: budget-participatif.pdf** (13 KB)" in content
    [posted] = [s for s in world.discord.sent if s.channel_id == world.grace_dm and s.files]
    assert posted.files == [("budget-participatif.pdf", PDF)]
    [approved] = await world.grace_presses("Approve it")
    assert "Contribution #1 is approved: resource #" in as_read(approved["content"])
    [done] = await _contributions(world.app)
    assert done.status is ContributionStatus.APPROVED

    # The web server serves the very bytes at the catalogue's address.
    status, body, kind = await world.fetch(done.url or "")
    assert (status, body, kind) == (200, PDF, "application/pdf")
    await world.amina_says("/resources budget participatif")
    found = world.to_amina()[-1]
    assert done.url is not None
    assert TITLE in found and done.url in found and "Partagée par Amina" in found


async def test_the_same_share_from_discord_with_an_attachment(world: FileWorld) -> None:
    await _grace_is_admin_amina_champion(world)
    attached = world.discord.attachment("Rapport annuel.pdf", PDF)
    data = world.discord.command_data("share", "show", attachments={"file": attached})
    opened = await world.discord.run_interaction(
        world.discord.interaction(world.grace, 2, data, dm=True, locale="es-ES")
    )
    assert opened.callbacks[0]["type"] == 9  # the form asks the title and tags
    form = opened.callbacks[0]["data"]
    filled = {
        "custom_id": form["custom_id"],
        "components": [
            {"type": 1, "components": [
                {"type": 4, "custom_id": "details", "value": f"{TITLE} tipo:guía"}
            ]},
        ],
    }  # fmt: skip
    submitted = await world.discord.run_interaction(
        world.discord.interaction(world.grace, 5, filled, dm=True, locale="es-ES")
    )
    await world.discord.settle(quiet=0.1)
    [body] = answers(submitted)
    assert "Tu recurso #1 está en la cola de revisión" in as_read(body["content"])
    assert "**Archivo: Rapport annuel.pdf** (13 KB)" in as_read(body["content"])
    assert world.discord.attachment_reads == [attached["id"]]
    [queued] = await _contributions(world.app)
    assert queued.type == "guide"

    # the same file from Telegram: caught by its content
    again = await world.amina_sends("autre-nom.pdf", PDF, "/share Autre titre")
    assert "quelqu'un l'a déjà partagée" in again

    # too big for the configured limit: Discord's attachment is not even read
    big = world.discord.attachment("big.pdf", b"%PDF-", size=5_000_000)
    data = world.discord.command_data("share", "show", attachments={"file": big})
    opened = await world.discord.run_interaction(
        world.discord.interaction(world.grace, 2, data, dm=True)
    )
    form = opened.callbacks[0]["data"]
    filled["custom_id"] = form["custom_id"]
    refused = await world.discord.run_interaction(
        world.discord.interaction(world.grace, 5, filled, dm=True)
    )
    assert "is too big (5.0 MB)" in as_read(answers(refused)[0]["content"])
    assert world.discord.attachment_reads == [attached["id"]]
    assert await _rows(world.app, SharedFile) == 1


async def test_share_alone_then_the_file_on_telegram(world: FileWorld) -> None:
    await _grace_is_admin_amina_champion(world)
    await world.amina_says("/share")
    assert "Ou envoyez-moi maintenant le lien ou le fichier." in world.to_amina()[-1]
    said = await world.amina_sends("Plan_d_action.pdf", PDF, None)
    assert "Votre ressource #1 est dans la file de relecture" in said
    [queued] = await _contributions(world.app)
    assert queued.title == "Plan d action"
