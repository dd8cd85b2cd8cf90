"""The weekly digest: posted on schedule, previewed with /digest, exported for the newsletter."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.config import Settings
from bot.core.arguments import ArgKind, ArgSpec, Choice
from bot.core.context import CommandContext
from bot.core.feature import Feature
from bot.core.i18n import N_
from bot.core.messages import Attachment, Destination, Reply
from bot.core.ports import Ports
from bot.core.registry import Audience
from bot.core.topics import Topic
from bot.features.admin.exports import EXTENSIONS, MIME_TYPES, ExportFormat
from bot.features.digest import service as digest

feature = Feature("digest", topic=Topic.ADMIN)

FORMATS = tuple(Choice(f.value, f.value) for f in ExportFormat if f is not ExportFormat.CSV)
"""A digest is prose: JSON, Markdown or HTML (no CSV)."""


@feature.command(
    "digest",
    description=N_("Preview this week's digest"),
    audience=Audience.ADMIN,
)
async def preview(ctx: CommandContext) -> Reply:
    built = await digest.build(
        ctx.uow, ctx.community, ctx.now - timedelta(days=7), ctx.now, ctx.translator
    )
    return Reply(
        body=digest.as_document(built, ctx.translator),
        destination=Destination.PERSONAL,
        rtl=ctx.translator.rtl,
    )


@feature.command(
    "digest",
    "export",
    description=N_("The digest of the last seven days as a file for the newsletter"),
    args=[ArgSpec("format", ArgKind.CHOICE, N_("File format"), required=False, choices=FORMATS)],
    audience=Audience.ADMIN,
)
async def export(ctx: CommandContext, format: str | None = None) -> Reply:
    fmt = ExportFormat(format or "markdown")
    built = await digest.build(
        ctx.uow, ctx.community, ctx.now - timedelta(days=7), ctx.now, ctx.translator
    )
    text = digest.as_file(built, fmt, ctx.translator)
    filename = f"{ctx.community.slug}-digest-{ctx.now.date().isoformat()}.{EXTENSIONS[fmt]}"
    await ctx.audit("digest.export", format=fmt.value)
    return Reply(
        body=ctx.reply(ctx._("Here is the digest of the last seven days.")).body,
        destination=Destination.PRIVATE,
        attachments=(Attachment(filename, text.encode(), MIME_TYPES[fmt]),),
    )


@feature.periodic
async def post_digests(ports: Ports, now: datetime) -> int:
    """Post each community's digest at its scheduled time (once: the outbox key holds it)."""
    posted = 0
    async with ports.unit_of_work() as uow:
        for config in ports.services[Settings].all_communities:
            if not config.digest_cron:
                continue
            community = await uow.communities.by_slug(config.slug)
            if community is not None:
                posted += await digest.post_if_due(uow, community, config.digest_cron, now)
    return posted
