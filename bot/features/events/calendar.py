"""iCalendar files and feeds of events, as Google Calendar, Outlook, Apple Calendar and
Thunderbird read them.

- Times are written in the event's own zone (``DTSTART;TZID=Europe/Madrid``) with a VTIMEZONE
  in the conventional RRULE form (:mod:`bot.features.events.vtimezone`), so a weekly 10:00
  session stays at 10:00 across the clock changes in every client, as in the bot's reminders.
- ``DTEND`` is the real end: 120 minutes are 120 elapsed minutes even across a clock change.
- A cancelled event stays in the file as ``STATUS:CANCELLED`` (a re-import or a feed refresh
  cancels it in the calendar); a cancelled date of a series is an ``EXDATE``.
- ``UID`` never changes for an event, ``SEQUENCE`` starts at 0 and grows with each change
  attendees are told about.
- ``METHOD:PUBLISH``: these are published calendars, not iTIP invitations. REQUEST and CANCEL
  need an ORGANIZER and ATTENDEE addresses (RFC 5546), which a chat bot does not have.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr
from icalendar import Calendar
from icalendar import Event as IcsEvent

from bot.features.events.dates import cancelled_occurrences
from bot.features.events.service import local_start
from bot.features.events.vtimezone import vtimezone
from storage.models import Event
from storage.statuses import EventStatus

ICS_PRODID = "-//Champions Bot//Events//EN"
ICS_MIME = "text/calendar"
UTC_ZONES = frozenset({"UTC", "Etc/UTC", "Etc/Zulu", "Zulu", "Etc/UCT", "UCT", "Universal"})
"""Zones written as plain UTC times (``...Z``), which need no VTIMEZONE."""
ENDLESS_SPAN = timedelta(days=10 * 366)
"""How far a series with no end is covered when its zone's rule has no yearly form."""
FEED_REFRESH = timedelta(hours=1)
"""How often subscribed clients are asked to refresh a feed."""


def event_uid(event: Event) -> str:
    """Unique and stable: the id alone would repeat in another deployment or a new database."""
    return f"event-{event.id}-{event.created_at.astimezone(UTC):%Y%m%dT%H%M%S}@champions-bot"


def sequence(event: Event) -> int:
    """``SEQUENCE``: 0 for the first version, then one more for each change (revision 1 is 0)."""
    return max(event.revision - 1, 0)


def _zone(event: Event) -> tzinfo:
    return UTC if event.timezone in UTC_ZONES else ZoneInfo(event.timezone)


def _series(event: Event) -> Any:
    """The series' rule over naive wall-clock times of the event's zone (as the bot expands)."""
    return rrulestr(event.rrule or "", dtstart=local_start(event))


def span(event: Event) -> tuple[datetime, datetime]:
    """From the first start to the last end (UTC); a series with no end counts ten years."""
    duration = timedelta(minutes=event.duration_minutes)
    if not event.rrule:
        return event.starts_at, event.starts_at + duration
    rule = _series(event)
    if "COUNT=" not in event.rrule.upper() and "UNTIL=" not in event.rrule.upper():
        return event.starts_at, event.starts_at + ENDLESS_SPAN
    last = list(rule)[-1].replace(tzinfo=ZoneInfo(event.timezone)).astimezone(UTC)
    return event.starts_at, max(last, event.starts_at) + duration


def ics_event(event: Event) -> IcsEvent:
    zone = _zone(event)
    item = IcsEvent()
    item.add("uid", event_uid(event))
    item.add("dtstamp", event.updated_at.astimezone(UTC))
    item.add("created", event.created_at.astimezone(UTC))
    item.add("last-modified", event.updated_at.astimezone(UTC))
    item.add("sequence", sequence(event))
    item.add("summary", event.title)
    item.add("dtstart", event.starts_at.astimezone(zone))
    end = (event.starts_at + timedelta(minutes=event.duration_minutes)).astimezone(zone)
    # Elapsed minutes, not wall-clock ones. An end in the hour that happens twice is written
    # in UTC when it is the second one: a wall time there means the first (RFC 5545, 3.3.5).
    item.add("dtend", end.astimezone(UTC) if end.fold else end)
    item.add("status", "CANCELLED" if event.status == EventStatus.CANCELLED else "CONFIRMED")
    if event.rrule:
        item.add("rrule", _rrule_dict(event.rrule))
        skipped = cancelled_occurrences(event)
        if skipped:
            item.add("exdate", [moment.astimezone(zone) for moment in skipped])
    if event.description:
        item.add("description", event.description)
    if event.link:
        item.add("url", event.link)
        item.add("location", event.link)
    elif event.place:
        item.add("location", event.place)
    return item


def _rrule_dict(rule: str) -> dict[str, Any]:
    parts: dict[str, Any] = {}
    for part in rule.split(";"):
        key, _, value = part.partition("=")
        parts[key.lower()] = int(value) if value.isdigit() else value
    return parts


def calendar_bytes(events: Iterable[Event], *, name: str | None = None) -> bytes:
    """An iCalendar file of ``events`` with one VTIMEZONE per zone they use.

    ``name`` makes it a subscribed feed: the calendar is named and clients are asked to
    refresh it hourly (``REFRESH-INTERVAL``, and ``X-PUBLISHED-TTL`` that Outlook reads).
    """
    chosen = sorted(events, key=lambda event: (event.starts_at, event.id))
    calendar = Calendar()
    calendar.add("prodid", ICS_PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    if name is not None:
        calendar.add("name", name)
        calendar.add("x-wr-calname", name)
        calendar.add("refresh-interval", FEED_REFRESH, parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", FEED_REFRESH)
    for key, (first, last) in sorted(_zone_spans(chosen).items()):
        calendar.add_component(vtimezone(key, first - timedelta(days=1), last))
    for event in chosen:
        calendar.add_component(ics_event(event))
    return bytes(calendar.to_ical())


def _zone_spans(events: Iterable[Event]) -> dict[str, tuple[datetime, datetime]]:
    """Each zone the events are written in, and the instants its VTIMEZONE must cover."""
    spans: dict[str, tuple[datetime, datetime]] = {}
    for event in events:
        if event.timezone in UTC_ZONES:
            continue
        first, last = span(event)
        known = spans.get(event.timezone)
        spans[event.timezone] = (
            (min(first, known[0]), max(last, known[1])) if known else (first, last)
        )
    return spans
