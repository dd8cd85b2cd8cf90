"""/link: one member across Telegram and Discord."""

from __future__ import annotations

from typing import Any

from bot.core.arguments import ArgKind, ArgSpec
from bot.core.context import CommandContext
from bot.core.i18n import N_
from bot.core.messages import Destination, Reply
from bot.core.registry import Registry
from bot.core.richtext import bold, code, line
from bot.services import linking


def register(registry: Registry) -> None:
    registry.command(
        "link",
        description=N_("Link your Telegram and Discord accounts (one profile)"),
        args=[
            ArgSpec(
                "code",
                ArgKind.WORD,
                N_("The code from your other platform"),
                required=False,
                max_length=16,
            )
        ],
    )(link)


async def link(ctx: CommandContext, args: dict[str, Any]) -> Reply:
    if not args.get("code"):
        new = await linking.new_code(ctx.uow, ctx.member, ctx.now)
        return ctx.reply(
            line(bold(ctx._("Your link code:"), " "), code(new)),
            ctx._("On your other platform, type /link {code} within 15 minutes.", code=new),
            destination=Destination.PRIVATE,
        )
    owner = await linking.link(ctx.uow, ctx.member, args["code"], ctx.now)
    return ctx.reply(
        ctx._("Linked. This account now shares the profile of {name}.", name=owner.display_name),
        destination=Destination.EPHEMERAL,
    )
