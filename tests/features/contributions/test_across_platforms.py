"""A champion shares a resource on Telegram; an admin approves it on Discord.

End to end through the real python-telegram-bot and discord.py against the loopback servers
in tests/fakes, one bot process running both adapters on one database (the setup of
tests/features/networking/test_across_platforms.py). Grace is an admin of the community (made
so by the secretariat, not configured: rights per community); Amina writes in French.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from adapters.discord.adapter import DiscordBot, point_at
from adapters.telegram import TelegramAdapter
from bot.app import BotApp
from bot.config import AdminsConfig, DiscordConfig, TelegramConfig
from bot.core.clock import ManualClock
from bot.delivery.dispatcher import Dispatcher
from storage.models import AuditEntry, Member
from storage.models_contributions import Contribution
from storage.statuses import ContributionStatus
from tests.adapters.discord.conftest import answers
from tests.adapters.discord.hostile import as_read
from tests.adapters.telegram.conftest import FAST
from tests.conftest import make_settings
from tests.fakes.discord import GUILD_ID, FakeDiscord
from tests.fakes.telegram_api import FakeTelegram, private_chat, user
from tests.helpers import say

AMINA = user(101, "Amina", language="fr")
LINK = "https://www.example.org/grb-toolkit/"
TITLE = "Toolkit for gender budgeting in city councils"


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

    async def amina_says(self, text: str) -> int:
        before = len(self.to_amina())
        update = await self.telegram.push(self.telegram.message(private_chat(AMINA), AMINA, text))
        await self.telegram.wait_for(lambda: len(self.to_amina()) > before, within=10)
        return update

    async def grace_says(self, text: str) -> None:
        before = len(self.to_grace())
        event = self.discord.message_event(self.grace, self.grace_dm, text, guild=False)
        await self.discord.dispatch("MESSAGE_CREATE", event)
        await self.telegram.wait_for(lambda: len(self.to_grace()) > before, within=10)

    async def grace_runs(self, *words: str) -> list[dict[str, Any]]:
        """Grace types a slash command in her DM with the bot; what the bot answered."""
        data = self.discord.command_data(*words)
        done = await self.discord.run_interaction(
            self.discord.interaction(self.grace, 2, data, dm=True)
        )
        await self.discord.settle(quiet=0.1)
        return answers(done)

    async def grace_presses(self, label: str) -> list[dict[str, Any]]:
        """Grace presses the button ``label`` under the last message with buttons."""
        sent = next(s for s in reversed(self.discord.sent) if s.body.get("components"))
        message = self.discord.messages[sent.message_id]
        [button] = [
            b for row in message["components"] for b in row["components"] if b["label"] == label
        ]
        data = {"custom_id": button["custom_id"], "component_type": 2}
        pressed = await self.discord.run_interaction(
            self.discord.interaction(self.grace, 3, data, dm=True, message=message)
        )
        await self.discord.settle(quiet=0.1)
        return answers(pressed)


@pytest.fixture
async def world(tmp_path: Path, clock: ManualClock) -> AsyncIterator[World]:
    telegram = FakeTelegram()
    await telegram.start()
    async with FakeDiscord() as discord:
        grace = discord.add_user("Grace")
        settings = make_settings(
            f"sqlite+aiosqlite:///{tmp_path / 'share.db'}",
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


async def _contributions(app: BotApp) -> list[Contribution]:
    async with app.database.unit_of_work() as uow:
        return list((await uow.session.scalars(select(Contribution))).all())


async def test_shared_on_telegram_approved_on_discord_found_in_another_language(
    world: World,
) -> None:
    await world.amina_says("/language fr")  # first contact creates her
    await world.grace_says("/help")
    assert "Grace" in " ".join(await _names(world.app))
    await say(world.app, "sofia", "/admin add Grace")  # an admin of the community, not global
    await world.grace_says("/champion approve Amina")

    # Amina shares on Telegram; Telegram delivers the update twice.
    update = await world.amina_says(f"/share {LINK} {TITLE} lang:en")
    assert "Merci ! Votre ressource #1 est dans la file de relecture." in world.to_amina()[-1]
    await world.telegram.redeliver(update)
    await world.amina_says("/share mine")  # the redelivered update was handled before this
    [queued] = await _contributions(world.app)
    assert queued.status is ContributionStatus.PENDING and queued.themes == ["gender_budgeting"]

    # The same link again, written differently: caught before review.
    await world.amina_says("/share http://example.org/grb-toolkit Un autre titre")
    assert "quelqu'un l'a déjà partagée" in world.to_amina()[-1]
    assert len(await _contributions(world.app)) == 1

    # Grace reviews on Discord and presses "Approve it".
    [card] = await world.grace_runs("review", "show")  # /review with subcommands
    assert TITLE in as_read(card["content"]) and "Contributed by Amina" in as_read(card["content"])
    [approved] = await world.grace_presses("Approve it")
    assert "Contribution #1 is approved: resource #" in as_read(approved["content"])
    [done] = await _contributions(world.app)
    assert done.status is ContributionStatus.APPROVED and done.resource_id is not None

    # Amina hears it privately on Telegram, in French, once.
    await world.deliver()
    await world.deliver()
    told = [t for t in world.to_amina() if "est approuvée" in t]
    assert told == [
        f"Votre ressource « {TITLE} » est approuvée : elle est maintenant dans le centre de "
        "ressources, avec votre nom.\nMerci de l'avoir partagée avec le réseau."
    ]

    # A French query finds the English resource, credited.
    await world.amina_says("/resources budgétisation genrée")
    found = world.to_amina()[-1]
    assert TITLE in found and "Partagée par Amina" in found

    async with world.app.database.unit_of_work() as uow:
        [entry] = (
            await uow.session.scalars(
                select(AuditEntry).where(AuditEntry.action == "contribution.approve")
            )
        ).all()
        grace = await uow.session.scalar(select(Member.id).where(Member.display_name == "Grace"))
        assert entry.actor_member_id == grace
        assert entry.detail["resource_id"] == done.resource_id
        assert await uow.session.scalar(select(func.count()).select_from(Contribution)) == 1


async def _names(app: BotApp) -> list[str]:
    async with app.database.unit_of_work() as uow:
        return [m.display_name for m in await uow.members.all()]


async def test_on_discord_share_opens_a_form(world: World) -> None:
    await world.grace_says("/help")
    await say(world.app, "sofia", "/admin add Grace")
    data = world.discord.command_data("share", "show")
    opened = await world.discord.run_interaction(
        world.discord.interaction(world.grace, 2, data, dm=True, locale="es-ES")
    )
    assert opened.callbacks[0]["type"] == 9  # a modal
    form = opened.callbacks[0]["data"]
    boxes = [row["components"][0] for row in form["components"]]
    assert [box["custom_id"] for box in boxes] == ["link", "details"]
    assert boxes[0]["label"] == "Enlace al recurso (https://…)"
    filled = {
        "custom_id": form["custom_id"],
        "components": [
            {"type": 1, "components": [{"type": 4, "custom_id": "link", "value": LINK}]},
            {"type": 1, "components": [
                {"type": 4, "custom_id": "details", "value": f"{TITLE} tipo:guía región:global"}
            ]},
        ],
    }  # fmt: skip
    submitted = await world.discord.run_interaction(
        world.discord.interaction(world.grace, 5, filled, dm=True, locale="es-ES")
    )
    await world.discord.settle(quiet=0.1)
    [body] = answers(submitted)
    assert "Tu recurso #1 está en la cola de revisión" in as_read(body["content"])
    [queued] = await _contributions(world.app)
    assert (queued.title, queued.type, queued.regions) == (TITLE, "guide", ["global"])
