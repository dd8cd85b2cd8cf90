"""Members find events and join them: /webinars, /rsvp (and ``/start rsvp-12``), /unrsvp,
/reminders, and calendar files (/calendar, /ics)."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.core.arguments import ArgKind, ArgSpec, as_id
from bot.core.context import CommandContext
from bot.core.errors import NotFoundError, UsageError, UserFacingError
from bot.core.i18n import N_
from bot.core.messages import Attachment, Button, Destination, Reply
from bot.core.richtext import bold, code, line
from bot.core.timezones import shown_zone
from bot.features.events.calendar import ICS_MIME, calendar_bytes
from bot.features.events.cards import reminders_text
from bot.features.events.commands import (
    ID_ARG,
    OFFSETS_ARG,
    _card,
    _event,
    _visible,
    _wake,
    feature,
)
from bot.features.events.input import minutes_of
from bot.features.events.reminders import sync_reminders
from bot.features.events.service import member_view, next_occurrence
from storage.folding import fold_name
from storage.models import Event


@feature.command("webinars", featured=True, description=N_("Upcoming webinars and trainings"))
async def list_events(ctx: CommandContext) -> list[Reply]:
    """Personal: times in the reader's zone ("at night for you"), their RSVPs, their region's
    events; in a group they go to the reader, and the group reads a pointer."""
    personal = Destination.PERSONAL
    upcoming: list[tuple[datetime, Event]] = []
    for event in await ctx.uow.events.scheduled():
        moment = next_occurrence(event, ctx.now)
        if moment is not None and await _visible(ctx, event):
            upcoming.append((moment, event))
    if not upcoming:
        return [ctx.reply(ctx._("No upcoming events right now."), destination=personal)]
    upcoming.sort(key=lambda pair: pair[0])
    times_in = ctx._("Upcoming events (times in {zone})", zone=shown_zone(ctx.zone))
    header = ctx.reply(line(bold(times_in)), destination=personal)
    return [header, *[await _card(ctx, event) for _, event in upcoming[:10]]]


async def _join(ctx: CommandContext, event_id: int) -> list[Reply]:
    event = await _event(ctx, event_id, scheduled=True)
    if next_occurrence(event, ctx.now) is None:
        raise UserFacingError("Event #{id} is over.", id=event_id)
    rsvp_row, new = await ctx.uow.events.add_rsvp(
        event.id, ctx.member.id, platform=ctx.request.place.platform.value, now=ctx.now
    )
    await sync_reminders(ctx.uow, event, now=ctx.now, wake=_wake(ctx), member_id=ctx.member.id)
    offsets = rsvp_row.offsets if rsvp_row.offsets is not None else event.offsets
    translator, _zone = member_view(ctx.member, ctx.community)
    text = (
        ctx._(
            "You're in for “{title}”. I will remind you {delays}.",
            title=event.title,
            delays=reminders_text(offsets, translator),
        )
        if new
        else ctx._("You had already joined “{title}”.", title=event.title)
    )
    return [
        ctx.reply(
            line(bold(text)),
            line(ctx._("Change the reminders with "), code(f"/reminders {event.id} 24h,1h"), "."),
            destination=Destination.EPHEMERAL,
            buttons=((Button(ctx._("Add to calendar (.ics)"), f"ics {event.id}"),),),
        )
    ]


@feature.command(
    "rsvp", featured=True, description=N_("Join an event and get reminders"), args=[ID_ARG]
)
async def rsvp(ctx: CommandContext, id: int) -> list[Reply]:
    return await _join(ctx, id)


@feature.deep_link_prefix("rsvp-")
async def rsvp_deep_link(ctx: CommandContext, payload: str) -> list[Reply]:
    number = as_id(payload.removeprefix("rsvp-"))
    if number is None:
        raise NotFoundError("That link is not valid any more. See /webinars.")
    return await _join(ctx, number)


@feature.command("unrsvp", description=N_("Leave an event"), args=[ID_ARG])
async def unrsvp(ctx: CommandContext, id: int) -> Reply:
    event = await _event(ctx, id)
    if not await ctx.uow.events.remove_rsvp(event.id, ctx.member.id):
        raise UserFacingError("You had not joined event #{id}.", id=event.id)
    await sync_reminders(ctx.uow, event, now=ctx.now, wake=_wake(ctx), member_id=ctx.member.id)
    return ctx.reply(
        ctx._("You left “{title}”; no more reminders for it.", title=event.title),
        destination=Destination.EPHEMERAL,
    )


OFF_WORDS = frozenset(
    {"off", "none", "no", "stop", "non", "aucun", "aucune", "desactiver", "ninguno",
     "ninguna", "desactivar", "ايقاف", "لا", "بدون"}
)  # fmt: skip
"""What turns reminders off, folded (``désactiver`` → ``desactiver``), in the four languages."""

REMINDER_OFFSETS_ARG = ArgSpec("offsets", ArgKind.TEXT, N_("Like 24h,1h, or off"), max_length=60)


@feature.command(
    "reminders",
    description=N_("Choose when you are reminded of an event"),
    args=[ID_ARG, REMINDER_OFFSETS_ARG],
)
async def set_reminders(ctx: CommandContext, id: int, offsets: str) -> Reply:
    off = fold_name(offsets) in OFF_WORDS
    wanted = [] if off else minutes_of(OFFSETS_ARG.convert(offsets))
    event = await _event(ctx, id, scheduled=True)
    found = await ctx.uow.events.rsvp(event.id, ctx.member.id)
    if found is None:
        raise UserFacingError("Join event #{id} first with /rsvp {id}.", id=event.id)
    if off:
        found.offsets = []
        await sync_reminders(ctx.uow, event, now=ctx.now, wake=_wake(ctx), member_id=ctx.member.id)
        return ctx.reply(
            ctx._("No more reminders for “{title}”.", title=event.title),
            destination=Destination.EPHEMERAL,
        )
    upcoming = next_occurrence(event, ctx.now)  # of a series: the next session
    left = (upcoming - ctx.now) if upcoming is not None and upcoming > ctx.now else None
    past = [m for m in wanted if left is not None and timedelta(minutes=m) >= left]
    if past:
        raise UsageError(
            "“{title}” starts {left}: a reminder {delays} would already be past.",
            title=event.title,
            left=ctx.translator.duration(left or timedelta(0), direction=True),
            delays=reminders_text(past, ctx.translator),
        )
    found.offsets = wanted
    await sync_reminders(ctx.uow, event, now=ctx.now, wake=_wake(ctx), member_id=ctx.member.id)
    return ctx.reply(
        ctx._(
            "Reminders for “{title}”: {delays}.",
            title=event.title,
            delays=reminders_text(found.offsets, ctx.translator),
        ),
        destination=Destination.EPHEMERAL,
    )


@feature.command(
    "calendar", featured=True, description=N_("Get a calendar file of the events you joined")
)
async def my_calendar(ctx: CommandContext) -> Reply:
    events = await ctx.uow.events.joined_by(ctx.member.id)  # cancelled ones cancel on re-import
    if not events:
        raise UserFacingError("You have not joined any event yet. See /webinars.")
    return ctx.reply(
        ctx.ngettext(
            "Your event, ready for your calendar ({count} event).",
            "Your events, ready for your calendar ({count} events).",
            len(events),
        ),
        destination=Destination.PRIVATE,
        attachments=(Attachment("champions-events.ics", calendar_bytes(events), ICS_MIME),),
    )


@feature.command("ics", description=N_("Get a calendar file of one event"), args=[ID_ARG])
async def one_calendar(ctx: CommandContext, id: int) -> Reply:
    event = await _event(ctx, id)
    return ctx.reply(
        ctx._("“{title}” for your calendar.", title=event.title),
        destination=Destination.PRIVATE,
        attachments=(Attachment(f"event-{event.id}.ics", calendar_bytes([event]), ICS_MIME),),
    )
