"""Admins schedule events and change them: /webinar add, edit, reschedule, cancel, missed.

Typed form (console, Telegram; Discord fills the same three options)::

    /webinar add "Gender budgeting in LGAs" 2026-11-26 14:00 Europe/Madrid 90m https://... 24h,1h

After the title and the start, the details come in any order: a time zone, a duration, a link
(or ``place="Town hall, Tunis"`` for an in-person event), reminder offsets (``24h,1h``), a
repetition (``weekly``, ``monthly:6``), and ``key=value`` pairs: ``lang=fr``,
``audience=region:mena``, ``speakers="Grace,Amina"``, ``description="..."``.
"""

from __future__ import annotations

from bot.core.arguments import ArgKind, ArgSpec, Choice
from bot.core.context import CommandContext
from bot.core.day_words import WallTime
from bot.core.i18n import N_, Translator
from bot.core.messages import Destination, Platform, Recipient, Reply
from bot.core.richtext import bold, bullets, code, doc, line
from bot.delivery import outbox
from bot.features.events.cards import event_card, when_text
from bot.features.events.commands import (
    ADMIN_ONLY,
    ID_ARG,
    _card,
    _managed_event,
    _speaker_names,
    _wake,
    feature,
)
from bot.features.events.dates import cancel_date, tell_date_cancelled
from bot.features.events.input import (
    EDIT_FIELDS,
    apply_details,
    apply_field,
    aware_start,
    clean_title,
    default_offsets,
)
from bot.features.events.reminders import sync_reminders
from bot.features.events.service import next_occurrence, notify_attendees
from storage.models import Event
from storage.statuses import ChatPurpose, EventAudience, EventStatus


def _changed(ctx: CommandContext, event: Event) -> None:
    """A change attendees must hear about: a new revision (and new notice keys)."""
    event.revision += 1
    event.updated_at = ctx.now


async def _tell_attendees(ctx: CommandContext, event: Event, kind: str, headline: str) -> int:
    """Tell those who RSVP'd, each in their language and zone, with the updated card."""
    moment = next_occurrence(event, ctx.now) or event.starts_at

    def build(translator: Translator, zone: str) -> Reply:
        card = event_card(event, moment, translator, zone)
        body = doc(line(bold(translator.gettext(headline, title=event.title))), *card.body.blocks)
        return Reply(body=body, buttons=card.buttons, rtl=translator.rtl)

    return await notify_attendees(ctx.uow, event, kind, build, now=ctx.now, wake=_wake(ctx))


@feature.command(
    "webinar",
    "add",
    description=N_("Schedule a webinar or training"),
    args=[
        ArgSpec("title", ArgKind.TEXT, N_("Title (in quotes)"), max_length=200),
        ArgSpec("start", ArgKind.DATETIME, N_("Start, like 2026-11-26 14:00")),
        ArgSpec(
            "details",
            ArgKind.TEXT,
            N_("Zone, duration, link or place, reminders"),
            required=False,
            max_length=2000,
        ),
    ],
    **ADMIN_ONLY,
)
async def add_event(
    ctx: CommandContext, title: str, start: WallTime, details: str | None = None
) -> list[Reply]:
    title = clean_title(title)
    event = Event(
        community_id=ctx.community.id,
        title=title,
        starts_at=ctx.now,
        timezone=ctx.zone,
        duration_minutes=60,
        language=ctx.community.default_language,
        speakers=[],
        audience=EventAudience.COMMUNITY,  # widened by audience=all
        offsets=default_offsets(ctx),
        status=EventStatus.SCHEDULED,
        revision=1,
        created_by=ctx.member.id,
        created_at=ctx.now,
        updated_at=ctx.now,
    )
    zone = await apply_details(ctx, event, details or "")
    event.timezone = zone or ctx.zone
    event.starts_at = aware_start(ctx, start, event.timezone)
    await ctx.uow.events.add(event)
    await ctx.audit("event.add", event_id=event.id, title=event.title)
    await sync_reminders(ctx.uow, event, now=ctx.now, wake=_wake(ctx))
    await _announce(ctx, event)
    created = ctx.reply(
        line(bold(ctx._("Scheduled event #{id}.", id=event.id))),
        line(ctx._("Members join with "), code(f"/rsvp {event.id}"), ctx._(" or the RSVP button.")),
        destination=Destination.EPHEMERAL,
    )
    return [created, await _card(ctx, event)]


async def _announce(ctx: CommandContext, event: Event) -> None:
    """Post the card in the community's chats for webinars (through the outbox)."""
    translator = Translator(ctx.community.default_language)
    messages = []
    for chat in await ctx.uow.communities.chats(ctx.community, ChatPurpose.WEBINARS):
        card = event_card(
            event,
            event.starts_at,
            translator,
            event.timezone,
            speakers=await _speaker_names(ctx, event),
        )
        recipient = Recipient(Platform(chat.platform), chat.chat_id, chat.thread_id)
        messages.append(
            outbox.message(
                f"announce:{event.id}:{chat.id}",
                "announcement",
                recipient,
                card,
                ctx.now,
                community_id=ctx.community.id,
                event_id=event.id,
                title=event.title,
            )
        )
    await outbox.enqueue(ctx.uow, messages, now=ctx.now, wake=_wake(ctx))


@feature.command(
    "webinar",
    "edit",
    description=N_("Change one detail of an event"),
    args=[
        ID_ARG,
        ArgSpec(
            "field",
            ArgKind.CHOICE,
            N_("What to change"),
            choices=tuple(Choice(name, name) for name in EDIT_FIELDS),
        ),
        ArgSpec("value", ArgKind.TEXT, N_("New value"), max_length=2000),
    ],
    **ADMIN_ONLY,
)
async def edit_event(ctx: CommandContext, id: int, field: str, value: str) -> list[Reply]:
    event = await _managed_event(ctx, id, scheduled=True)
    await apply_field(ctx, event, field, value)
    _changed(ctx, event)
    await ctx.audit("event.edit", within=event.community_id, event_id=event.id, field=field)
    await sync_reminders(ctx.uow, event, now=ctx.now, wake=_wake(ctx))
    told = await _tell_attendees(ctx, event, "change", N_("Changed: “{title}”"))
    return [
        ctx.reply(
            ctx.ngettext(
                "Saved. {count} attendee was told.", "Saved. {count} attendees were told.", told
            ),
            destination=Destination.EPHEMERAL,
        ),
        await _card(ctx, event),
    ]


@feature.command(
    "webinar",
    "reschedule",
    description=N_("Move an event to another time"),
    args=[
        ID_ARG,
        ArgSpec("start", ArgKind.DATETIME, N_("New start, like 2026-11-27 15:00")),
        ArgSpec("zone", ArgKind.TIMEZONE, N_("Time zone"), required=False, suggest="timezones"),
    ],
    **ADMIN_ONLY,
)
async def reschedule_event(
    ctx: CommandContext, id: int, start: WallTime, zone: str | None = None
) -> list[Reply]:
    event = await _managed_event(ctx, id, scheduled=True)
    zone = zone or event.timezone
    event.starts_at = aware_start(ctx, start, zone)
    event.timezone = zone
    _changed(ctx, event)
    await ctx.audit(
        "event.reschedule",
        within=event.community_id,
        event_id=event.id,
        starts_at=event.starts_at.isoformat(),
    )
    await sync_reminders(ctx.uow, event, now=ctx.now, wake=_wake(ctx))
    told = await _tell_attendees(ctx, event, "change", N_("New time: “{title}”"))
    return [
        ctx.reply(
            ctx.ngettext(
                "Moved. {count} attendee was told.", "Moved. {count} attendees were told.", told
            ),
            destination=Destination.EPHEMERAL,
        ),
        await _card(ctx, event),
    ]


@feature.command(
    "webinar",
    "cancel",
    description=N_("Cancel an event, or one date of a series"),
    args=[
        ID_ARG,
        ArgSpec(
            "date",
            ArgKind.WORD,
            N_("Only this date of a series, like 2026-12-03"),
            required=False,
            max_length=10,
        ),
    ],
    **ADMIN_ONLY,
)
async def cancel_event(ctx: CommandContext, id: int, date: str | None = None) -> Reply:
    event = await _managed_event(ctx, id, scheduled=True)
    if date is not None:
        return await _cancel_date(ctx, event, date)
    event.status = EventStatus.CANCELLED
    _changed(ctx, event)
    await ctx.audit("event.cancel", within=event.community_id, event_id=event.id)
    await sync_reminders(ctx.uow, event, now=ctx.now, wake=_wake(ctx))
    told = await _tell_attendees(ctx, event, "cancel", N_("Cancelled: “{title}”"))
    return ctx.reply(
        ctx.ngettext(
            "Event #{id} is cancelled; its reminders are withdrawn. {count} attendee was told.",
            "Event #{id} is cancelled; its reminders are withdrawn. {count} attendees were told.",
            told,
            id=event.id,
        ),
        destination=Destination.EPHEMERAL,
    )


async def _cancel_date(ctx: CommandContext, event: Event, typed: str) -> Reply:
    """Cancel one date of a series: its reminders go, attendees are told, calendars get an
    EXDATE and a new SEQUENCE."""
    moment = cancel_date(event, typed, now=ctx.now)
    _changed(ctx, event)
    await ctx.audit(
        "event.cancel_date",
        within=event.community_id,
        event_id=event.id,
        starts_at=moment.isoformat(),
    )
    await sync_reminders(ctx.uow, event, now=ctx.now, wake=_wake(ctx))
    told = await tell_date_cancelled(ctx.uow, event, moment, now=ctx.now, wake=_wake(ctx))
    return ctx.reply(
        ctx.ngettext(
            "The session of {when} is cancelled; its reminders are withdrawn. "
            "{count} attendee was told.",
            "The session of {when} is cancelled; its reminders are withdrawn. "
            "{count} attendees were told.",
            told,
            when=when_text(moment, event.timezone, ctx.translator),
        ),
        destination=Destination.EPHEMERAL,
    )


@feature.command(
    "webinar", "missed", description=N_("Reminders that could not be sent"), **ADMIN_ONLY
)
async def show_missed(ctx: CommandContext) -> Reply:
    rows = await ctx.uow.outbox.missed(community_id=ctx.community.id)
    if not rows:
        return ctx.reply(ctx._("No reminder was missed."), destination=Destination.PERSONAL)
    items = []
    for row in rows:
        who = row.chat_id
        if row.member_id is not None:
            member = await ctx.uow.members.get(row.member_id)
            who = member.display_name if member else who
        title = str(row.payload.get("meta", {}).get("title", row.kind))
        items.append(
            ctx._(
                "{when}: “{title}” for {who}",
                when=when_text(row.due_at, ctx.zone, ctx.translator),
                title=title,
                who=who,
            )
        )
    return ctx.reply(
        line(bold(ctx._("Missed reminders (the bot was down longer than the grace window):"))),
        bullets(items),
        destination=Destination.PERSONAL,
    )
