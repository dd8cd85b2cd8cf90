"""Curation help: members vote on resources and flag broken or outdated links (the buttons
under each ``/resources`` result); admins see the flags and fix or retire resources.

One vote per member and resource (pressing the other button changes it); one open flag per
member and resource (flagging again changes its reason). Flags from the periodic link check
(:mod:`bot.features.hub.linkcheck`) have no member. Admin actions are audited and checked on
the resource's own community, as ``/resource edit`` is.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.core.arguments import ArgKind, ArgSpec, Choice, as_id
from bot.core.context import CommandContext
from bot.core.errors import NotFoundError, UserFacingError
from bot.core.i18n import N_
from bot.core.messages import Button, Destination, Reply
from bot.core.ports import Ports
from bot.core.registry import Audience
from bot.core.richtext import Link, bold, bullets, code, line
from bot.features.hub.admin_commands import clean_record, refuse_duplicate, resource_to_curate
from bot.features.hub.commands import feature
from bot.features.hub.linkcheck import link_check_job
from bot.features.hub.service import HubService
from storage.models import Resource
from storage.repositories.resources import EDITABLE_FIELDS
from storage.statuses import FlagReason

RESOURCE_ARG = ArgSpec("id", ArgKind.RESOURCE, N_("Resource number"), suggest="resources")
REASONS = {
    FlagReason.BROKEN: N_("broken link"),
    FlagReason.OUTDATED: N_("outdated"),
    FlagReason.DEAD: N_("dead link (link check)"),
}


async def shown_resource(ctx: CommandContext, raw: str) -> Resource:
    """A resource members can see (any of the catalogue, not retired)."""
    number = as_id(str(raw).strip().lstrip("#"))
    resource = await ctx.uow.resources.get(number) if number is not None else None
    if resource is None or number in await ctx.uow.curation.retired_ids():
        raise NotFoundError(N_("There is no resource #{id}."), id=str(raw).lstrip("#")[:12])
    return resource


@feature.periodic
async def check_links_when_due(ports: Ports, now: datetime) -> int:
    """The bounded link check of every sweep (off unless ``[hub] link_check_per_run``)."""
    return await link_check_job(ports, now)


@feature.command(
    "resource",
    "vote",
    description=N_("Say whether a resource helped you"),
    args=[
        RESOURCE_ARG,
        ArgSpec(
            "vote",
            ArgKind.CHOICE,
            N_("up or down"),
            choices=(Choice("up", "up"), Choice("down", "down")),
        ),
    ],
    hidden=True,
)
async def vote(ctx: CommandContext, id: str, vote: str) -> Reply:
    resource = await shown_resource(ctx, id)
    helpful = vote == "up"
    changed = await ctx.uow.curation.vote(resource.id, ctx.member.id, helpful, ctx.now)
    if not changed:
        said = ctx._("You had already said that about #{id}.", id=resource.id)
    elif helpful:
        said = ctx._("Thank you: you found #{id} helpful.", id=resource.id)
    else:
        said = ctx._("Thank you: you found #{id} not helpful.", id=resource.id)
    return ctx.reply(said, destination=Destination.EPHEMERAL)


@feature.command(
    "resource",
    "flag",
    description=N_("Report a broken or outdated resource"),
    args=[
        RESOURCE_ARG,
        ArgSpec(
            "reason",
            ArgKind.CHOICE,
            N_("broken or outdated"),
            required=False,
            choices=(Choice("broken", "broken"), Choice("outdated", "outdated")),
        ),
    ],
    hidden=True,
)
async def flag(ctx: CommandContext, id: str, reason: str | None = None) -> Reply:
    resource = await shown_resource(ctx, id)
    if reason is None:
        return ctx.reply(
            ctx._("What is wrong with #{id} {title}?", id=resource.id, title=resource.title),
            destination=Destination.EPHEMERAL,
            buttons=(
                (
                    Button(ctx._("The link is broken"), f"resource flag {resource.id} broken"),
                    Button(ctx._("It is outdated"), f"resource flag {resource.id} outdated"),
                ),
            ),
        )
    await ctx.uow.curation.flag(resource.id, ctx.member.id, FlagReason(reason), ctx.now)
    return ctx.reply(
        ctx._("Thank you: the curators will look at #{id}.", id=resource.id),
        destination=Destination.EPHEMERAL,
    )


def _curated_by(ctx: CommandContext) -> set[int | None] | None:
    """Whose resources this admin curates: their community's; the secretariat every one
    (``None``), the imported shared catalogue included."""
    return None if ctx.is_global_admin else {ctx.community.id}


@feature.command(
    "resource", "flags", description=N_("Resources reported broken or outdated"),
    audience=Audience.ADMIN,
)  # fmt: skip
async def show_flags(ctx: CommandContext) -> Reply:
    found = await ctx.uow.curation.open_flags(_curated_by(ctx), limit=200)
    if not found:
        return ctx.reply(ctx._("No open flag: the catalogue looks fine."),
                         destination=Destination.PERSONAL)  # fmt: skip
    by_resource: dict[int, tuple[Resource, list[Any]]] = {}
    for flag_row, resource in found:
        by_resource.setdefault(resource.id, (resource, []))[1].append(flag_row)
    items = []
    for resource, flags in list(by_resource.values())[:30]:
        reasons: dict[str, int] = {}
        for flag_row in flags:
            text = ctx._(REASONS[flag_row.reason])
            if flag_row.detail:
                text += f" ({flag_row.detail})"
            reasons[text] = reasons.get(text, 0) + 1
        said = ", ".join(f"{text} ×{n}" if n > 1 else text for text, n in reasons.items())
        parts: list[Any] = [code(f"#{resource.id}"), " ", bold(resource.title), " — ", said]
        if resource.url:
            parts.extend([" — ", Link(resource.url, resource.url)])
        items.append(line(*parts))
    return ctx.reply(
        line(
            bold(
                ctx.ngettext(
                    "Flagged resources ({count} resource)",
                    "Flagged resources ({count} resources)",
                    len(by_resource),
                )
            )
        ),
        bullets(items),
        line(ctx._("Fix a link with "), code("/resource fix ID https://..."),
             ctx._(", or retire it with "), code("/resource retire ID")),
        destination=Destination.PERSONAL,
    )  # fmt: skip


@feature.command(
    "resource",
    "fix",
    description=N_("Give a flagged resource a new link"),
    args=[RESOURCE_ARG, ArgSpec("url", ArgKind.WORD, N_("The new link"), max_length=1000)],
    audience=Audience.ADMIN,
)
async def fix_resource(ctx: CommandContext, id: str, url: str) -> Reply:
    resource = await resource_to_curate(ctx, id)
    current = {name: getattr(resource, name) for name in EDITABLE_FIELDS}
    key, values = clean_record({**current, "url": str(url).strip()})
    await refuse_duplicate(ctx, key, resource.id)
    await ctx.uow.resources.update(resource, values, now=ctx.now, dedup_key=key)
    resolved = await ctx.uow.curation.resolve_flags(resource.id, ctx.now)
    health = await ctx.uow.curation.health(resource.id)
    health.failures, health.next_check_at, health.retired_at = 0, None, None
    resource.updated_at = ctx.now
    await ctx.uow.resources.changed(resource.id, ctx.now)  # back in the index
    await ctx.audit("resource.fix", within=resource.community_id, resource_id=resource.id,
                    resolved_flags=resolved)  # fmt: skip
    ctx.services[HubService].invalidate()
    return ctx.reply(
        line(ctx._("Fixed resource #{id}:", id=resource.id), " ", bold(resource.title)),
        line(Link(str(resource.url), str(resource.url))),
    )


@feature.command(
    "resource",
    "retire",
    description=N_("Take a resource out of search results (kept, so imports skip it)"),
    args=[RESOURCE_ARG],
    audience=Audience.ADMIN,
)
async def retire_resource(ctx: CommandContext, id: str) -> Reply:
    resource = await resource_to_curate(ctx, id)
    health = await ctx.uow.curation.health(resource.id)
    if health.retired_at is not None:
        raise UserFacingError(N_("Resource #{id} is already retired."), id=resource.id)
    health.retired_at = ctx.now
    resolved = await ctx.uow.curation.resolve_flags(resource.id, ctx.now)
    resource.updated_at = ctx.now
    await ctx.uow.resources.changed(resource.id, ctx.now)  # out of the index
    await ctx.audit("resource.retire", within=resource.community_id, resource_id=resource.id,
                    title=resource.title, resolved_flags=resolved)  # fmt: skip
    ctx.services[HubService].invalidate()
    return ctx.reply(
        line(ctx._("Retired resource #{id}:", id=resource.id), " ", bold(resource.title))
    )
