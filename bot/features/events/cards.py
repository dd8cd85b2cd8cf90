"""Event cards and reminders as a reader sees them: their zone, their language, a night note.

Pure presentation, apart from the outbox and the database: the same card serves /events, a
reply to an RSVP and a mirror, and the reminder wordings are what :mod:`.reminders` enqueues.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.core.i18n import Translator
from bot.core.messages import Button, Destination, Reply
from bot.core.richtext import Link, Node, bold, bullets, doc, italic, line
from bot.features.events.recurrence import next_dates_lines, repeat_text
from storage.models import Event
from storage.statuses import EventStatus

NIGHT_START, NIGHT_END = 22, 7


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
