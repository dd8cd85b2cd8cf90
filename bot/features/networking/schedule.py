"""When a community's pairing rounds start: cadence, weekday and hour in its own zone.

Each scheduled start has a *slot*, the local date of the round; the round key is built from it,
so a sweep that runs twice, or two processes, start the round once.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.core.clock_words import clock_time
from storage.models_networking import MeetSettings
from storage.statuses import MeetCadence

CADENCE_DAYS = {MeetCadence.WEEKLY: 7, MeetCadence.BIWEEKLY: 14, MeetCadence.MONTHLY: 28}
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
LATE_START = timedelta(hours=12)
"""A round whose start was missed by more than this (the bot was down) waits for the next."""


def parse_time_of_day(text: str) -> time | None:
    """An hour as people type it, read like every other time (``09:00``, ``9h``, ``14h30``,
    ``2pm``, Arabic-Indic digits): :func:`bot.core.clock_words.clock_time`."""
    found = clock_time(text)
    if found is None:
        return None
    hours, _, minutes = found.partition(":")
    return time(int(hours), int(minutes))


def _is_slot(settings: MeetSettings, day: date) -> bool:
    if day.weekday() != settings.weekday:
        return False
    if settings.cadence == MeetCadence.BIWEEKLY:
        return day.isocalendar().week % 2 == 0
    if settings.cadence == MeetCadence.MONTHLY:
        return day.day <= 7
    return True


def latest_slot(settings: MeetSettings, zone: str, now: datetime) -> datetime | None:
    """The most recent scheduled start at or before ``now`` (UTC), within the last 5 weeks."""
    local_zone = ZoneInfo(zone)
    at = parse_time_of_day(settings.time_of_day) or time(9, 0)
    today = now.astimezone(local_zone).date()
    for back in range(0, 36):
        day = today - timedelta(days=back)
        if not _is_slot(settings, day):
            continue
        start = datetime.combine(day, at, local_zone)
        if start <= now:
            return start.astimezone(now.tzinfo)
    return None


def round_length(settings: MeetSettings) -> timedelta:
    return timedelta(days=CADENCE_DAYS[MeetCadence(settings.cadence)])


def scheduled_key(community_id: int, slot: datetime, zone: str) -> str:
    return f"{community_id}:{slot.astimezone(ZoneInfo(zone)).date().isoformat()}"
