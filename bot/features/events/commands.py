"""Webinars and trainings: the feature object and what its command modules share.

The commands live by audience and job: ``admin_commands`` (schedule and change events),
``member_commands`` (find, join, be reminded, calendar files) and ``feedback`` (recording,
ratings, comments); the package ``__init__`` imports them so their decorators declare on
:data:`feature`. The underscore helpers here are shared by those modules only: which event
the caller may see, its card for them, and the wake-up of the dispatcher; and the
autocomplete of event numbers (``suggest="webinars"``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import Any

from bot.core.arguments import ArgKind, ArgSpec
from bot.core.context import CommandContext
from bot.core.errors import NotFoundError, UserFacingError
from bot.core.feature import Feature
from bot.core.i18n import N_, translator_for
from bot.core.messages import Destination, Reply
from bot.core.registry import Audience
from bot.core.suggestions import Suggestion, SuggestionQuery
from bot.core.topics import Topic
from bot.features.events.cards import event_card
from bot.features.events.service import next_occurrence
from storage.models import Event
from storage.statuses import REGION_AUDIENCE_PREFIX, EventAudience, EventStatus

feature = Feature("events", topic=Topic.EVENTS)

ID_ARG = ArgSpec("id", ArgKind.INTEGER, N_("Event number"), suggest="webinars")
OFFSETS_ARG = ArgSpec(
    "offsets",
    ArgKind.DURATIONS,
    N_("Like 24h,1h"),
    minimum=timedelta(minutes=5),
    maximum=timedelta(days=30),
    max_items=5,
)
"""Reminder offsets, wherever they are typed (``/reminders``, ``/webinar add|edit``): each
reminder is one outbox row per attendee, so an event gets a few, between 5 minutes and 30 days
before it."""
ADMIN_ONLY: dict[str, Any] = {"audience": Audience.ADMIN}


# helpers ---------------------------------------------------------------------------------


def _wake(ctx: CommandContext) -> Sequence[Callable[[], None]]:
    """The dispatcher's wake-ups: the hooks the unit of work runs after it commits."""
    return ctx.uow.wake_hooks


def _missing(event_id: int) -> NotFoundError:
    return NotFoundError("There is no event #{id}. See /webinars for the list.", id=event_id)


def _check_scheduled(event: Event, scheduled: bool) -> Event:
    if scheduled and event.status != EventStatus.SCHEDULED:
        raise UserFacingError("Event #{id} is cancelled.", id=event.id)
    return event


async def _event(ctx: CommandContext, event_id: int, *, scheduled: bool = False) -> Event:
    """An event the caller may see: to join it, leave it, rate it, get its calendar file."""
    event = await ctx.uow.events.get(event_id)
    if event is None or not await _visible(ctx, event):
        raise _missing(event_id)
    return _check_scheduled(event, scheduled)


async def _managed_event(ctx: CommandContext, event_id: int, *, scheduled: bool = False) -> Event:
    """An event the caller administers: one of their community's (the secretariat: any).

    Seeing an event is not enough to change it: an event open to ``all`` is seen by every
    community, and is still only its own community's to edit, move, cancel or follow up.
    """
    event = ctx.administered(await ctx.uow.events.get(event_id), _missing(event_id))
    return _check_scheduled(event, scheduled)


async def _visible(ctx: CommandContext, event: Event) -> bool:
    """May this member see the event? ``all`` reaches every community of the deployment;
    otherwise the member must belong to the event's community (and region, when set)."""
    if ctx.is_global_admin or event.audience == EventAudience.ALL:
        return True
    community = await ctx.uow.communities.get(event.community_id)
    if community is None or await ctx.uow.communities.membership(community, ctx.member) is None:
        return False
    if event.audience == EventAudience.COMMUNITY or ctx.may_administer(event.community_id):
        return True
    if event.audience.startswith(REGION_AUDIENCE_PREFIX):
        return ctx.member.region == event.audience.removeprefix(REGION_AUDIENCE_PREFIX)
    return False


async def _speaker_names(ctx: CommandContext, event: Event) -> list[str]:
    names = []
    for member_id in event.speakers:
        member = await ctx.uow.members.get(member_id)
        if member is not None:
            names.append(member.display_name)
    return [*names, *(event.guest_speakers or ())]


async def _card(ctx: CommandContext, event: Event) -> Reply:
    """The event as the caller sees it (their zone, language and RSVP): a personal view, so
    in a group it goes to the caller alone (the community's chats get their own card)."""
    moment = next_occurrence(event, ctx.now) or event.starts_at
    joined = await ctx.uow.events.rsvp(event.id, ctx.member.id) is not None
    return event_card(
        event,
        moment,
        ctx.translator,
        ctx.zone,
        speakers=await _speaker_names(ctx, event),
        joined=joined,
        destination=Destination.PERSONAL,
    )


@feature.suggestion_source("webinars")
async def webinar_suggestions(query: SuggestionQuery) -> list[Suggestion]:
    """Scheduled events whose title contains what was typed (label: number, title, date)."""
    typed = query.prefix.strip().lstrip("#").casefold()
    actor = query.actor
    async with query.ports.unit_of_work() as uow:
        events = await uow.events.scheduled()
        member = await uow.members.by_account(actor.platform.value, actor.user_id)
        joined = (
            {m.community_id for m in await uow.communities.memberships_of(member)}
            if member is not None
            else set()
        )
    region = member.region if member is not None else None

    def visible(event: Event) -> bool:  # the same rule as _visible, without a request
        if event.audience == EventAudience.ALL:
            return True
        if event.community_id not in joined:
            return False
        return (
            not event.audience.startswith(REGION_AUDIENCE_PREFIX)
            or event.audience == f"{REGION_AUDIENCE_PREFIX}{region}"
        )

    events = [event for event in events if visible(event)]
    reader = translator_for(member.language if member is not None else None)

    def day(event: Event) -> str:  # in the member's zone when known, else the event's
        zone = (member.timezone if member is not None else None) or event.timezone
        return reader.format_date(event.starts_at, zone)

    found = [
        Suggestion(f"#{event.id} {event.title} · {day(event)}"[:100], str(event.id))
        for event in events
        if not typed or typed in event.title.casefold() or str(event.id).startswith(typed)
    ]
    return found[: query.limit]
