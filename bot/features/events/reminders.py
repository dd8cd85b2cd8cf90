"""Reminders: the outbox rows that tell attendees, speakers and linked chats a session is near.

Reminders are outbox rows keyed ``rem:<event>:<occurrence UTC>:m<member>:<offset min>`` (or
``c<chat>`` for a linked chat). :func:`sync_reminders` is the one way to (re)compute them: it
removes the event's pending rows and enqueues what is wanted now; rows already sent keep
their key, so a reminder is never repeated, whatever edits happen. Kept apart from the
occurrences and the notices (:mod:`.service`) and the wordings (:mod:`.cards`) because the
key scheme and the horizon of a series belong together, and nowhere else.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import TYPE_CHECKING, Any

from bot.core.i18n import Translator
from bot.core.messages import Platform, Recipient, Reply
from bot.delivery import outbox
from bot.features.events.cards import reminder_reply, speaker_reminder_reply
from bot.features.events.service import occurrences, row_view
from bot.features.profiles.lookup import reachable_recipient
from storage.models import Event
from storage.repositories.outbox import NewMessage
from storage.repositories.recipients import Attendee
from storage.statuses import ChatPurpose, EventStatus

if TYPE_CHECKING:
    from storage.unit_of_work import UnitOfWork

SERIES_HORIZON = timedelta(days=60)
"""Reminders of a series are enqueued this far ahead; the periodic sweep extends them."""

ReminderBuilder = Callable[[Event, datetime, int, Translator, str], Reply]


def _rendered(event: Event) -> Callable[[ReminderBuilder, datetime, int, str, str], Reply]:
    """Reminders of ``event`` built once per (wording, occurrence, offset, language, zone):
    attendees who read alike share one reply (rendered and serialized once, not per person)."""

    @cache
    def render(build: ReminderBuilder, moment: datetime, minutes: int, language: str,
               zone: str) -> Reply:  # fmt: skip
        return build(event, moment, minutes, Translator(language), zone)

    return render


def reminder_key(event_id: int, who: str, moment: datetime, minutes: int) -> str:
    """``rem:<event>:<m member | c chat>:<occurrence UTC>:<offset minutes>``."""
    return f"rem:{event_id}:{who}:{moment.strftime('%Y%m%dT%H%MZ')}:{minutes}"


def reminder_prefix(event_id: int, who: str | None = None) -> str:
    return f"rem:{event_id}:" + (f"{who}:" if who else "")


async def sync_reminders(
    uow: UnitOfWork,
    event: Event,
    *,
    now: datetime,
    wake: Iterable[Callable[[], None]] | None = None,
    member_id: int | None = None,
    replace: bool = True,
) -> int:
    """Recompute the event's reminders; return how many rows were added.

    Pending rows are removed and re-enqueued from the current event and RSVPs (so edits
    re-render them). A reminder whose due time has passed is only kept if it was already
    pending (late after downtime, the dispatcher decides sent-late or missed); a sent one
    blocks its key, so it is never sent again. ``member_id`` limits the work to one member's
    reminders (an RSVP, new offsets), reading that member's row only; ``replace=False`` only
    adds what is missing (the periodic extension of a series' horizon).

    Attendees and speakers are read as plain rows, one statement each whatever their number
    (issue 17), and each distinct reminder is rendered once (:func:`_rendered`).
    """
    prefix = reminder_prefix(event.id, f"m{member_id}" if member_id is not None else None)
    previously = set(await uow.outbox.delete_pending(prefix)) if replace else set()
    if event.status != EventStatus.SCHEDULED:
        return 0
    community = await uow.communities.get(event.community_id)
    if community is None:
        return 0
    end = now + SERIES_HORIZON if event.rrule else datetime.max.replace(tzinfo=UTC)
    moments = occurrences(event, now, end)
    if not moments:
        return 0
    wanted: list[NewMessage] = []
    render = _rendered(event)

    def want(key: str, due: datetime, recipient: Recipient, reply: Reply, **ids: Any) -> None:
        if due > now or key in previously:
            wanted.append(
                outbox.message(
                    key,
                    "reminder",
                    recipient,
                    reply,
                    due,
                    community_id=community.id,
                    event_id=event.id,
                    title=event.title,
                    **ids,
                )
            )

    speaking = set(event.speakers or ())  # a speaker gets the speakers' reminders instead
    attendees = [
        a for a in await uow.events.attending(event.id, member_id) if a.member_id not in speaking
    ]
    for moment in moments:  # occurrence by occurrence: a few replies in use at a time
        for attendee in attendees:
            recipient = reachable_recipient(attendee)
            language, zone = row_view(attendee, community)
            for minutes in _offsets(attendee, event):
                key = reminder_key(event.id, f"m{attendee.member_id}", moment, minutes)
                reply = render(reminder_reply, moment, minutes, language, zone)
                due = moment - timedelta(minutes=minutes)
                want(key, due, recipient, reply, member_id=attendee.member_id)
    speakers = await uow.members.reachable(event.speakers or ()) if member_id is None else []
    for speaker in speakers:
        recipient = reachable_recipient(speaker)
        language, zone = row_view(speaker, community)
        for moment in moments:
            for minutes in event.offsets:
                key = reminder_key(event.id, f"s{speaker.member_id}", moment, minutes)
                reply = render(speaker_reminder_reply, moment, minutes, language, zone)
                due = moment - timedelta(minutes=minutes)
                want(key, due, recipient, reply, member_id=speaker.member_id)
    chats = (
        await uow.communities.chats(community, ChatPurpose.WEBINARS) if member_id is None else []
    )
    for chat in chats:
        recipient = Recipient(Platform(chat.platform), chat.chat_id, chat.thread_id)
        for moment in moments:
            for minutes in event.offsets:
                key = reminder_key(event.id, f"c{chat.id}", moment, minutes)
                reply = render(
                    reminder_reply, moment, minutes, community.default_language, event.timezone
                )
                want(key, moment - timedelta(minutes=minutes), recipient, reply)
    return await outbox.enqueue(uow, wanted, now=now, wake=wake)


def _offsets(attendee: Attendee, event: Event) -> Sequence[int]:
    return attendee.offsets if attendee.offsets is not None else event.offsets


async def refresh_series(
    uow: UnitOfWork, *, now: datetime, wake: Iterable[Callable[[], None]] | None = None
) -> int:
    """Extend the reminders of every scheduled series (run by the periodic sweep)."""
    added = 0
    for event in await uow.events.scheduled():
        if event.rrule:
            added += await sync_reminders(uow, event, now=now, wake=wake, replace=False)
    return added
