"""One channel's interactions are answered in order; each is still deferred in time.

discord.py runs every interaction in its own task: a quick ``/help`` right after a slow command
in the same channel would otherwise be answered first. It waits for its turn, but Discord's
3-second clock does not: it is deferred ("thinking") while it waits.
"""

from __future__ import annotations

import asyncio
from typing import Any

from bot.app import BotApp
from bot.core.i18n import N_
from bot.core.messages import Reply
from tests.adapters.discord.conftest import Starter
from tests.fakes.discord import FakeDiscord


def add_commands(app: BotApp) -> None:
    async def slow(ctx: Any, **_: Any) -> Reply:
        await asyncio.sleep(0.4)
        return ctx.reply("slow one done")

    async def quick(ctx: Any, **_: Any) -> Reply:
        return ctx.reply("quick one done")

    app.registry.command("slow", description=N_("List what I can do for you"))(slow)
    app.registry.command("quick", description=N_("List what I can do for you"))(quick)


async def test_a_channels_interactions_are_answered_in_order_and_deferred_while_waiting(
    fake: FakeDiscord, start_bot: Starter
) -> None:
    amina, grace = fake.add_user("Amina"), fake.add_user("Grace")
    await start_bot(registry_hook=add_commands, defer_after=0.05)
    slow = fake.interaction(amina, 2, fake.command_data("slow"))
    quick = fake.interaction(grace, 2, fake.command_data("quick"))
    await fake.dispatch("INTERACTION_CREATE", slow.payload)
    await asyncio.sleep(0.05)
    await fake.run_interaction(quick, within=0.3)  # acknowledged long before its turn
    assert quick.callbacks[0]["type"] == 5  # "thinking", not an answer out of turn
    posted = lambda: [  # noqa: E731
        s.content for s in fake.sent if s.kind == "message" and s.channel_id == fake.general
    ]
    assert posted() == []
    await fake.wait_for(lambda: len(posted()) == 2, 5)
    assert posted() == ["slow one done", "quick one done"]
