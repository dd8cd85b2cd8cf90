"""Admin tools: the roster of champions, stats, exports and the audit log."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from bot.config import Settings
from bot.core.arguments import ArgKind, ArgSpec, Choice
from bot.core.context import CommandContext
from bot.core.errors import UserFacingError
from bot.core.feature import Feature
from bot.core.i18n import N_
from bot.core.messages import Attachment, Destination, Reply
from bot.core.registry import Audience
from bot.core.richtext import bold, bullets, line
from bot.core.topics import Topic
from bot.core.vocab import REGIONS, label
from bot.features.admin import exports, picture, roster, stats
from bot.features.profiles.lookup import find_member, roster_scope
from storage.statuses import MembershipRole

feature = Feature("admin", topic=Topic.ADMIN)

MEMBER_ARG = ArgSpec(
    "member", ArgKind.MEMBER, N_("Member name, @username or #number"), max_length=100
)


async def _set_champion(ctx: CommandContext, reference: str, role: MembershipRole) -> Any:
    member = await find_member(ctx.uow, reference, roster_scope(ctx), ctx.translator)
    current = await ctx.uow.communities.membership(ctx.community, member)
    if current is not None and current.role == MembershipRole.ADMIN:
        raise UserFacingError(
            "{name} is an admin of this community; remove them from the admins first.",
            name=member.display_name,
        )
    if role == MembershipRole.MEMBER and (
        current is None or current.role != MembershipRole.CHAMPION
    ):
        raise UserFacingError("{name} is not a champion.", name=member.display_name)
    await ctx.uow.communities.set_role(ctx.community, member, role, ctx.now)
    await ctx.audit(
        f"champion.{'approve' if role == MembershipRole.CHAMPION else 'remove'}",
        member_id=member.id,
    )
    return member


@feature.command(
    "champion",
    "approve",
    description=N_("Make a member a champion"),
    args=[MEMBER_ARG],
    audience=Audience.ADMIN,
)
async def approve_champion(ctx: CommandContext, member: str) -> list[Reply]:
    target = await _set_champion(ctx, member, MembershipRole.CHAMPION)
    region = ctx._(label(REGIONS, target.region) or "no region yet")
    return [
        ctx.reply(
            ctx._(
                "{name} is now a champion of {community} ({region}).",
                name=target.display_name,
                community=ctx.community.name,
                region=region,
            ),
            destination=Destination.EPHEMERAL,
        ),
    ]


@feature.command(
    "champion",
    "remove",
    description=N_("Remove a member from the champions"),
    args=[MEMBER_ARG],
    audience=Audience.ADMIN,
)
async def remove_champion(ctx: CommandContext, member: str) -> Reply:
    target = await _set_champion(ctx, member, MembershipRole.MEMBER)
    return ctx.reply(
        ctx._("{name} is no longer a champion.", name=target.display_name),
        destination=Destination.EPHEMERAL,
    )


@feature.command(
    "champion",
    "list",
    featured=True,
    description=N_("Champions per region, and where some are missing"),
    args=[
        ArgSpec(
            "format",
            ArgKind.CHOICE,
            N_("File format"),
            required=False,
            choices=(Choice("csv", "CSV"),),
        )
    ],
    audience=Audience.ADMIN,
)
async def list_champions(ctx: CommandContext, format: str | None = None) -> Reply:
    wanted = ctx.services[Settings].community_named(ctx.community.slug).champions_per_region
    rows = await roster.region_balance(ctx.uow, ctx.community, wanted)
    total = sum(row.count for row in rows)
    items = []
    missing = []
    for row in rows:
        shown = list(row.names)
        if row.more:
            shown.append(ctx.ngettext("{count} more", "{count} more", row.more))
        names = ctx.translator.format_list(shown) or ctx._("none yet")
        region = ctx._(label(REGIONS, row.region) or "No region")
        count = f"{row.count}/{row.wanted}" if row.region else str(row.count)
        items.append(line(bold(region), f" ({count}): ", names))
        if row.missing:
            missing.append(
                ctx.ngettext(
                    "{region}: {count} missing",
                    "{region}: {count} missing",
                    row.missing,
                    region=region,
                )
            )
    blocks: list[Any] = [
        line(
            bold(
                ctx._(
                    "Champions of {community}: {total}", community=ctx.community.name, total=total
                )
            )
        ),
        bullets(items),
    ]
    if missing:
        blocks.append(line(bold(ctx._("Still missing")), ctx.translator.colon, "; ".join(missing)))
    else:
        blocks.append(ctx._("Every region has its champions."))
    files: tuple[Attachment, ...] = ()
    if format == "csv":
        everyone = await ctx.uow.communities.with_role_rows(ctx.community, MembershipRole.CHAMPION)
        files = (Attachment("champions.csv", roster.to_csv(everyone), "text/csv"),)
    elif any(row.more for row in rows):
        blocks.append(ctx._("Every name, as a file: /champion list csv"))
    return ctx.reply(*blocks, attachments=files, destination=Destination.PERSONAL)


@feature.command(
    "stats",
    featured=True,
    description=N_("How alive the network is over a period"),
    args=[
        ArgSpec(
            "days",
            ArgKind.INTEGER,
            N_("Number of days (default 30)"),
            required=False,
            minimum=1,
            maximum=3660,
        )
    ],
    audience=Audience.ADMIN,
)
async def show_stats(ctx: CommandContext, days: int = 30) -> Reply:
    days = days
    if not 1 <= days <= 3660:
        raise UserFacingError("Choose a period between 1 and 3660 days.")
    until = ctx.now
    since = until - timedelta(days=days)
    rows = await stats.collect(ctx.uow, ctx.community, since, until)
    balance = await roster.region_counts(ctx.uow, ctx.community)
    per_region = [
        line(ctx._(label(REGIONS, region) or "No region"), f": {count}")
        for region, count in balance
    ]
    names = [
        (
            (label(REGIONS, region) or "No region")
            if ctx.translator.rtl
            else ctx._(label(REGIONS, region) or "No region"),
            count,
        )
        for region, count in balance
    ]
    chart = await picture.stats_picture(ctx, since, until, names)
    return ctx.reply(
        line(
            bold(
                ctx.ngettext(
                    "{community}, the last {count} day",
                    "{community}, the last {count} days",
                    days,
                    community=ctx.community.name,
                )
            )
        ),
        bullets([line(ctx._(title), f": {value}") for title, value in rows]),
        line(bold(ctx._("Champions per region"))),
        bullets(per_region),
        attachments=(chart,),
        destination=Destination.PERSONAL,
    )


@feature.command(
    "export",
    description=N_("Export profiles or stories for the hub website or newsletter"),
    args=[
        ArgSpec(
            "what",
            ArgKind.CHOICE,
            N_("What to export"),
            choices=tuple(Choice(k.value, k.value) for k in exports.ExportKind),
        ),
        ArgSpec(
            "format",
            ArgKind.CHOICE,
            N_("File format"),
            required=False,
            choices=tuple(Choice(f.value, f.value) for f in exports.ExportFormat),
        ),
    ],
    audience=Audience.ADMIN,
)
async def export_file(ctx: CommandContext, what: str, format: str | None = None) -> Reply:
    kind = exports.ExportKind(what)
    fmt = exports.ExportFormat(format or "html")
    filename, data = await exports.export(
        ctx.uow, ctx.community, kind, fmt, ctx.translator, ctx.now
    )
    mime = exports.MIME_TYPES[fmt]
    await ctx.audit("export", what=kind.value, format=fmt.value)
    note = (
        ctx._("Here is the export: figures only, nobody is named.")
        if kind is exports.ExportKind.NETWORKING
        else ctx._("Here is the export. Only members who agreed to publication appear.")
    )
    return Reply(
        body=ctx.reply(note).body,
        destination=Destination.PRIVATE,
        attachments=(Attachment(filename, data, mime),),
        rtl=ctx.translator.rtl,
    )


def _detail(ctx: CommandContext, value: object) -> object:
    """An audit detail as read: an ISO instant (stored so) in the reader's zone and language."""
    if isinstance(value, str) and "T" in value:
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return value
        if moment.tzinfo is not None:
            return ctx.translator.format_datetime(moment, ctx.zone, show_zone=False)
    return value


@feature.command(
    "audit",
    description=N_("Recent admin actions"),
    args=[ArgSpec("count", ArgKind.INTEGER, N_("How many (default 20)"), required=False)],
    audience=Audience.ADMIN,
)
async def show_audit(ctx: CommandContext, count: int = 20) -> Reply:
    count = min(max(count, 1), 100)
    entries = await ctx.uow.audit.recent(ctx.community.id, count)
    items = []
    named = await ctx.uow.members.by_ids(
        [entry.actor_member_id for entry in entries]
        + [s for entry in entries if isinstance(s := entry.detail.get("member_id"), int)]
    )  # one statement for every name on the page, not two per entry
    for entry in entries:
        actor = named.get(entry.actor_member_id) if entry.actor_member_id else None
        subject_id = entry.detail.get("member_id")
        subject = named.get(subject_id) if isinstance(subject_id, int) else None
        who = actor.display_name if actor else ctx._("former member")
        details = {k: v for k, v in entry.detail.items() if k != "member_id"}
        text = f"{ctx.translator.format_datetime(entry.at, ctx.zone, show_zone=False)} · {who} · "
        text += entry.action
        if subject is not None:
            text += f" → {subject.display_name}"
        elif "member_id" in entry.detail:
            text += " → " + ctx._("former member")
        if details:
            shown = (f"{k}={_detail(ctx, v)}" for k, v in sorted(details.items()))
            text += " " + ", ".join(shown)
        items.append(line(text))
    if not items:
        return ctx.reply(ctx._("No admin actions recorded yet."), destination=Destination.PERSONAL)
    return ctx.reply(
        line(bold(ctx._("Recent admin actions"))),
        line(ctx._("Times in {zone}.", zone=ctx.translator.zone_label(ctx.zone))),
        bullets(items),
        destination=Destination.PERSONAL,
    )
