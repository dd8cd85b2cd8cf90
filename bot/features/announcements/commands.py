"""/announce: an admin message to every linked chat, and optionally to every champion."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.core.arguments import ArgKind, ArgSpec, Choice
from bot.core.context import CommandContext
from bot.core.errors import NotFoundError
from bot.core.feature import Feature
from bot.core.i18n import N_
from bot.core.messages import Destination, Reply, SentMessage
from bot.core.ports import Ports
from bot.core.registry import Audience
from bot.core.richtext import bold, line
from bot.core.topics import Topic
from bot.features.announcements import service as announcements
from bot.features.profiles.service import clean_text
from storage.models import Announcement
from storage.statuses import AnnouncementAudience, OutboxStatus

feature = Feature("announcements", topic=Topic.ADMIN)

AUDIENCES = (
    Choice(AnnouncementAudience.CHATS, N_("the linked chats")),
    Choice(AnnouncementAudience.CHAMPIONS, N_("every champion, privately")),
    Choice(AnnouncementAudience.EVERYONE, N_("the chats and every champion")),
)


@feature.periodic
async def report_finished(ports: Ports, now: datetime) -> int:
    """Catch fan-outs whose last row failed or was missed (no send hook ran for it)."""
    reported = 0
    async with ports.unit_of_work() as uow:
        for announcement_id in await announcements.unfinished(uow):
            reported += await announcements.report_if_complete(uow, announcement_id, now)
    return reported


async def _publish(ctx: CommandContext, audience: str, text: str, ping: bool) -> Reply:
    body = clean_text(text, limit=3500, what="text")
    announcement, queued = await announcements.publish(
        ctx.uow,
        ctx.community,
        ctx.member,
        body,
        AnnouncementAudience(audience),
        ping_role=ping,
        now=ctx.now,
    )
    await ctx.audit("announce", announcement_id=announcement.id, audience=audience, ping=ping)
    if queued == 0:
        return ctx.reply(
            ctx._("Nobody to send it to: link a chat to the community or approve champions."),
            destination=Destination.EPHEMERAL,
        )
    return ctx.reply(
        line(bold(ctx._("Announcement #{id} is on its way.", id=announcement.id))),
        ctx.ngettext(
            "{count} delivery queued. I will tell you when it is done; "
            "/announce status {id} shows the progress.",
            "{count} deliveries queued. I will tell you when they are done; "
            "/announce status {id} shows the progress.",
            queued,
            id=announcement.id,
        ),
        destination=Destination.EPHEMERAL,
    )


@feature.command(
    "announce",
    featured=True,
    description=N_("Send an announcement to the community's chats (and champions)"),
    args=[
        ArgSpec("audience", ArgKind.CHOICE, N_("Who receives it"), choices=AUDIENCES),
        ArgSpec("text", ArgKind.TEXT, N_("The announcement"), max_length=3500, long=True),
    ],
    audience=Audience.ADMIN,
)
async def announce(ctx: CommandContext, audience: str, text: str) -> Reply:
    return await _publish(ctx, audience, text, ping=False)


@feature.command(
    "announce",
    "ping",
    description=N_("Announce to the chats and ping the announcement role on Discord"),
    args=[ArgSpec("text", ArgKind.TEXT, N_("The announcement"), max_length=3500, long=True)],
    audience=Audience.ADMIN,
)
async def announce_with_ping(ctx: CommandContext, text: str) -> Reply:
    return await _publish(ctx, AnnouncementAudience.CHATS, text, ping=True)


@feature.command(
    "announce",
    "status",
    description=N_("How far an announcement has been delivered"),
    args=[ArgSpec("id", ArgKind.INTEGER, N_("Announcement number"))],
    audience=Audience.ADMIN,
)
async def status(ctx: CommandContext, id: int) -> Reply:
    missing = NotFoundError("There is no announcement #{id}.", id=id)
    announcement = ctx.administered(await ctx.uow.session.get(Announcement, id), missing)
    counts = await announcements.progress(ctx.uow, announcement.id)
    return ctx.reply(
        line(bold(ctx._("Announcement #{id}", id=announcement.id))),
        ctx._(
            "Sent: {sent}. Waiting: {waiting}. Failed: {failed}. Missed: {missed}.",
            sent=announcements.delivered(counts),
            waiting=counts.get(OutboxStatus.PENDING, 0) + counts.get(OutboxStatus.SENDING, 0),
            failed=counts.get(OutboxStatus.FAILED, 0),
            missed=counts.get(OutboxStatus.MISSED, 0),
        ),
        destination=Destination.PERSONAL,
    )


@feature.on_sent("announcement")
async def after_delivery(uow: Any, row: Any, sent: SentMessage) -> None:
    """After each delivery: when it was the last one, the author hears the final count."""
    announcement_id = row.payload.get("meta", {}).get("announcement_id")
    if isinstance(announcement_id, int):
        await announcements.report_if_complete(uow, announcement_id, row.claimed_at or row.due_at)
