"""/link: one member across Telegram and Discord."""

from __future__ import annotations

from bot.core.arguments import ArgKind, ArgSpec
from bot.core.context import CommandContext
from bot.core.feature import Feature
from bot.core.i18n import N_
from bot.core.messages import Destination, Reply
from bot.core.richtext import bold, line
from bot.core.richtext import code as monospace
from bot.core.topics import Topic
from bot.features.linking import service as linking

feature = Feature("linking", topic=Topic.ACCOUNT)


@feature.command(
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
)
async def link(ctx: CommandContext, code: str | None = None) -> Reply:
    if not code:
        new = await linking.new_code(ctx.uow, ctx.member, ctx.now)
        return ctx.reply(
            line(bold(ctx._("Your link code:"), " "), monospace(new)),
            ctx._("On your other platform, type /link {code} within 15 minutes.", code=new),
            destination=Destination.PRIVATE,
        )
    owner = await linking.link(ctx.uow, ctx.member, code, ctx.now)
    return ctx.reply(
        ctx._("Linked. This account now shares the profile of {name}.", name=owner.display_name),
        destination=Destination.EPHEMERAL,
    )
