"""/meet for admins: the rhythm, the group size, a round now, the report; the periodic jobs."""

from __future__ import annotations

from datetime import datetime

from bot.config import Settings
from bot.core.arguments import ArgKind, ArgSpec, Choice
from bot.core.context import CommandContext
from bot.core.errors import UsageError, UserFacingError
from bot.core.i18n import N_
from bot.core.messages import Destination, Reply
from bot.core.ports import Ports
from bot.core.registry import Audience
from bot.core.richtext import bold, line
from bot.features.networking import followup, report, rounds, schedule
from bot.features.networking.commands import feature
from storage.models import Community
from storage.statuses import MeetCadence

CADENCES = (
    Choice(MeetCadence.WEEKLY, N_("every week")),
    Choice(MeetCadence.BIWEEKLY, N_("every two weeks")),
    Choice(MeetCadence.MONTHLY, N_("every month")),
)
DAYS = (
    Choice("monday", N_("Monday")),
    Choice("tuesday", N_("Tuesday")),
    Choice("wednesday", N_("Wednesday")),
    Choice("thursday", N_("Thursday")),
    Choice("friday", N_("Friday")),
    Choice("saturday", N_("Saturday")),
    Choice("sunday", N_("Sunday")),
)
SIZES = (Choice("2", N_("pairs")), Choice("3", N_("groups of three")))


@feature.command(
    "meet",
    "schedule",
    description=N_("Set when pairing rounds start (community's time zone)"),
    args=[
        ArgSpec("cadence", ArgKind.CHOICE, N_("How often"), choices=CADENCES),
        ArgSpec("day", ArgKind.CHOICE, N_("Day of the week"), choices=DAYS),
        ArgSpec("at", ArgKind.TEXT, N_("Hour, e.g. 09:00"), max_length=20),
    ],
    audience=Audience.ADMIN,
)
async def set_schedule(ctx: CommandContext, cadence: str, day: str, at: str) -> Reply:
    when = schedule.parse_time_of_day(at)
    if when is None:
        raise UsageError("“{value}” is not an hour: write it like 09:00.", value=at)
    settings = await ctx.uow.meet.settings(ctx.community.id)
    settings.cadence = MeetCadence(cadence)
    settings.weekday = schedule.WEEKDAYS.index(day)
    settings.time_of_day = when.strftime("%H:%M")
    settings.enabled = True
    await ctx.audit("meet.schedule", cadence=cadence, day=day, at=settings.time_of_day)
    return ctx.reply(
        ctx._(
            "Pairing rounds start {cadence}, on {day} at {time} ({zone}).",
            cadence=ctx._(next(c.label for c in CADENCES if c.value == cadence)),
            day=ctx._(next(d.label for d in DAYS if d.value == day)),
            time=settings.time_of_day,
            zone=ctx.community.timezone,
        ),
        destination=Destination.EPHEMERAL,
    )


@feature.command(
    "meet",
    "size",
    description=N_("Pairs or groups of three"),
    args=[ArgSpec("size", ArgKind.CHOICE, N_("2 or 3"), choices=SIZES)],
    audience=Audience.ADMIN,
)
async def set_size(ctx: CommandContext, size: str) -> Reply:
    settings = await ctx.uow.meet.settings(ctx.community.id)
    settings.group_size = int(size)
    await ctx.audit("meet.size", size=size)
    return ctx.reply(
        ctx.ngettext(
            "Groups of {count} person from the next round.",
            "Groups of {count} people from the next round.",
            int(size),
        ),
        destination=Destination.EPHEMERAL,
    )


@feature.command(
    "meet", "round", description=N_("Start a pairing round now"), audience=Audience.ADMIN
)
async def round_now(ctx: CommandContext) -> Reply:
    settings = await ctx.uow.meet.settings(ctx.community.id)
    key = f"{ctx.community.id}:now:{ctx.request.update_id or ctx.now.isoformat()}"
    meet_round = await rounds.start_round(
        ctx.uow,
        ctx.community,
        key,
        now=ctx.now,
        ends_at=ctx.now + schedule.round_length(settings),
        size=settings.group_size,
        meeting_channel=ctx.services[Settings].discord.networking_channel_id,
    )
    if meet_round is None:
        raise UserFacingError("That round has already started.")
    pairings = await ctx.uow.meet.pairings(meet_round.id)
    groups = len({p.group_number for p in pairings})
    await ctx.audit("meet.round", round_id=meet_round.id)
    return ctx.reply(
        line(bold(ctx._("Round {number} has started.", number=meet_round.number))),
        ctx.translator.format_list(
            [
                ctx.ngettext("{count} group", "{count} groups", groups),
                ctx.ngettext("{count} member", "{count} members", len(pairings)),
            ]
        ),
        destination=Destination.PERSONAL,
    )


@feature.command(
    "meet",
    "report",
    description=N_("Pairing rounds: participation, meetings, regions"),
    audience=Audience.ADMIN,
)
async def show_report(ctx: CommandContext) -> Reply:
    figures = await report.figures(ctx.uow, ctx.community)
    return ctx.reply(*report.render(figures, ctx.translator), destination=Destination.PERSONAL)


@feature.periodic
async def start_scheduled_rounds(ports: Ports, now: datetime) -> int:
    """Start each community's round at its slot; the slot's key makes this idempotent."""
    started = 0
    async with ports.unit_of_work() as uow:
        for settings in await uow.meet.all_settings():
            community = await uow.session.get(Community, settings.community_id)
            if community is None:
                continue
            slot = schedule.latest_slot(settings, community.timezone, now)
            if slot is None or now - slot > schedule.LATE_START:
                continue
            key = schedule.scheduled_key(community.id, slot, community.timezone)
            made = await rounds.start_round(
                uow,
                community,
                key,
                now=now,
                ends_at=slot + schedule.round_length(settings),
                size=settings.group_size,
                meeting_channel=ports.services[Settings].discord.networking_channel_id,
            )
            started += made is not None
    return started


@feature.periodic
async def ask_did_you_meet(ports: Ports, now: datetime) -> int:
    async with ports.unit_of_work() as uow:
        return await followup.ask_due(uow, now)
