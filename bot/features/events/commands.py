"""Webinars and trainings: admins schedule them, members RSVP and get reminded, once.

Typed form (console, Telegram; Discord fills the same three options)::

    /webinar add "Gender budgeting in LGAs" 2026-11-26 14:00 Europe/Madrid 90m https://... 24h,1h

After the title and the start, the details come in any order: a time zone, a duration, a link
(or ``place="Town hall, Tunis"`` for an in-person event), reminder offsets (``24h,1h``), a
repetition (``weekly``, ``monthly:6``), and ``key=value`` pairs: ``lang=fr``,
``audience=region:mena``, ``speakers="Grace,Amina"``, ``description="..."``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from bot.core.arguments import (
    ArgKind,
    ArgSpec,
    Choice,
)
from bot.core.context import CommandContext
from bot.core.errors import NotFoundError, PermissionDeniedError, UsageError, UserFacingError
from bot.core.feature import Feature
from bot.core.i18n import N_, Translator
from bot.core.messages import Attachment, Button, Destination, Platform, Recipient, Reply
from bot.core.registry import Audience
from bot.core.richtext import Link, bold, bullets, code, doc, line
from bot.core.suggestions import Suggestion, SuggestionQuery
from bot.delivery import outbox
from bot.features.events.calendar import ICS_MIME, calendar_bytes
from bot.features.events.dates import cancel_date, tell_date_cancelled
from bot.features.events.input import (
    EDIT_FIELDS,
    apply_details,
    apply_field,
    aware_start,
    check_link,
    clean,
    default_offsets,
    minutes_of,
)
from bot.features.events.service import (
    CANCELLED,
    SCHEDULED,
    event_card,
    member_view,
    next_occurrence,
    notify_attendees,
    offset_text,
    sync_reminders,
    when_text,
)
from storage.models import Event

feature = Feature("events")

ID_ARG = ArgSpec("id", ArgKind.INTEGER, N_("Event number"), suggest="webinars")
ADMIN_ONLY: dict[str, Any] = {"audience": Audience.ADMIN}


# helpers ---------------------------------------------------------------------------------


def _wake(ctx: CommandContext) -> list[Callable[[], None]]:
    return ctx.app.on_enqueue


async def _event(ctx: CommandContext, event_id: int, *, scheduled: bool = False) -> Event:
    event = await ctx.uow.events.get(event_id)
    if event is None or not (ctx.may_administer(event.community_id) or await _visible(ctx, event)):
        raise NotFoundError("There is no event #{id}. See /webinars for the list.", id=event_id)
    if scheduled and event.status != SCHEDULED:
        raise UserFacingError("Event #{id} is cancelled.", id=event_id)
    return event


async def _visible(ctx: CommandContext, event: Event) -> bool:
    """May this member see the event? ``all`` reaches every community of the deployment;
    otherwise the member must belong to the event's community (and region, when set)."""
    if ctx.is_global_admin or event.audience == "all":
        return True
    community = await ctx.uow.communities.get(event.community_id)
    if community is None or await ctx.uow.communities.membership(community, ctx.member) is None:
        return False
    if event.audience == "community" or ctx.may_administer(event.community_id):
        return True
    if event.audience.startswith("region:"):
        return ctx.member.region == event.audience.removeprefix("region:")
    return False
    if ctx.is_admin or event.audience == "all":
        return True
    if event.audience == "community":
        community = await ctx.uow.communities.get(event.community_id)
        return community is not None and (
            await ctx.uow.communities.membership(community, ctx.member) is not None
        )
    if event.audience.startswith("region:"):
        return ctx.member.region == event.audience.removeprefix("region:")
    return False


async def _speaker_names(ctx: CommandContext, event: Event) -> list[str]:
    names = []
    for member_id in event.speakers:
        member = await ctx.uow.members.get(member_id)
        if member is not None:
            names.append(member.display_name)
    return names


async def _card(ctx: CommandContext, event: Event, **kw: Any) -> Reply:
    moment = next_occurrence(event, ctx.now) or event.starts_at
    joined = await ctx.uow.events.rsvp(event.id, ctx.member.id) is not None
    return event_card(
        event,
        moment,
        ctx.translator,
        ctx.zone,
        speakers=await _speaker_names(ctx, event),
        joined=joined,
        **kw,
    )


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


# admin commands -----------------------------------------------------------------------------


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
    ctx: CommandContext, title: str, start: datetime, details: str | None = None
) -> list[Reply]:
    title = clean(title, 200)
    event = Event(
        community_id=ctx.community.id,
        title=title,
        starts_at=ctx.now,
        timezone=ctx.zone,
        duration_minutes=60,
        language=ctx.community.default_language,
        speakers=[],
        audience="all",
        offsets=default_offsets(ctx),
        status=SCHEDULED,
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
    for chat in await ctx.uow.communities.chats(ctx.community, "webinars"):
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
    event = await _event(ctx, id, scheduled=True)
    await apply_field(ctx, event, field, value)
    _changed(ctx, event)
    await ctx.audit("event.edit", event_id=event.id, field=field)
    await sync_reminders(ctx.uow, event, now=ctx.now, wake=_wake(ctx))
    told = await _tell_attendees(ctx, event, "change", N_("Changed: “{title}”"))
    return [
        ctx.reply(
            ctx._("Saved. {count} attendees were told.", count=told),
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
    ctx: CommandContext, id: int, start: datetime, zone: str | None = None
) -> list[Reply]:
    event = await _event(ctx, id, scheduled=True)
    zone = zone or event.timezone
    event.starts_at = aware_start(ctx, start, zone)
    event.timezone = zone
    _changed(ctx, event)
    await ctx.audit("event.reschedule", event_id=event.id, starts_at=event.starts_at.isoformat())
    await sync_reminders(ctx.uow, event, now=ctx.now, wake=_wake(ctx))
    told = await _tell_attendees(ctx, event, "change", N_("New time: “{title}”"))
    return [
        ctx.reply(
            ctx._("Moved. {count} attendees were told.", count=told),
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
    event = await _event(ctx, id, scheduled=True)
    if date is not None:
        return await _cancel_date(ctx, event, date)
    event.status = CANCELLED
    _changed(ctx, event)
    await ctx.audit("event.cancel", event_id=event.id)
    await sync_reminders(ctx.uow, event, now=ctx.now, wake=_wake(ctx))
    told = await _tell_attendees(ctx, event, "cancel", N_("Cancelled: “{title}”"))
    return ctx.reply(
        ctx._(
            "Event #{id} is cancelled; its reminders are withdrawn. {count} attendees were told.",
            id=event.id,
            count=told,
        ),
        destination=Destination.EPHEMERAL,
    )


async def _cancel_date(ctx: CommandContext, event: Event, typed: str) -> Reply:
    """Cancel one date of a series: its reminders go, attendees are told, calendars get an
    EXDATE and a new SEQUENCE."""
    moment = cancel_date(event, typed, now=ctx.now)
    _changed(ctx, event)
    await ctx.audit("event.cancel_date", event_id=event.id, starts_at=moment.isoformat())
    await sync_reminders(ctx.uow, event, now=ctx.now, wake=_wake(ctx))
    told = await tell_date_cancelled(ctx.uow, event, moment, now=ctx.now, wake=_wake(ctx))
    return ctx.reply(
        ctx._(
            "The session of {when} is cancelled; its reminders are withdrawn. "
            "{count} attendees were told.",
            when=when_text(moment, event.timezone, ctx.translator),
            count=told,
        ),
        destination=Destination.EPHEMERAL,
    )


@feature.command(
    "webinar",
    "recording",
    description=N_("Send the recording to attendees and ask for feedback"),
    args=[ID_ARG, ArgSpec("url", ArgKind.WORD, N_("Recording link"), max_length=500)],
    **ADMIN_ONLY,
)
async def post_recording(ctx: CommandContext, id: int, url: str) -> Reply:
    event = await _event(ctx, id)
    event.recording_url = check_link(url)
    event.updated_at = ctx.now
    await ctx.audit("event.recording", event_id=event.id)

    def build(translator: Translator, zone: str) -> Reply:
        _ = translator.gettext
        url = event.recording_url or ""
        rating_row = tuple(Button(str(n), f"rate {event.id} {n}") for n in range(1, 6))
        return Reply(
            body=doc(
                line(bold(_("The recording of “{title}” is ready.", title=event.title))),
                line(Link(url, url)),
                line(_("How useful was it for you? Tap 1 (not useful) to 5 (very useful).")),
                line(_("To add a comment, type "), code(f"/comment {event.id} ..."), "."),
            ),
            buttons=(rating_row,),
            rtl=translator.rtl,
        )

    sent = await notify_attendees(
        ctx.uow,
        event,
        "recording",
        build,
        now=ctx.now,
        wake=_wake(ctx),
        key_suffix=":" + hashlib.sha1(event.recording_url.encode()).hexdigest()[:10],
    )
    return ctx.reply(
        ctx._("The recording goes to {count} attendees.", count=sent),
        destination=Destination.EPHEMERAL,
    )


@feature.command(
    "webinar", "feedback", description=N_("See an event's feedback"), args=[ID_ARG], **ADMIN_ONLY
)
async def show_feedback(ctx: CommandContext, id: int) -> Reply:
    event = await _event(ctx, id)
    entries = await ctx.uow.events.feedback(event.id)
    ratings = [entry.rating for entry in entries if entry.rating is not None]
    blocks: list[Any] = [line(bold(ctx._("Feedback on “{title}”", title=event.title)))]
    if not entries:
        blocks.append(ctx._("No feedback yet."))
        return ctx.reply(*blocks, destination=Destination.EPHEMERAL)
    if ratings:
        average = f"{sum(ratings) / len(ratings):.1f}"
        blocks.append(
            line(
                ctx._("{count} ratings, average {average} / 5", count=len(ratings), average=average)
            )
        )
        blocks.append(line(" · ".join(f"{n}: {ratings.count(n)}" for n in range(1, 6))))
    comments = [entry.comment for entry in entries if entry.comment]
    if comments:
        blocks.append(line(ctx._("Comments:")))
        blocks.append(bullets(comments))
    return ctx.reply(*blocks, destination=Destination.EPHEMERAL)


@feature.command(
    "webinar", "missed", description=N_("Reminders that could not be sent"), **ADMIN_ONLY
)
async def show_missed(ctx: CommandContext) -> Reply:
    rows = await ctx.uow.outbox.missed(community_id=ctx.community.id)
    if not rows:
        return ctx.reply(ctx._("No reminder was missed."), destination=Destination.EPHEMERAL)
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
        destination=Destination.EPHEMERAL,
    )


# member commands ------------------------------------------------------------------------------


@feature.command("webinars", description=N_("Upcoming webinars and trainings"))
async def list_events(ctx: CommandContext) -> list[Reply]:
    upcoming: list[tuple[datetime, Event]] = []
    for event in await ctx.uow.events.scheduled():
        moment = next_occurrence(event, ctx.now)
        if moment is not None and await _visible(ctx, event):
            upcoming.append((moment, event))
    if not upcoming:
        return [ctx.reply(ctx._("No upcoming events right now."))]
    upcoming.sort(key=lambda pair: pair[0])
    header = ctx.reply(line(bold(ctx._("Upcoming events (times in {zone})", zone=ctx.zone))))
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
    delays = ", ".join(_offset_label(m, translator) for m in offsets)
    text = (
        ctx._(
            "You're in for “{title}”. I will remind you {delays} before.",
            title=event.title,
            delays=delays,
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


def _offset_label(minutes: int, translator: Translator) -> str:
    return offset_text(minutes, translator)


@feature.command("rsvp", description=N_("Join an event and get reminders"), args=[ID_ARG])
async def rsvp(ctx: CommandContext, id: int) -> list[Reply]:
    return await _join(ctx, id)


@feature.deep_link_prefix("rsvp-")
async def rsvp_deep_link(ctx: CommandContext, payload: str) -> list[Reply]:
    number = payload.removeprefix("rsvp-")
    if not number.isdigit():
        raise NotFoundError("That link is not valid any more. See /webinars.")
    return await _join(ctx, int(number))


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


@feature.command(
    "reminders",
    description=N_("Choose when you are reminded of an event"),
    args=[ID_ARG, ArgSpec("offsets", ArgKind.DURATIONS, N_("Like 24h,1h"))],
)
async def set_reminders(ctx: CommandContext, id: int, offsets: tuple[timedelta, ...]) -> Reply:
    event = await _event(ctx, id, scheduled=True)
    found = await ctx.uow.events.rsvp(event.id, ctx.member.id)
    if found is None:
        raise UserFacingError("Join event #{id} first with /rsvp {id}.", id=event.id)
    found.offsets = minutes_of(offsets)
    await sync_reminders(ctx.uow, event, now=ctx.now, wake=_wake(ctx), member_id=ctx.member.id)
    delays = ", ".join(_offset_label(m, ctx.translator) for m in found.offsets)
    return ctx.reply(
        ctx._("I will remind you {delays} before “{title}”.", delays=delays, title=event.title),
        destination=Destination.EPHEMERAL,
    )


@feature.command("calendar", description=N_("Get a calendar file of the events you joined"))
async def my_calendar(ctx: CommandContext) -> Reply:
    events = await ctx.uow.events.joined_by(ctx.member.id)  # cancelled ones cancel on re-import
    if not events:
        raise UserFacingError("You have not joined any event yet. See /webinars.")
    return ctx.reply(
        ctx._("Your events, ready for your calendar: {count}.", count=len(events)),
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


async def _attended(ctx: CommandContext, event_id: int) -> Event:
    event = await _event(ctx, event_id)
    if await ctx.uow.events.rsvp(event.id, ctx.member.id) is None:
        raise PermissionDeniedError(
            "Only those who joined event #{id} can give feedback on it.", id=event_id
        )
    return event


@feature.command(
    "rate",
    description=N_("Rate an event from 1 to 5"),
    args=[ID_ARG, ArgSpec("rating", ArgKind.INTEGER, N_("1 to 5"))],
    hidden=True,
)
async def rate_event(ctx: CommandContext, id: int, rating: int) -> Reply:
    if not 1 <= rating <= 5:
        raise UsageError("A rating is a number from 1 to 5.")
    event = await _attended(ctx, id)
    await ctx.uow.events.save_feedback(event.id, ctx.member.id, now=ctx.now, rating=rating)
    return ctx.reply(
        ctx._("Thank you! You rated “{title}” {rating}/5.", title=event.title, rating=rating),
        destination=Destination.EPHEMERAL,
    )


@feature.command(
    "comment",
    description=N_("Comment on an event you attended"),
    args=[ID_ARG, ArgSpec("text", ArgKind.TEXT, N_("Your comment"), max_length=2000)],
)
async def comment_event(ctx: CommandContext, id: int, text: str) -> Reply:
    event = await _attended(ctx, id)
    await ctx.uow.events.save_feedback(
        event.id, ctx.member.id, now=ctx.now, comment=clean(text, 2000)
    )
    return ctx.reply(
        ctx._("Thank you for your comment on “{title}”.", title=event.title),
        destination=Destination.EPHEMERAL,
    )


@feature.suggestion_source("webinars")
async def webinar_suggestions(query: SuggestionQuery) -> list[Suggestion]:
    """Scheduled events whose title contains what was typed (label: number, title, date)."""
    typed = query.prefix.strip().lstrip("#").casefold()
    actor = query.actor
    async with query.app.database.unit_of_work() as uow:
        events = await uow.events.scheduled()
        member = await uow.members.by_account(actor.platform.value, actor.user_id)
        joined = (
            {m.community_id for m in await uow.communities.memberships_of(member)}
            if member is not None
            else set()
        )
    region = member.region if member is not None else None

    def visible(event: Event) -> bool:  # the same rule as _visible, without a request
        if event.audience == "all":
            return True
        if event.community_id not in joined:
            return False
        return not event.audience.startswith("region:") or event.audience == f"region:{region}"

    events = [event for event in events if visible(event)]
    found = [
        Suggestion(
            f"#{event.id} {event.title} · {event.starts_at.date().isoformat()}"[:100], str(event.id)
        )
        for event in events
        if not typed or typed in event.title.casefold() or str(event.id).startswith(typed)
    ]
    return found[: query.limit]
