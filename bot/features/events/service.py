"""Events: occurrences in the event's own zone, cards, reminders and notices.

A recurring event's occurrences are computed with ``dateutil.rrule`` on the *local* wall-clock
start in the event's zone and only then converted to UTC, so a weekly 10:00 Madrid session
stays at 10:00 Madrid when Europe changes its clocks (and moves by an hour in UTC).

Reminders are outbox rows keyed ``rem:<event>:<occurrence UTC>:m<member>:<offset min>`` (or
``c<chat>`` for a linked chat). :func:`sync_reminders` is the one way to (re)compute them: it
removes the event's pending rows and enqueues what is wanted now; rows already sent keep
their key, so a reminder is never repeated, whatever edits happen.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr

from bot.core.errors import UsageError
from bot.core.i18n import Translator
from bot.core.messages import Button, Destination, Platform, Recipient, Reply
from bot.core.richtext import Link, Node, bold, bullets, doc, italic, line
from bot.delivery import outbox
from bot.features.events.recurrence import next_dates_lines, repeat_text
from bot.features.profiles.lookup import reachable_recipient
from storage.models import Community, Event, Member
from storage.repositories.outbox import NewMessage
from storage.repositories.recipients import Attendee, Reachable
from storage.statuses import ChatPurpose, EventStatus

if TYPE_CHECKING:
    from storage.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)

SERIES_HORIZON = timedelta(days=60)
"""Reminders of a series are enqueued this far ahead; the periodic sweep extends them."""
NIGHT_START, NIGHT_END = 22, 7

_REPEAT = re.compile(r"^(weekly|biweekly|monthly)(?::(\d{1,3}))?$")


def parse_repeat(value: str) -> str:
    """``weekly``, ``biweekly``, ``monthly``, optionally ``:N`` occurrences → an RRULE."""
    match = _REPEAT.match(value.strip().lower())
    if match is None:
        raise UsageError(
            "“{value}” is not a repetition. Write weekly, biweekly or monthly, optionally "
            "with a count like weekly:6.",
            value=value[:40],
        )
    kind, count = match.groups()
    rule = {"weekly": "FREQ=WEEKLY", "biweekly": "FREQ=WEEKLY;INTERVAL=2"}.get(kind, "FREQ=MONTHLY")
    if count:
        if int(count) < 1:
            raise UsageError("A series needs at least one occurrence.")
        rule += f";COUNT={int(count)}"
    return rule


def local_start(event: Event) -> datetime:
    """The first occurrence as naive wall-clock time in the event's zone."""
    return event.starts_at.astimezone(ZoneInfo(event.timezone)).replace(tzinfo=None)


def occurrences(event: Event, start: datetime, end: datetime) -> list[datetime]:
    """Starts (UTC) of the occurrences beginning in ``[start, end]``."""
    if not event.rrule:
        return [event.starts_at] if start <= event.starts_at <= end else []
    zone = ZoneInfo(event.timezone)
    rule = rrulestr(event.rrule, dtstart=local_start(event))
    lo = start.astimezone(zone).replace(tzinfo=None) - timedelta(days=1)
    hi = end.astimezone(zone).replace(tzinfo=None) + timedelta(days=1)
    skipped = set(event.cancelled_dates or ())
    found = [
        moment.replace(tzinfo=zone).astimezone(UTC)
        for moment in rule.between(lo, hi, inc=True)
        if moment.date().isoformat() not in skipped
    ]
    return [moment for moment in found if start <= moment <= end]


def next_occurrence(event: Event, now: datetime) -> datetime | None:
    """The occurrence running now or next (None when the event or series is over)."""
    duration = timedelta(minutes=event.duration_minutes)
    if not event.rrule:
        return event.starts_at if event.starts_at + duration > now else None
    zone = ZoneInfo(event.timezone)
    rule = rrulestr(event.rrule, dtstart=local_start(event))
    skipped = set(event.cancelled_dates or ())
    # Walk the rule from just before the running occurrence, however far ahead the next one
    # is (a series may start years from now); cancelled dates are skipped.
    cursor = (now - duration).astimezone(zone).replace(tzinfo=None) - timedelta(days=1)
    while (moment := rule.after(cursor, inc=False)) is not None:
        cursor = moment
        if moment.date().isoformat() in skipped:
            continue
        start = moment.replace(tzinfo=zone).astimezone(UTC)
        if start + duration > now:
            return start
    return None


# presentation -------------------------------------------------------------------------


def when_text(moment: datetime, zone: str, translator: Translator) -> str:
    """A session's date and time in ``zone``, zone named (the one format: :mod:`bot.core.dates`)."""
    return translator.format_datetime(moment, zone)


def is_night(moment: datetime, zone: str) -> bool:
    hour = moment.astimezone(ZoneInfo(zone)).hour
    return hour >= NIGHT_START or hour < NIGHT_END


def before_text(minutes: int, translator: Translator) -> str:
    """``2 days before``: a whole plural phrase per unit, since a language may inflect the
    duration after its word for "before" (Arabic ``قبل يومين``, genitive, never ``قبل يومان``)."""
    if minutes % 1440 == 0:
        return translator.ngettext("{count} day before", "{count} days before", minutes // 1440)
    if minutes % 60 == 0:
        return translator.ngettext("{count} hour before", "{count} hours before", minutes // 60)
    return translator.ngettext("{count} minute before", "{count} minutes before", minutes)


def reminders_text(offsets: Sequence[int], translator: Translator) -> str:
    """``1 day before and 1 hour before``, joined the language's way (``،`` and ``و`` in
    Arabic), the earliest first."""
    earliest_first = sorted(offsets, reverse=True)
    return translator.format_list([before_text(m, translator) for m in earliest_first])


def where_node(event: Event, translator: Translator) -> Node | None:
    if event.link:
        return line(translator.gettext("Online: "), Link(event.link, event.link))
    if event.place:
        return line(translator.gettext("In person: "), event.place)
    return None


def event_card(
    event: Event,
    moment: datetime,
    translator: Translator,
    zone: str,
    *,
    speakers: Sequence[str] = (),
    joined: bool = False,
    destination: Destination = Destination.HERE,
) -> Reply:
    """An event as a reader sees it: their zone, their language, a night note, buttons."""
    _ = translator.gettext
    blocks: list[Any] = [
        line(bold(f"#{event.id} "), bold(event.title)),
        line(when_text(moment, zone, translator)),
    ]
    if is_night(moment, zone):
        blocks.append(line(italic(_("Note: that is at night for you."))))
    if zone != event.timezone:
        blocks.append(
            line(
                _(
                    "Local time of the event: {time}",
                    time=when_text(moment, event.timezone, translator),
                )
            )
        )
    duration = translator.duration(timedelta(minutes=event.duration_minutes))
    blocks.append(line(_("Duration: {duration}", duration=duration)))
    blocks.append(
        line(_("Language: {language}", language=translator.language_name(event.language)))
    )
    place = where_node(event, translator)
    if place is not None:
        blocks.append(place)
    if event.rrule:
        blocks.append(line(repeat_text(event, moment, zone, translator)))
        upcoming = next_dates_lines(event, moment, zone, translator)
        if upcoming:
            blocks.extend((line(upcoming[0]), bullets(upcoming[1:])))
    if speakers:
        blocks.append(line(_("Speakers: {names}", names=translator.format_list(speakers))))
    if event.description:
        blocks.append(line(event.description))
    if event.status == EventStatus.CANCELLED:
        blocks.append(line(bold(_("This event is cancelled."))))
    buttons: list[Button] = []
    if event.status == EventStatus.SCHEDULED:
        if joined:
            buttons.append(Button(_("Leave"), f"unrsvp {event.id}"))
        else:
            buttons.append(Button(_("RSVP"), f"rsvp {event.id}"))
    buttons.append(Button(_("Add to calendar (.ics)"), f"ics {event.id}"))
    return Reply(
        body=doc(*blocks),
        destination=destination,
        buttons=(tuple(buttons),),
        rtl=translator.rtl,
    )


def reminder_reply(
    event: Event, moment: datetime, minutes: int, translator: Translator, zone: str
) -> Reply:
    _ = translator.gettext
    blocks: list[Any] = [
        line(
            bold(
                _(
                    "Reminder: “{title}” starts {delay}.",
                    title=event.title,
                    delay=translator.duration(timedelta(minutes=minutes), direction=True),
                )
            )
        ),
        line(when_text(moment, zone, translator)),
    ]
    if is_night(moment, zone):
        blocks.append(line(italic(_("Note: that is at night for you."))))
    place = where_node(event, translator)
    if place is not None:
        blocks.append(place)
    return Reply(body=doc(*blocks), rtl=translator.rtl)


def speaker_reminder_reply(
    event: Event, moment: datetime, minutes: int, translator: Translator, zone: str
) -> Reply:
    """A speaker's reminder: their own wording (they give the talk, they do not attend it)."""
    _ = translator.gettext
    blocks: list[Any] = [
        line(
            bold(
                _(
                    "Reminder: you are speaking at “{title}” {delay}.",
                    title=event.title,
                    delay=translator.duration(timedelta(minutes=minutes), direction=True),
                )
            )
        ),
        line(when_text(moment, zone, translator)),
        line(_("Please join a few minutes early to check your sound and slides.")),
    ]
    place = where_node(event, translator)
    if place is not None:
        blocks.append(place)
    return Reply(body=doc(*blocks), rtl=translator.rtl)


# recipients ---------------------------------------------------------------------------

ReminderBuilder = Callable[[Event, datetime, int, Translator, str], Reply]


def member_view(member: Member, community: Community) -> tuple[Translator, str]:
    return (
        Translator(member.language or community.default_language),
        member.timezone or community.timezone,
    )


def row_view(row: Reachable | Attendee, community: Community) -> tuple[str, str]:
    """A member read as a row: their (language, zone), the community's where they set none."""
    return (row.language or community.default_language, row.timezone or community.timezone)


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


async def notify_attendees(
    uow: UnitOfWork,
    event: Event,
    kind: str,
    build: Callable[[Translator, str], Reply],
    *,
    now: datetime,
    wake: Iterable[Callable[[], None]] | None = None,
    key_suffix: str = "",
) -> int:
    """Tell everyone who RSVP'd (privately, now, once per event revision and kind): the
    attendees read as plain rows in one statement, the notice built once per (language,
    zone)."""
    community = await uow.communities.get(event.community_id)
    if community is None:
        return 0
    wanted: list[NewMessage] = []
    built: dict[tuple[str, str], Reply] = {}
    for attendee in await uow.events.attending(event.id):
        view = row_view(attendee, community)
        reply = built.get(view)
        if reply is None:
            reply = built[view] = build(Translator(view[0]), view[1])
        key = f"{kind}:{event.id}:{event.revision}{key_suffix}:{attendee.member_id}"
        wanted.append(
            outbox.message(
                key,
                kind,
                reachable_recipient(attendee),
                reply,
                now,
                member_id=attendee.member_id,
                community_id=community.id,
                event_id=event.id,
                title=event.title,
            )
        )
    return await outbox.enqueue(uow, wanted, now=now, wake=wake)


async def refresh_series(
    uow: UnitOfWork, *, now: datetime, wake: Iterable[Callable[[], None]] | None = None
) -> int:
    """Extend the reminders of every scheduled series (run by the periodic sweep)."""
    added = 0
    for event in await uow.events.scheduled():
        if event.rrule:
            added += await sync_reminders(uow, event, now=now, wake=wake, replace=False)
    return added
