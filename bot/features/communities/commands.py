"""One deployment, several communities: which one a private chat acts on, and its admins."""

from __future__ import annotations

from typing import Any

from bot.core.arguments import ArgKind, ArgSpec
from bot.core.context import CommandContext
from bot.core.errors import NotFoundError, UserFacingError
from bot.core.feature import Feature
from bot.core.i18n import N_
from bot.core.messages import Destination, Reply
from bot.core.registry import Audience
from bot.core.richtext import bold, bullets, line
from bot.core.topics import Topic
from bot.features.admin.commands import MEMBER_ARG
from bot.features.profiles.lookup import find_member, roster_scope
from storage.statuses import MembershipRole

feature = Feature("communities", topic=Topic.ACCOUNT)

ROLE_NAMES = {
    MembershipRole.MEMBER: N_("member"),
    MembershipRole.CHAMPION: N_("champion"),
    MembershipRole.ADMIN: N_("admin"),
}


@feature.command("community", description=N_("The communities you belong to"))
async def list_communities(ctx: CommandContext) -> Reply:
    roles = {m.community_id: m.role for m in await ctx.uow.communities.memberships_of(ctx.member)}
    items = []
    for community in await ctx.uow.communities.all():
        if community.id not in roles and not ctx.is_global_admin:
            continue
        role_code = (
            MembershipRole.ADMIN
            if ctx.is_global_admin
            else roles.get(community.id, MembershipRole.MEMBER)
        )
        role = ctx._(ROLE_NAMES[role_code])
        current = " ✓" if community.id == ctx.community.id else ""
        items.append(line(bold(community.name), f" ({community.slug}) · {role}{current}"))
    return ctx.reply(
        bullets(items),
        ctx._("Switch with /community use <short name>."),
        destination=Destination.PERSONAL,
    )


@feature.command(
    "community",
    "use",
    description=N_("Choose the community your private chat with me acts on"),
    args=[ArgSpec("slug", ArgKind.WORD, N_("Community short name"), max_length=64)],
)
async def use_community(ctx: CommandContext, slug: str) -> Reply:
    community = await ctx.uow.communities.by_slug(slug.lower())
    if community is None:
        raise NotFoundError("There is no community “{slug}”.", slug=slug[:64])
    membership = await ctx.uow.communities.membership(community, ctx.member)
    if membership is None and not ctx.is_global_admin:
        raise UserFacingError(
            "You are not a member of {community}. Ask its admins to add you.",
            community=community.name,
        )
    await ctx.uow.communities.prefer(ctx.member, community)
    return ctx.reply(
        ctx._("In private chats, I now act for {community}.", community=community.name),
        destination=Destination.EPHEMERAL,
    )


async def _set_admin(ctx: CommandContext, reference: str, role: MembershipRole) -> Any:
    member = await find_member(ctx.uow, reference, roster_scope(ctx), ctx.translator)
    current = await ctx.uow.communities.membership(ctx.community, member)
    if role == MembershipRole.MEMBER and (current is None or current.role != MembershipRole.ADMIN):
        raise UserFacingError(
            "{name} is not an admin of {community}.",
            name=member.display_name,
            community=ctx.community.name,
        )
    await ctx.uow.communities.set_role(ctx.community, member, role, ctx.now)
    await ctx.audit(
        f"admin.{'add' if role == MembershipRole.ADMIN else 'remove'}", member_id=member.id
    )
    return member


@feature.command(
    "admin",
    "add",
    topic=Topic.ADMIN,
    description=N_("Make a member an admin of this community"),
    args=[MEMBER_ARG],
    audience=Audience.ADMIN,
)
async def add_admin(ctx: CommandContext, member: str) -> Reply:
    target = await _set_admin(ctx, member, MembershipRole.ADMIN)
    return ctx.reply(
        ctx._(
            "{name} is now an admin of {community}.",
            name=target.display_name,
            community=ctx.community.name,
        ),
        destination=Destination.EPHEMERAL,
    )


@feature.command(
    "admin",
    "remove",
    topic=Topic.ADMIN,
    description=N_("Remove a member from this community's admins"),
    args=[MEMBER_ARG],
    audience=Audience.ADMIN,
)
async def remove_admin(ctx: CommandContext, member: str) -> Reply:
    target = await _set_admin(ctx, member, MembershipRole.MEMBER)
    return ctx.reply(
        ctx._(
            "{name} is no longer an admin of {community}.",
            name=target.display_name,
            community=ctx.community.name,
        ),
        destination=Destination.EPHEMERAL,
    )
