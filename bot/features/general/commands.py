"""/help and /cancel: what every member can always do."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from bot.core.context import CommandContext
from bot.core.feature import Feature
from bot.core.i18n import N_
from bot.core.messages import Destination, Reply
from bot.core.ports import Ports
from bot.core.registry import Audience
from bot.core.richtext import bold, bullets, code, line

feature = Feature("general")


UPDATE_MEMORY = timedelta(days=7)
"""Platforms redeliver within minutes or hours; a week of update ids is plenty."""


@feature.periodic
async def forget_old_updates(ports: Ports, now: datetime) -> int:
    """Keep the processed-updates table small: drop ids older than :data:`UPDATE_MEMORY`."""
    async with ports.unit_of_work() as uow:
        return await uow.updates.forget_before(now - UPDATE_MEMORY)


@feature.command("help", description=N_("List what I can do for you"))
async def help_command(ctx: CommandContext) -> Reply:
    """Only the commands the caller may use: admins see the admin commands too. Personal: in a
    group, a list this long (and in the caller's language and rights) goes to the caller."""
    specs = [spec for spec in ctx.registry.visible_to(ctx.audience) if spec.in_help]
    items = [
        line(code(spec.usage_in(ctx.translator.language)), " — ", ctx._(spec.description))
        for spec in specs
    ]
    blocks: list[Any] = [line(bold(ctx._("What I can do for you")))]
    blocks.append(bullets(items))
    if ctx.audience is Audience.ADMIN:
        blocks.append(line(ctx._("You are an admin: admin commands are included.")))
    return ctx.reply(*blocks, destination=Destination.PERSONAL)


@feature.command("cancel", description=N_("Stop the question I am asking you"))
async def cancel(ctx: CommandContext) -> Reply:
    await ctx.end_conversation()
    return ctx.reply(
        ctx._("All right, I stopped. Nothing more will be asked."),
        destination=Destination.EPHEMERAL,  # a note for the caller: a group need not read it
    )
