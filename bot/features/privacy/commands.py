"""/mydata and /forget: every member can see and delete what the bot holds about them."""

from __future__ import annotations

import logging

from bot.core.context import CommandContext
from bot.core.feature import Feature
from bot.core.i18n import N_
from bot.core.messages import Attachment, Button, Destination, Reply
from bot.core.richtext import bold, line
from bot.core.topics import Topic
from bot.features.privacy.forgetting import forget_member
from bot.features.privacy.inventory import member_data, member_data_json

log = logging.getLogger(__name__)

feature = Feature("privacy", topic=Topic.ACCOUNT)


@feature.command("mydata", featured=True, description=N_("Get everything the bot stores about you"))
async def my_data(ctx: CommandContext) -> Reply:
    data = await member_data(ctx.uow, ctx.member)
    return Reply(
        body=ctx.reply(ctx._("Here is everything I store about you.")).body,
        destination=Destination.PRIVATE,
        attachments=(
            Attachment(f"my-data-{ctx.member.id}.json", member_data_json(data), "application/json"),
        ),
        rtl=ctx.translator.rtl,
    )


@feature.command("forget", description=N_("Delete your personal data from the bot"))
async def forget(ctx: CommandContext) -> Reply:
    return ctx.reply(
        line(bold(ctx._("Delete your data?"))),
        ctx._(
            "Your profile, accounts, RSVPs and stories will be deleted. Answers you gave stay, "
            "signed “former member”. This cannot be undone."
        ),
        ctx._(
            "Messages already posted in groups stay on Telegram and Discord; the copies I keep "
            "no longer name you."
        ),
        ctx._("To confirm, press the button or type /forget confirm."),
        destination=Destination.PRIVATE,
        buttons=((Button(ctx._("Yes, delete my data"), "forget confirm"),),),
    )


@feature.command("forget", "confirm", description=N_("Confirm deleting your data"), hidden=True)
async def forget_confirmed(ctx: CommandContext) -> Reply:
    reply = ctx.reply(
        ctx._("Your data is deleted. Goodbye, and thank you for your work."),
        destination=Destination.PRIVATE,
    )
    report = await forget_member(ctx.uow, ctx.registry, ctx.member)
    log.info("member forgotten: %s", report)
    return reply
