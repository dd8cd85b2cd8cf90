"""One date of a series: finding its occurrence, cancelling it, telling the attendees.

A cancelled date is kept as an ISO date in the event's own zone (``Event.cancelled_dates``):
the bot's occurrences skip it (so do its reminders), and calendars write it as an ``EXDATE``.
Keeping the date rather than the instant keeps the 3 December session cancelled when the series
is moved from 10:00 to 11:00.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr

from bot.core.errors import UsageError, UserFacingError
from bot.core.i18n import Translator
from bot.core.messages import Reply
from bot.core.reading import ascii_digits
from bot.core.richtext import bold, doc, line
from bot.features.events.cards import event_card, when_text
from bot.features.events.service import local_start, next_occurrence, notify_attendees
from storage.models import Event
from storage.unit_of_work import UnitOfWork

_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")


def parse_day(text: str) -> date:
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(ascii_digits(text).strip(), fmt).date()
        except ValueError:
            continue
    raise UsageError("“{value}” is not a date. Write it like 2026-12-03.", value=text[:40])


def occurrence_on(event: Event, day: date) -> datetime | None:
    """The start (UTC) of the event's occurrence on ``day`` in its zone, if it has one there
    (a cancelled date included: this says what a date names)."""
    zone = ZoneInfo(event.timezone)
    if not event.rrule:
        return event.starts_at if event.starts_at.astimezone(zone).date() == day else None
    midnight = datetime.combine(day, datetime.min.time())
    rule = rrulestr(event.rrule, dtstart=local_start(event))
    found = [
        moment
        for moment in rule.between(midnight, midnight + timedelta(days=1), inc=True)
        if moment.date() == day
    ]
    return found[0].replace(tzinfo=zone).astimezone(UTC) if found else None


def cancelled_occurrences(event: Event) -> list[datetime]:
    """The starts (UTC) of the occurrences on the series' cancelled dates."""
    found = (occurrence_on(event, date.fromisoformat(day)) for day in event.cancelled_dates or ())
    return sorted(moment for moment in found if moment is not None)


def cancel_date(event: Event, typed: str, *, now: datetime) -> datetime:
    """Cancel the series' occurrence on the typed date; return its start (UTC)."""
    day = parse_day(typed)
    if not event.rrule:
        raise UserFacingError(
            "Event #{id} is not a series: /webinar cancel {id} cancels it.", id=event.id
        )
    moment = occurrence_on(event, day)
    if moment is None:
        raise UserFacingError("Event #{id} has no session on {date}.", id=event.id, date=day)
    if day.isoformat() in (event.cancelled_dates or ()):
        raise UserFacingError(
            "The {date} session of event #{id} is already cancelled.",
            id=event.id,
            date=day,
        )
    if moment <= now:
        raise UserFacingError(
            "The {date} session of event #{id} has already started.",
            id=event.id,
            date=day,
        )
    event.cancelled_dates = sorted({*(event.cancelled_dates or ()), day.isoformat()})
    return moment


async def tell_date_cancelled(
    uow: UnitOfWork,
    event: Event,
    moment: datetime,
    *,
    now: datetime,
    wake: Iterable[Callable[[], None]] | None = None,
) -> int:
    """Tell the attendees, each in their language and zone, with the card of the next session."""
    following = next_occurrence(event, now) or moment

    def build(translator: Translator, zone: str) -> Reply:
        card = event_card(event, following, translator, zone)
        headline = translator.gettext(
            "The session of {when} is cancelled: “{title}”",
            when=when_text(moment, zone, translator),
            title=event.title,
        )
        return Reply(
            body=doc(line(bold(headline)), *card.body.blocks),
            buttons=card.buttons,
            rtl=translator.rtl,
        )

    return await notify_attendees(
        uow, event, "cancel", build, now=now, wake=wake, key_suffix=f":{moment:%Y%m%dT%H%M}"
    )
